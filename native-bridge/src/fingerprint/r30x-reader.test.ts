import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '@gymstack/shared';
import type { EnrollProgress } from './reader.js';
import type { R30xReader } from './r30x-reader.js';
import { serialTransport } from './serial-transport.js';
import { syntheticFinger } from './simulator/fingers.js';
import { mockSerialBinding } from './simulator/mock-serial.js';
import { R30xModule, type R30xModuleOptions } from './simulator/module.js';
import { pressOnCue } from './simulator/press-on-cue.js';
import { fastReader, statusReached } from './simulator/test-rig.js';

const open: R30xReader[] = [];
let portNumber = 0;

/** A module behind a mock serial port, and a reader with short timeouts over the driver's serial transport. */
function rig(moduleOptions: R30xModuleOptions = {}, { baudRate, password, pace }: { baudRate?: number; password?: number; pace?: boolean } = {}) {
  const module = new R30xModule(moduleOptions);
  const { binding, path } = mockSerialBinding(module, { path: `/dev/ttyFP${portNumber++}`, pace });
  const reader = fastReader(serialTransport({ path, binding, baudRate }), { password });
  open.push(reader);
  return { module, reader };
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()));
});

const alice = syntheticFinger(1);
const bob = syntheticFinger(2);

describe('R30xReader over a mock serial port', () => {
  it('opens: password check and system parameters', async () => {
    const { reader } = rig();
    const states: string[] = [];
    reader.onStatus((s) => states.push(s.state));
    await expect(reader.open()).resolves.toEqual({ capacity: 1000, securityLevel: 3, packetSize: 128, baudRate: 57_600, address: 0xffffffff });
    expect(states).toEqual(['connecting', 'connected']);
  });

  it('enrolls with three presses, stores the model and returns it; identifies the finger and not another', async () => {
    const { module, reader } = rig();
    await reader.open();
    const steps: string[] = [];
    const cue = pressOnCue(module, alice);
    const template = await reader.enroll(3, {
      onProgress: (p: EnrollProgress) => {
        steps.push(`${p.press}:${p.step}`);
        cue(p);
      },
    });
    expect(steps).toEqual(['1:place', '1:captured', '1:lift', '2:place', '2:captured', '2:lift', '3:place', '3:captured']);
    expect(template).toHaveLength(512);
    expect(template.equals(module.template(3)!)).toBe(true);
    await expect(reader.count()).resolves.toBe(1);
    await expect(reader.usedPages()).resolves.toEqual([3]);

    module.tap(alice);
    const match = await reader.identify();
    expect(match?.page).toBe(3);
    expect(match!.score).toBeGreaterThanOrEqual(50);
    module.tap(bob);
    await expect(reader.identify()).resolves.toBeNull();
  });

  it('rejects an enroll whose presses are different fingers', async () => {
    const { module, reader } = rig();
    await reader.open();
    await expect(reader.enroll(0, { onProgress: pressOnCue(module, [alice, bob]) })).rejects.toMatchObject({ code: ErrorCode.FingerEnrollMismatch });
    await expect(reader.enroll(0, { onProgress: pressOnCue(module, [alice, alice, bob]) })).rejects.toMatchObject({
      code: ErrorCode.FingerEnrollMismatch,
      message: expect.stringMatching(/third press/),
    });
    expect(module.template(0)).toBeUndefined();
  });

  it('uploads a template and downloads it into another module, which then knows the finger', async () => {
    const desk1 = rig();
    await desk1.reader.open();
    const enrolled = await desk1.reader.enroll(10, { onProgress: pressOnCue(desk1.module, alice) });
    expect((await desk1.reader.readTemplate(10)).equals(enrolled)).toBe(true);

    const desk2 = rig({ packetSize: 32 });
    await desk2.reader.open();
    await desk2.reader.loadTemplate(7, enrolled);
    expect(desk2.module.template(7)?.equals(enrolled)).toBe(true);
    desk2.module.tap(alice);
    await expect(desk2.reader.identify()).resolves.toMatchObject({ page: 7 });
  });

  it('deletes, empties, counts, lists used pages and sets the LED', async () => {
    const { module, reader } = rig();
    await reader.open();
    for (const page of [0, 255, 256, 999]) await reader.loadTemplate(page, alice.press());
    await expect(reader.usedPages()).resolves.toEqual([0, 255, 256, 999]);
    await reader.deleteTemplate(255);
    await expect(reader.usedPages()).resolves.toEqual([0, 256, 999]);
    await expect(reader.count()).resolves.toBe(3);
    await reader.empty();
    await expect(reader.count()).resolves.toBe(0);
    await reader.led({ kind: 'breathing', color: 'blue' });
    expect(module.led).toEqual({ control: 1, speed: 100, color: 2, count: 0 });
    await reader.led({ kind: 'flashing', color: 'red', cycles: 3 });
    expect(module.led).toEqual({ control: 2, speed: 100, color: 1, count: 3 });
  });

  it('works over a link paced at 57,600 baud', async () => {
    const { module, reader } = rig({}, { pace: true });
    await reader.open();
    await reader.loadTemplate(4, alice.press());
    expect((await reader.readTemplate(4)).equals(module.template(4)!)).toBe(true);
  });
});

describe('R30xReader faults', () => {
  it('a full library still counts and lists; pages outside it are refused', async () => {
    const { module, reader } = rig();
    module.fill();
    await reader.open();
    await expect(reader.count()).resolves.toBe(1000);
    await expect(reader.usedPages()).resolves.toHaveLength(1000);
    await expect(reader.enroll(1000)).rejects.toMatchObject({ code: ErrorCode.FingerPageInvalid });
    await expect(reader.loadTemplate(-1, alice.press())).rejects.toMatchObject({ code: ErrorCode.FingerPageInvalid });
    await reader.deleteTemplate(12);
    // An empty page is the module's 0x0C, mapped to the same code.
    await expect(reader.readTemplate(12)).rejects.toMatchObject({ code: ErrorCode.FingerPageInvalid });
  });

  it('a messy press is a poor image', async () => {
    const { module, reader } = rig();
    await reader.open();
    module.pressMessy();
    await expect(reader.identify()).rejects.toMatchObject({ code: ErrorCode.FingerImagePoor });
  });

  it('no finger until the timeout, or until aborted', async () => {
    const { reader } = rig();
    await reader.open();
    await expect(reader.capture(1, { timeoutMs: 20 })).rejects.toMatchObject({ code: ErrorCode.FingerNotDetected });
    const abort = new AbortController();
    const waiting = reader.identify({ signal: abort.signal });
    abort.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('a silent module times out', async () => {
    const { module, reader } = rig();
    await reader.open();
    module.setSilent(true);
    await expect(reader.count()).rejects.toMatchObject({ code: ErrorCode.DeviceTimeout });
    module.setSilent(false);
    await expect(reader.count()).resolves.toBe(0);
  });

  it('a damaged reply is retried; damaged every time it is a bad checksum', async () => {
    const { module, reader } = rig();
    await reader.open();
    module.corruptNextReplies(1);
    await expect(reader.count()).resolves.toBe(0);
    module.corruptNextReplies(2);
    await expect(reader.count()).rejects.toMatchObject({ code: ErrorCode.DeviceBadChecksum });
  });

  it('an unplug mid-enroll rejects it, reports disconnected, and reconnects when the reader is back', async () => {
    const { module, reader } = rig();
    await reader.open();
    const cue = pressOnCue(module, alice);
    const enrolling = reader.enroll(5, {
      onProgress: (p) => (p.press === 2 && p.step === 'place' ? module.unplug() : cue(p)),
    });
    await expect(enrolling).rejects.toMatchObject({ code: ErrorCode.DeviceNotFound });
    expect(reader.status).toMatchObject({ state: 'disconnected', error: { code: ErrorCode.DeviceNotFound } });
    await expect(reader.count()).rejects.toMatchObject({ code: ErrorCode.DeviceNotFound });

    module.plug();
    await statusReached(reader, 'connected');
    await expect(reader.count()).resolves.toBe(0);
    expect(module.template(5)).toBeUndefined();
  });

  it('a reader not plugged in at open is found once it appears', async () => {
    const { module, reader } = rig();
    module.unplug();
    await expect(reader.open()).rejects.toMatchObject({ code: ErrorCode.DeviceNotFound, message: expect.stringMatching(/is it plugged in/) });
    expect(reader.status.state).toBe('disconnected');
    module.plug();
    await statusReached(reader, 'connected');
    expect(reader.info?.capacity).toBe(1000);
  });

  it('a wrong password is refused', async () => {
    const { reader } = rig({ password: 0x1234 }, { password: 0x9999 });
    await expect(reader.open()).rejects.toMatchObject({ code: ErrorCode.DeviceWrongPassword });
    expect(reader.status).toMatchObject({ state: 'error', error: { code: ErrorCode.DeviceWrongPassword } });
  });

  it('the right password opens', async () => {
    const { reader } = rig({ password: 0x1234 }, { password: 0x1234 });
    await expect(reader.open()).resolves.toMatchObject({ capacity: 1000 });
  });

  it('a port at the wrong baud rate reads garbage: wrong baud', async () => {
    const { reader } = rig({}, { baudRate: 115_200 });
    await expect(reader.open()).rejects.toMatchObject({ code: ErrorCode.DeviceWrongBaud, message: expect.stringMatching(/57,600/) });
  });
});
