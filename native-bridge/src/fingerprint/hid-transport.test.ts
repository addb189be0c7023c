import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '@gymstack/shared';
import { fromHidReport, hidTransport, toHidReports } from './hid-transport.js';
import type { R30xReader } from './r30x-reader.js';
import { syntheticFinger } from './simulator/fingers.js';
import { SimulatedHidBinding } from './simulator/hid-device.js';
import { R30xModule } from './simulator/module.js';
import { pressOnCue } from './simulator/press-on-cue.js';
import { fastReader, statusReached } from './simulator/test-rig.js';

const readers: R30xReader[] = [];
afterEach(async () => {
  await Promise.all(readers.splice(0).map((r) => r.close()));
});

function rig() {
  const module = new R30xModule();
  const binding = new SimulatedHidBinding(module);
  const reader = fastReader(hidTransport({ binding, vendorId: binding.info.vendorId, productId: binding.info.productId }));
  readers.push(reader);
  return { module, binding, reader };
}

describe('HID reports', () => {
  it('carry a frame in length-prefixed 63-byte chunks behind report id 0', () => {
    const bytes = Buffer.from(Array.from({ length: 139 }, (_, i) => i));
    const reports = toHidReports(bytes);
    expect(reports.map((r) => [r.length, r[0], r[1]])).toEqual([
      [65, 0, 63],
      [65, 0, 63],
      [65, 0, 13],
    ]);
    expect(Buffer.concat(reports.map((r) => fromHidReport(r.subarray(1))))).toEqual(bytes);
  });
});

describe('R30xReader over the simulated HID bridge', () => {
  it('enrolls and identifies', async () => {
    const { module, reader } = rig();
    await expect(reader.open()).resolves.toMatchObject({ capacity: 1000 });
    const alice = syntheticFinger(21);
    // UpChar's 512 bytes arrive as several 128-byte data packets, each spanning three reports.
    const template = await reader.enroll(8, { onProgress: pressOnCue(module, alice) });
    expect(template.equals(module.template(8)!)).toBe(true);
    module.tap(alice);
    await expect(reader.identify()).resolves.toMatchObject({ page: 8 });
    module.tap(syntheticFinger(22));
    await expect(reader.identify()).resolves.toBeNull();
  });

  it('an unplug disconnects; the re-plugged device reconnects', async () => {
    const { module, reader } = rig();
    await reader.open();
    module.unplug();
    await statusReached(reader, 'disconnected');
    expect(reader.status.error?.code).toBe(ErrorCode.DeviceNotFound);
    module.plug();
    await statusReached(reader, 'connected');
    await expect(reader.count()).resolves.toBe(0);
  });

  it('a missing device is not found; a listed one that will not open is a permission problem', async () => {
    const module = new R30xModule();
    const binding = new SimulatedHidBinding(module);
    await expect(hidTransport({ binding, path: 'sim:elsewhere' })()).rejects.toMatchObject({ code: ErrorCode.DeviceNotFound });
    const refusing = { devices: () => binding.devices(), open: () => Promise.reject(new Error('cannot open device with path sim:r30x-hid')) };
    await expect(hidTransport({ binding: refusing, path: binding.info.path })()).rejects.toMatchObject({
      code: ErrorCode.DevicePermission,
      message: expect.stringMatching(/udev rule/),
    });
  });
});
