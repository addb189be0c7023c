/**
 * The slice of node-hid the drivers use, so a driver runs unchanged over a real device or a simulator
 * (the drivers are generic over their binding, as node-serialport's are).
 */
export interface HidDeviceInfo {
  path: string;
  vendorId: number;
  productId: number;
  product?: string;
  manufacturer?: string;
  serialNumber?: string;
  usagePage?: number;
  usage?: number;
  interface?: number;
}

export interface HidDevice {
  /** An output report; the first byte is the report id (0 when the device has none). */
  write(data: number[] | Buffer): Promise<number>;
  sendFeatureReport(data: number[] | Buffer): Promise<number>;
  getFeatureReport(reportId: number, length: number): Promise<Buffer>;
  /** Input reports as they arrive; `error` when the device goes away. */
  on(event: 'data', listener: (report: Buffer) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  off(event: 'data', listener: (report: Buffer) => void): void;
  off(event: 'error', listener: (error: Error) => void): void;
  close(): Promise<void>;
}

export interface HidBinding {
  devices(): Promise<HidDeviceInfo[]>;
  open(path: string): Promise<HidDevice>;
}
