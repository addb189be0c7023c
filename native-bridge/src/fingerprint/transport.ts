/**
 * A byte link to a reader (serial port, HID reports, a simulator): the command layer runs over this,
 * so it never knows which one it has.
 */
export interface FrameTransport {
  write(bytes: Buffer): Promise<void>;
  on(event: 'data', listener: (chunk: Buffer) => void): void;
  /** The link went away; `error` is set when it was not closed by us (an unplug). */
  on(event: 'close', listener: (error?: Error) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  close(): Promise<void>;
}

/** Opens a fresh link; called again on every reconnect. Rejects with an AppError carrying a device code. */
export type TransportFactory = () => Promise<FrameTransport>;
