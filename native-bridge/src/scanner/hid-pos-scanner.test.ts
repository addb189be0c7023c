import { generatePassKey, PASS_TTL_SECONDS, signPass } from '@gymstack/shared/passes';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DeviceState, DeviceStatus } from '../device.js';
import type { HidDeviceInfo } from '../hid.js';
import type { Scan } from './code-scanner.js';
import { HidPosScanner } from './hid-pos-scanner.js';
import { HidPosScannerSimulator, scannedDataReports, simulatedScannerInfo } from './simulator/hid-pos-scanner-device.js';

const keyboard: HidDeviceInfo = { path: '/dev/hidraw-sim-keyboard', vendorId: 0x046d, productId: 0xc31c, usagePage: 0x01, usage: 0x06 };

let scanner: HidPosScanner | null = null;

/** A scanner over `simulator` that polls every millisecond, with every scan it delivers. */
function scannerOver(simulator: HidPosScannerSimulator, options: { vendorId?: number } = {}) {
  scanner = new HidPosScanner(simulator, { ...options, pollMs: 1 });
  const scans: Scan[] = [];
  scanner.onScan((scan) => scans.push(scan));
  return { scanner, scans };
}

/** Resolves with the scanner's status once it is in `state` (at once if it already is). */
function reached(target: HidPosScanner, state: DeviceState): Promise<DeviceStatus> {
  return new Promise((resolve) => {
    if (target.status.state === state) return resolve(target.status);
    const stop = target.onStatus((status) => {
      if (status.state !== state) return;
      stop();
      resolve(status);
    });
  });
}

afterEach(async () => {
  await scanner?.close();
  scanner = null;
});

describe('HID POS scanner driver', () => {
  it('opens the HID POS scanner, passing over a keyboard listed first, and delivers a short QR', async () => {
    const simulator = new HidPosScannerSimulator(simulatedScannerInfo, [keyboard]);
    const { scanner, scans } = scannerOver(simulator);
    await scanner.open();
    expect(scanner.status).toEqual({ state: 'connected' });
    simulator.scan('GS1042');
    simulator.scan('0004567890', ']E0');
    expect(scans).toEqual([
      { code: 'GS1042', symbology: ']Q1' },
      { code: '0004567890', symbology: ']E0' },
    ]);
  });

  it('joins a pass token sent over several reports', async () => {
    const token = signPass({ memberId: '0190a6e2-7b3c-7def-8123-456789abcdef', expiresAt: new Date(Date.now() + PASS_TTL_SECONDS * 1000) }, generatePassKey());
    expect(scannedDataReports(token)).toHaveLength(3);
    const simulator = new HidPosScannerSimulator();
    const { scanner, scans } = scannerOver(simulator);
    await scanner.open();
    simulator.scan(token);
    expect(scans).toEqual([{ code: token, symbology: ']Q1' }]);
  });

  it('says DEVICE_NOT_FOUND when only other devices are plugged in, and connects once the scanner is', async () => {
    const simulator = new HidPosScannerSimulator(simulatedScannerInfo, [keyboard]);
    simulator.unplug();
    const { scanner, scans } = scannerOver(simulator);
    await scanner.open();
    expect(scanner.status).toMatchObject({ state: 'disconnected', error: { code: 'DEVICE_NOT_FOUND', message: expect.stringMatching(/HID POS mode/) } });
    simulator.plugIn();
    await reached(scanner, 'connected');
    simulator.scan('GS1042');
    expect(scans).toEqual([{ code: 'GS1042', symbology: ']Q1' }]);
  });

  it('ignores a HID POS scanner of another vendor when a vendor is asked for', async () => {
    const { scanner } = scannerOver(new HidPosScannerSimulator(), { vendorId: 0x05e0 });
    await scanner.open();
    expect(scanner.status.error?.code).toBe('DEVICE_NOT_FOUND');
  });

  it('reports an unplug and reconnects when the scanner comes back', async () => {
    const simulator = new HidPosScannerSimulator();
    const { scanner, scans } = scannerOver(simulator);
    await scanner.open();
    simulator.unplug();
    expect(scanner.status).toMatchObject({ state: 'disconnected', error: { code: 'DEVICE_NOT_FOUND', message: 'The barcode scanner was unplugged' } });
    simulator.plugIn();
    await reached(scanner, 'connected');
    simulator.scan('D2-1001');
    expect(scans).toEqual([{ code: 'D2-1001', symbology: ']Q1' }]);
  });

  it('says DEVICE_PERMISSION with the udev rule when the device cannot be opened, and connects once it can', async () => {
    const simulator = new HidPosScannerSimulator();
    simulator.permissionDenied = true;
    const { scanner } = scannerOver(simulator);
    await scanner.open();
    expect(scanner.status).toMatchObject({ state: 'error', error: { code: 'DEVICE_PERMISSION', message: expect.stringMatching(/udev rule .*ATTRS\{idVendor\}=="0c2e"/) } });
    simulator.permissionDenied = false;
    await reached(scanner, 'connected');
    expect(simulator.isOpen).toBe(true);
  });

  it('releases the device on close and delivers nothing after', async () => {
    const simulator = new HidPosScannerSimulator();
    const { scanner, scans } = scannerOver(simulator);
    await scanner.open();
    await scanner.close();
    expect(scanner.status).toEqual({ state: 'disconnected' });
    expect(simulator.isOpen).toBe(false);
    simulator.scan('GS1042');
    expect(scans).toEqual([]);
  });

  it('stops looking for a missing scanner once closed', async () => {
    vi.useFakeTimers();
    try {
      const simulator = new HidPosScannerSimulator();
      simulator.unplug();
      const { scanner } = scannerOver(simulator);
      await scanner.open();
      expect(vi.getTimerCount()).toBe(1);
      await scanner.close();
      expect(vi.getTimerCount()).toBe(0);
      simulator.plugIn();
      await vi.runAllTimersAsync();
      expect(simulator.isOpen).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });
});
