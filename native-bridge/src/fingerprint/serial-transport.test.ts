import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@gymstack/shared';
import { openSerialTransport, type SerialBinding } from './serial-transport.js';
import { MockBinding } from './simulator/mock-serial.js';

const refusing = (message: string): SerialBinding => ({ ...MockBinding, open: () => Promise.reject(new Error(message)) });

describe('serial transport', () => {
  it('carries bytes both ways over MockBinding', async () => {
    MockBinding.createPort('/dev/ttyECHO', { echo: true });
    const transport = await openSerialTransport({ path: '/dev/ttyECHO', binding: MockBinding });
    const received = new Promise<Buffer>((resolve) => transport.on('data', resolve));
    await transport.write(Buffer.from('EF01', 'hex'));
    await expect(received).resolves.toEqual(Buffer.from('EF01', 'hex'));
    const closed = new Promise<Error | undefined>((resolve) => transport.on('close', resolve));
    await transport.close();
    // Our own close is not an unplug.
    await expect(closed).resolves.toBeUndefined();
  });

  it('names a missing port and a refused one in words staff can act on', async () => {
    await expect(openSerialTransport({ path: '/dev/ttyUSB0', binding: refusing('Error: No such file or directory, cannot open /dev/ttyUSB0') })).rejects.toMatchObject({
      code: ErrorCode.DeviceNotFound,
      message: 'Fingerprint reader not found at /dev/ttyUSB0: is it plugged in?',
    });
    await expect(openSerialTransport({ path: '/dev/ttyUSB0', binding: refusing('Error: Permission denied, cannot open /dev/ttyUSB0') })).rejects.toMatchObject({
      code: ErrorCode.DevicePermission,
      message: expect.stringMatching(/dialout/),
    });
  });
});
