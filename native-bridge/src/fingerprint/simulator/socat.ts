import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { SerialPortStream } from '@serialport/stream';
import { defaultSerialBinding, type SerialBinding } from '../serial-transport.js';
import type { R30xModule } from './module.js';

export interface SocatLinkOptions {
  /** The binding the module's end opens its pty with; the real one by default. */
  binding?: SerialBinding;
  socatPath?: string;
}

export interface SocatLink {
  /** The pty the driver opens, as it would /dev/ttyUSB0. */
  hostPath: string;
  /** The pty the module sits on. */
  modulePath: string;
  close(): Promise<void>;
}

/**
 * The module on a real pseudo-terminal pair (`socat pty pty`): the driver opens `hostPath` with the
 * real serialport binding and talks to the module through the kernel's tty layer. Unplugging the
 * module stops socat, so the driver's port hangs up as with a pulled USB adapter.
 */
export async function startSocatLink(module: R30xModule, { binding, socatPath = 'socat' }: SocatLinkOptions = {}): Promise<SocatLink> {
  const socat = spawn(socatPath, ['-d', '-d', 'pty,raw,echo=0', 'pty,raw,echo=0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let ptys: string[];
  try {
    ptys = await ptyPaths(socat);
  } catch (error) {
    socat.kill();
    throw error;
  }
  const [modulePath, hostPath] = ptys as [string, string];
  const port = new SerialPortStream({ binding: binding ?? (await defaultSerialBinding()), path: modulePath, baudRate: module.baudRate, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
  port.on('error', () => undefined);

  const stop = async () => {
    detach();
    if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
    if (socat.exitCode === null && socat.signalCode === null) {
      socat.kill();
      await once(socat, 'exit');
    }
  };
  const detach = module.attach({
    transmit: (bytes) => port.isOpen && port.write(bytes),
    unplugged: () => void stop(),
  });
  port.on('data', (chunk: Buffer) => module.receive(chunk));
  return { hostPath, modulePath, close: stop };
}

/** socat -d -d logs "PTY is /dev/pts/N" for each end, then "starting data transfer loop". */
function ptyPaths(socat: ChildProcess): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const paths: string[] = [];
    let log = '';
    socat.stderr!.setEncoding('utf8');
    socat.stderr!.on('data', (text: string) => {
      log += text;
      for (const match of text.matchAll(/PTY is (\S+)/g)) paths.push(match[1]!);
      if (paths.length >= 2 && log.includes('starting data transfer loop')) resolve(paths);
    });
    socat.once('error', reject);
    socat.once('exit', (code) => reject(new Error(`socat exited (${code}) before making its ptys: ${log.trim()}`)));
  });
}
