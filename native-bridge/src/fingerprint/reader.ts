import type { DeviceStatus, Unsubscribe } from '../device.js';

/** What ReadSysPara reports, read when the reader opens. */
export interface ReaderInfo {
  /** Template pages in the module's library (1,000 on an R307/R503). */
  capacity: number;
  securityLevel: number;
  /** Bytes of payload per data packet (32, 64, 128 or 256). */
  packetSize: number;
  baudRate: number;
  address: number;
}

export interface FingerMatch {
  page: number;
  score: number;
}

export type LedMode = { kind: 'breathing' | 'flashing' | 'on' | 'off'; color: 'red' | 'blue' | 'purple'; cycles?: number };

export interface EnrollProgress {
  /** 1, 2 or 3: the press the reader is waiting for or has taken. */
  press: 1 | 2 | 3;
  step: 'place' | 'lift' | 'captured';
}

export interface FingerprintReader {
  /** Connects, checks the password and reads the system parameters; reconnects on its own after an unplug. */
  open(): Promise<ReaderInfo>;
  close(): Promise<void>;
  readonly info: ReaderInfo | null;
  readonly status: DeviceStatus;
  onStatus(listener: (status: DeviceStatus) => void): Unsubscribe;

  /** Waits (until `signal` aborts or `timeoutMs`) for a finger, then extracts its features into `buffer`. */
  capture(buffer: number, options?: { signal?: AbortSignal; timeoutMs?: number }): Promise<void>;
  /**
   * Three presses: two become the model (RegModel), the third must match it; the model is stored at
   * `page` and returned (UpChar) so the desk can encrypt and sync it.
   */
  enroll(page: number, options?: { signal?: AbortSignal; timeoutMs?: number; onProgress?: (p: EnrollProgress) => void }): Promise<Buffer>;
  /** Resolves once no finger is on the reader: a finger held down is one check-in, not many. */
  waitForLift(options?: { signal?: AbortSignal; timeoutMs?: number }): Promise<void>;
  /** Waits for a finger and searches the whole library: the match, or null for a finger nobody enrolled. */
  identify(options?: { signal?: AbortSignal; timeoutMs?: number }): Promise<FingerMatch | null>;
  /** DownChar then Store: a template from another desk into this module's `page`. */
  loadTemplate(page: number, template: Buffer): Promise<void>;
  /** LoadChar then UpChar. */
  readTemplate(page: number): Promise<Buffer>;
  deleteTemplate(page: number): Promise<void>;
  empty(): Promise<void>;
  count(): Promise<number>;
  /** Occupied pages (ReadConList). */
  usedPages(): Promise<number[]>;
  led(mode: LedMode): Promise<void>;
}
