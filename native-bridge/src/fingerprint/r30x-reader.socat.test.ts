import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '@gymstack/shared';
import type { R30xReader } from './r30x-reader.js';
import { serialTransport } from './serial-transport.js';
import { syntheticFinger } from './simulator/fingers.js';
import { R30xModule } from './simulator/module.js';
import { pressOnCue } from './simulator/press-on-cue.js';
import { startSocatLink, type SocatLink } from './simulator/socat.js';
import { fastReader, statusReached } from './simulator/test-rig.js';

const alice = syntheticFinger(11);
const bob = syntheticFinger(12);

// Real ptys through the kernel tty layer, opened with serialport's real binding on both ends.
describe.runIf(existsSync('/usr/bin/socat'))('R30xReader over a socat pty pair', () => {
  let module: R30xModule;
  let link: SocatLink;
  let reader: R30xReader;

  beforeAll(async () => {
    module = new R30xModule();
    link = await startSocatLink(module);
    reader = fastReader(serialTransport({ path: link.hostPath }), { commandTimeoutMs: 1000 });
  });

  afterAll(async () => {
    await reader.close();
    await link.close();
  });

  it('opens over the pty', async () => {
    expect(link.hostPath).toMatch(/^\/dev\/pts\/\d+$/);
    await expect(reader.open()).resolves.toMatchObject({ capacity: 1000, packetSize: 128, baudRate: 57_600 });
  });

  it('enrolls, identifies, and tells a stranger apart', async () => {
    const template = await reader.enroll(42, { onProgress: pressOnCue(module, alice) });
    expect(template.equals(module.template(42)!)).toBe(true);
    module.tap(alice);
    await expect(reader.identify()).resolves.toMatchObject({ page: 42 });
    module.tap(bob);
    await expect(reader.identify()).resolves.toBeNull();
  });

  it('moves templates both ways and manages the library', async () => {
    const uploaded = await reader.readTemplate(42);
    expect(uploaded.equals(module.template(42)!)).toBe(true);
    await reader.loadTemplate(300, uploaded);
    expect(module.template(300)?.equals(uploaded)).toBe(true);
    await expect(reader.usedPages()).resolves.toEqual([42, 300]);
    await reader.deleteTemplate(42);
    await expect(reader.count()).resolves.toBe(1);
    module.tap(alice);
    await expect(reader.identify()).resolves.toMatchObject({ page: 300 });
    await reader.led({ kind: 'on', color: 'purple' });
    expect(module.led).toMatchObject({ control: 3, color: 3 });
    await reader.empty();
    await expect(reader.count()).resolves.toBe(0);
  });

  it('an unplug (socat gone) hangs up the port: disconnected', async () => {
    module.unplug();
    await statusReached(reader, 'disconnected');
    expect(reader.status.error?.code).toBe(ErrorCode.DeviceNotFound);
  });
});
