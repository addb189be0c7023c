import { afterAll, describe, expect, it } from 'vitest';
import { R30xReader } from '../fingerprint/r30x-reader.js';
import { hidTransport } from '../fingerprint/hid-transport.js';
import { serialTransport } from '../fingerprint/serial-transport.js';
import { nodeHidBinding } from '../hid-node.js';

/**
 * Against a real reader, opt-in: `GYMSTACK_READER=/dev/ttyUSB0` (serial, `GYMSTACK_READER_BAUD` to change
 * 57,600) or `GYMSTACK_READER=hid:<path>`. Only what needs no finger and changes nothing on the module.
 */
const target = process.env.GYMSTACK_READER;

describe.runIf(target)(`an R30x reader at ${target ?? '(set GYMSTACK_READER to run)'}`, () => {
  const transport = target?.startsWith('hid:')
    ? hidTransport({ binding: nodeHidBinding, path: target.slice('hid:'.length) })
    : serialTransport({ path: target ?? '', baudRate: Number(process.env.GYMSTACK_READER_BAUD ?? 57_600) });
  const reader = new R30xReader({ transport });
  afterAll(() => reader.close());

  it('verifies the password and reads its system parameters', async () => {
    const info = await reader.open();
    expect(info.capacity).toBeGreaterThan(0);
    expect([32, 64, 128, 256]).toContain(info.packetSize);
  });

  it('agrees with itself on how many templates it holds', async () => {
    expect((await reader.usedPages()).length).toBe(await reader.count());
  });

  it('answers LED commands and finds no finger when none is pressed', async () => {
    await reader.led({ kind: 'flashing', color: 'blue', cycles: 2 });
    await expect(reader.capture(1, { timeoutMs: 300 })).rejects.toMatchObject({ code: 'FINGER_NOT_DETECTED' });
  });
});
