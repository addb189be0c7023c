import { SerialPortMock } from 'serialport';
import type { SerialBinding } from '../serial-transport.js';
import type { R30xModule } from './module.js';
import { connectSerialWire } from './wire.js';

/** node-serialport's MockBinding (the `@serialport/binding-mock` package ships no ESM types, `serialport` re-exports it typed). */
export const MockBinding = SerialPortMock.binding;

export interface MockSerialOptions {
  path?: string;
  /** Take real wire time at the baud rate. */
  pace?: boolean;
}

/**
 * The module behind node-serialport's MockBinding: a binding to hand the driver's serial transport.
 * Every port the driver opens is a mock port whose writes go down the simulated wire to the module and
 * whose reads are the module's replies. While the module is unplugged, opening fails as a missing
 * /dev node does, and an unplug breaks the open port's read as a real disconnect does.
 */
export function mockSerialBinding(module: R30xModule, { path = '/dev/ttyUSB0', pace = false }: MockSerialOptions = {}): { binding: SerialBinding; path: string } {
  MockBinding.createPort(path);
  const binding: SerialBinding = {
    list: () => MockBinding.list(),
    async open(options) {
      if (!module.plugged || options.path !== path) {
        throw Object.assign(new Error(`Error: No such file or directory, cannot open ${options.path}`), { code: 'ENOENT' });
      }
      const port = await MockBinding.open(options);
      let disconnect = (_error: Error) => {};
      const gone = new Promise<never>((_, reject) => (disconnect = reject));
      gone.catch(() => undefined);
      const wire = connectSerialWire(
        module,
        { hostBaud: options.baudRate, pace },
        {
          receive: (bytes) => port.isOpen && port.emitData(bytes),
          unplugged: () => disconnect(Object.assign(new Error('Device disconnected'), { code: 'ENXIO' })),
        },
      );
      const { read, write, close } = { read: port.read.bind(port), write: port.write.bind(port), close: port.close.bind(port) };
      port.read = (buffer, offset, length) => Promise.race([read(buffer, offset, length), gone]);
      port.write = async (buffer) => {
        await write(buffer);
        wire.fromHost(Buffer.from(buffer));
      };
      port.close = async () => {
        wire.detach();
        await close();
      };
      return port;
    },
  };
  return { binding, path };
}
