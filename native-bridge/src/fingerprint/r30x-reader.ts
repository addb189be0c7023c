import { AppError, ErrorCode, errors } from '@gymstack/shared';
import type { DeviceStatus, Unsubscribe } from '../device.js';
import { Confirmation, confirmationError } from './protocol/confirmation.js';
import { DEFAULT_ADDRESS, FrameParser, PacketId, encodeFrame, type Frame, type FrameFault } from './protocol/frame.js';
import { Instruction } from './protocol/instructions.js';
import type { EnrollProgress, FingerMatch, FingerprintReader, LedMode, ReaderInfo } from './reader.js';
import type { FrameTransport, TransportFactory } from './transport.js';

export interface R30xReaderOptions {
  /** Opens the link (serial, HID, simulator); called again on every reconnect. */
  transport: TransportFactory;
  address?: number;
  password?: number;
  /** How long one command may take, long enough for a 1:N search of a full library. */
  commandTimeoutMs?: number;
  /** Extra attempts for a command that timed out or came back with a bad checksum. */
  retries?: number;
  /** The pause between GenImg polls while waiting for a finger. */
  pollIntervalMs?: number;
  /** How long capture, identify and each enroll press wait for a finger unless told otherwise. */
  fingerTimeoutMs?: number;
  /** Reconnect backoff after an unplug: doubles from min to max. */
  reconnectMs?: { min: number; max: number };
}

export const TEMPLATE_BYTES = 512;
const PACKET_SIZES = [32, 64, 128, 256] as const;
/** A page bitmap per ReadConList index page. */
const PAGES_PER_INDEX = 256;
/** The R503 sends this byte when it powers up; it is not part of any frame. */
const HANDSHAKE = 0x55;

interface Reply {
  confirmation: number;
  /** The ack payload after the confirmation code. */
  data: Buffer;
  /** Data packets that followed the ack (UpChar). */
  packets: Buffer;
}

interface CommandOptions {
  /** Repeat on a timeout or bad checksum: only for commands where doing it twice is harmless. */
  retry: boolean;
  /** Read data packets after an OK ack. */
  receiveData?: boolean;
  /** Send these bytes as data packets after an OK ack. */
  sendData?: Buffer;
}

/** One attempt in flight: what the frame handler settles. */
interface Exchange {
  options: CommandOptions;
  ack: Reply | null;
  packets: Buffer[];
  resolve(reply: Reply): void;
  fail(kind: 'checksum' | AppError): void;
}

type Lost = { kind: 'timeout' } | { kind: 'checksum' };

const LED_CONTROL = { breathing: 1, flashing: 2, on: 3, off: 4 } as const;
const LED_COLOR = { red: 1, blue: 2, purple: 3 } as const;
const LED_SPEED = 100;

/**
 * The R30x command layer (R307, R503, AS608, ZFM-20) over any FrameTransport. One command is on the
 * wire at a time; operations that use the char buffers (capture, enroll, identify, template moves)
 * also take turns, so an LED change or a count can slip in while a capture waits for a finger.
 */
export class R30xReader implements FingerprintReader {
  readonly #options: Required<Omit<R30xReaderOptions, 'transport'>> & { transport: TransportFactory };
  #info: ReaderInfo | null = null;
  #status: DeviceStatus = { state: 'disconnected' };
  readonly #listeners = new Set<(status: DeviceStatus) => void>();

  #transport: FrameTransport | null = null;
  #parser: FrameParser | null = null;
  #exchange: Exchange | null = null;
  /** Bytes that were not frames since the last good frame: a wrong baud rate leaves only these. */
  #garbage = 0;
  #commands: Promise<unknown> = Promise.resolve();
  #operations: Promise<unknown> = Promise.resolve();

  #closed = true;
  /** The connect in progress, shared by open() and the reconnect loop so there is only ever one link. */
  #connecting: Promise<ReaderInfo> | null = null;
  #reconnectTimer: NodeJS.Timeout | null = null;
  #reconnectDelay: number;

  constructor(options: R30xReaderOptions) {
    this.#options = {
      address: DEFAULT_ADDRESS,
      password: 0,
      commandTimeoutMs: 2000,
      retries: 2,
      pollIntervalMs: 80,
      fingerTimeoutMs: 30_000,
      reconnectMs: { min: 500, max: 5000 },
      ...options,
    };
    this.#reconnectDelay = this.#options.reconnectMs.min;
  }

  get info(): ReaderInfo | null {
    return this.#info;
  }

  get status(): DeviceStatus {
    return this.#status;
  }

  onStatus(listener: (status: DeviceStatus) => void): Unsubscribe {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Rejects when the reader cannot be reached; if it is simply not plugged in, the reader keeps trying
   * in the background and reports `connected` when it appears.
   */
  async open(): Promise<ReaderInfo> {
    if (this.#transport && this.#info && this.#status.state === 'connected') return this.#info;
    this.#closed = false;
    if (this.#reconnectTimer) clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = null;
    try {
      return await this.#connect();
    } catch (error) {
      this.#connectFailed(error);
      throw error;
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#reconnectTimer) clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = null;
    const transport = this.#transport;
    this.#dropLink(errors.device(ErrorCode.DeviceFailed, 'The fingerprint reader was closed'));
    this.#setStatus({ state: 'disconnected' });
    await transport?.close();
  }

  // --- Operations ---

  capture(buffer: number, options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<void> {
    return this.#exclusive(() => this.#capture(buffer, options));
  }

  enroll(page: number, options: { signal?: AbortSignal; timeoutMs?: number; onProgress?: (p: EnrollProgress) => void } = {}): Promise<Buffer> {
    return this.#exclusive(async () => {
      this.#checkPage(page);
      const progress = (press: 1 | 2 | 3, step: EnrollProgress['step']) => options.onProgress?.({ press, step });
      for (const press of [1, 2, 3] as const) {
        progress(press, 'place');
        // Press 1 goes to buffer 1; presses 2 and 3 to buffer 2, beside the model in buffer 1.
        await this.#capture(press === 1 ? 1 : 2, options);
        progress(press, 'captured');
        if (press === 2) this.#expectOk(await this.#command(Instruction.RegModel, [], { retry: false }));
        if (press === 3) {
          const match = await this.#command(Instruction.Match, [], { retry: true });
          if (match.confirmation === Confirmation.NoMatch) {
            throw errors.device(ErrorCode.FingerEnrollMismatch, 'The third press did not match the first two: start again with one finger');
          }
          this.#expectOk(match);
        }
        if (press < 3) {
          progress(press, 'lift');
          await this.#waitForLift(options);
        }
      }
      this.#expectOk(await this.#command(Instruction.Store, [1, ...u16(page)], { retry: true }));
      return this.#upload(1);
    });
  }

  waitForLift(options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<void> {
    return this.#exclusive(() => this.#waitForLift(options));
  }

  identify(options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<FingerMatch | null> {
    return this.#exclusive(async () => {
      await this.#capture(1, options);
      return this.search({ buffer: 1 });
    });
  }

  /** 1:N search of char buffer `buffer` over `pageCount` pages from `startPage` (default: the whole library). */
  async search({ buffer = 1, startPage = 0, pageCount }: { buffer?: number; startPage?: number; pageCount?: number } = {}): Promise<FingerMatch | null> {
    const count = pageCount ?? this.#requireInfo().capacity;
    const reply = await this.#command(Instruction.Search, [buffer, ...u16(startPage), ...u16(count)], { retry: true });
    if (reply.confirmation === Confirmation.NotFound || reply.confirmation === Confirmation.NoMatch) return null;
    this.#expectOk(reply);
    return { page: reply.data.readUInt16BE(0), score: reply.data.readUInt16BE(2) };
  }

  loadTemplate(page: number, template: Buffer): Promise<void> {
    return this.#exclusive(async () => {
      this.#checkPage(page);
      if (template.length !== TEMPLATE_BYTES) {
        throw errors.device(ErrorCode.DeviceProtocol, `A fingerprint template is ${TEMPLATE_BYTES} bytes, not ${template.length}`);
      }
      this.#expectOk(await this.#command(Instruction.DownChar, [1], { retry: true, sendData: template }));
      this.#expectOk(await this.#command(Instruction.Store, [1, ...u16(page)], { retry: true }));
    });
  }

  readTemplate(page: number): Promise<Buffer> {
    return this.#exclusive(async () => {
      this.#checkPage(page);
      this.#expectOk(await this.#command(Instruction.LoadChar, [1, ...u16(page)], { retry: true }));
      return this.#upload(1);
    });
  }

  async deleteTemplate(page: number): Promise<void> {
    this.#checkPage(page);
    this.#expectOk(await this.#command(Instruction.DeleteChar, [...u16(page), ...u16(1)], { retry: true }));
  }

  async empty(): Promise<void> {
    this.#expectOk(await this.#command(Instruction.Empty, [], { retry: true }));
  }

  async count(): Promise<number> {
    const reply = this.#expectOk(await this.#command(Instruction.TemplateNum, [], { retry: true }));
    return reply.data.readUInt16BE(0);
  }

  async usedPages(): Promise<number[]> {
    const { capacity } = this.#requireInfo();
    const pages: number[] = [];
    for (let index = 0; index * PAGES_PER_INDEX < capacity; index++) {
      const bitmap = this.#expectOk(await this.#command(Instruction.ReadConList, [index], { retry: true })).data;
      for (let i = 0; i < PAGES_PER_INDEX; i++) {
        const page = index * PAGES_PER_INDEX + i;
        if (page < capacity && (bitmap[i >> 3]! >> (i & 7)) & 1) pages.push(page);
      }
    }
    return pages;
  }

  async led(mode: LedMode): Promise<void> {
    const params = [LED_CONTROL[mode.kind], LED_SPEED, LED_COLOR[mode.color], mode.cycles ?? 0];
    this.#expectOk(await this.#command(Instruction.AuraLedConfig, params, { retry: true }));
  }

  // --- Steps of the operations ---

  /** Polls GenImg until a finger is there, then extracts its features into `buffer`. */
  async #capture(buffer: number, { signal, timeoutMs }: { signal?: AbortSignal; timeoutMs?: number }): Promise<void> {
    const deadline = Date.now() + (timeoutMs ?? this.#options.fingerTimeoutMs);
    for (;;) {
      signal?.throwIfAborted();
      // Not retried: a lost GenImg reply is just another turn of this loop.
      const image = await this.#command(Instruction.GenImg, [], { retry: false });
      if (image.confirmation === Confirmation.Ok) break;
      if (image.confirmation !== Confirmation.NoFinger) this.#expectOk(image);
      if (Date.now() >= deadline) this.#expectOk(image);
      await sleep(this.#options.pollIntervalMs, signal);
    }
    this.#expectOk(await this.#command(Instruction.Img2Tz, [buffer], { retry: true }));
  }

  /** Between enroll presses: the same finger must come off, or the next "press" is the same image. */
  async #waitForLift({ signal, timeoutMs }: { signal?: AbortSignal; timeoutMs?: number }): Promise<void> {
    const deadline = Date.now() + (timeoutMs ?? this.#options.fingerTimeoutMs);
    for (;;) {
      signal?.throwIfAborted();
      const image = await this.#command(Instruction.GenImg, [], { retry: false });
      if (image.confirmation === Confirmation.NoFinger) return;
      if (image.confirmation !== Confirmation.Ok) this.#expectOk(image);
      if (Date.now() >= deadline) throw errors.device(ErrorCode.DeviceTimeout, 'The finger stayed on the reader: lift it between presses');
      await sleep(this.#options.pollIntervalMs, signal);
    }
  }

  /** UpChar: the ack, then the template in data packets. */
  async #upload(buffer: number): Promise<Buffer> {
    const reply = this.#expectOk(await this.#command(Instruction.UpChar, [buffer], { retry: true, receiveData: true }));
    if (reply.packets.length !== TEMPLATE_BYTES) {
      throw errors.device(ErrorCode.DeviceProtocol, `The reader sent a ${reply.packets.length}-byte template instead of ${TEMPLATE_BYTES}`);
    }
    return reply.packets;
  }

  #checkPage(page: number): void {
    const { capacity } = this.#requireInfo();
    if (!Number.isInteger(page) || page < 0 || page >= capacity) {
      throw errors.device(ErrorCode.FingerPageInvalid, `Template page ${page} is outside the reader’s library (0–${capacity - 1})`);
    }
  }

  #requireInfo(): ReaderInfo {
    if (!this.#info) throw this.#notConnected();
    return this.#info;
  }

  #expectOk(reply: Reply): Reply {
    if (reply.confirmation === Confirmation.Ok) return reply;
    const { code, message } = confirmationError(reply.confirmation);
    throw errors.device(code, message);
  }

  // --- Commands on the wire ---

  #exclusive<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.#operations.then(operation);
    this.#operations = run.catch(() => undefined);
    return run;
  }

  #command(instruction: Instruction, params: number[], options: CommandOptions): Promise<Reply> {
    const run = this.#commands.then(() => this.#send(instruction, params, options));
    this.#commands = run.catch(() => undefined);
    return run;
  }

  async #send(instruction: Instruction, params: number[], options: CommandOptions): Promise<Reply> {
    const frame = encodeFrame({ address: this.#options.address, pid: PacketId.Command, payload: Buffer.from([instruction, ...params]) });
    const attempts = options.retry ? this.#options.retries + 1 : 1;
    let lost: Lost = { kind: 'timeout' };
    for (let attempt = 0; attempt < attempts; attempt++) {
      const result = await this.#attempt(frame, options);
      if ('confirmation' in result) return result;
      lost = result;
    }
    if (lost.kind === 'checksum') {
      throw errors.device(ErrorCode.DeviceBadChecksum, 'The reader’s replies kept arriving damaged: check the cable and its connections');
    }
    if (this.#garbage > 0) {
      throw errors.device(ErrorCode.DeviceWrongBaud, 'The reader answered with unreadable bytes: check the baud rate, usually 57,600');
    }
    throw errors.device(ErrorCode.DeviceTimeout, 'The fingerprint reader did not answer');
  }

  /** One try: write the command, wait for the ack (and data packets) or a fault. */
  #attempt(frame: Buffer, options: CommandOptions): Promise<Reply | Lost> {
    const transport = this.#transport;
    if (!transport) return Promise.reject(this.#notConnected());
    this.#parser?.reset();
    return new Promise((resolve, reject) => {
      // Settles once; a late callback (data still being written after a timeout) must not touch the next attempt.
      const exchange: Exchange = {
        options,
        ack: null,
        packets: [],
        resolve: (reply) => settle() && resolve(reply),
        fail: (kind) => settle() && (kind === 'checksum' ? resolve({ kind: 'checksum' }) : reject(kind)),
      };
      const settle = () => {
        if (this.#exchange !== exchange) return false;
        clearTimeout(timer);
        this.#exchange = null;
        return true;
      };
      const timer = setTimeout(() => settle() && resolve({ kind: 'timeout' }), this.#options.commandTimeoutMs);
      this.#exchange = exchange;
      transport.write(frame).catch((error: Error) => exchange.fail(errors.device(ErrorCode.DeviceFailed, `Could not write to the reader: ${error.message}`)));
    });
  }

  #onFrame(frame: Frame): void {
    this.#garbage = 0;
    const exchange = this.#exchange;
    if (!exchange) return;
    const { options } = exchange;
    if (frame.pid === PacketId.Ack && !exchange.ack) {
      const reply: Reply = { confirmation: frame.payload[0] ?? Confirmation.PacketError, data: frame.payload.subarray(1), packets: Buffer.alloc(0) };
      exchange.ack = reply;
      if (reply.confirmation !== Confirmation.Ok || (!options.receiveData && !options.sendData)) return exchange.resolve(reply);
      if (options.sendData) {
        this.#sendData(options.sendData).then(
          () => exchange.resolve(reply),
          (error: unknown) => exchange.fail(error instanceof AppError ? error : errors.device(ErrorCode.DeviceFailed, `Could not write to the reader: ${String(error)}`)),
        );
      }
      return;
    }
    if ((frame.pid === PacketId.Data || frame.pid === PacketId.LastData) && exchange.ack && options.receiveData) {
      exchange.packets.push(frame.payload);
      if (frame.pid === PacketId.LastData) exchange.resolve({ ...exchange.ack, packets: Buffer.concat(exchange.packets) });
    }
  }

  #onFault(fault: FrameFault): void {
    if (fault.kind === 'garbage') this.#garbage += fault.bytes;
    else this.#exchange?.fail('checksum');
  }

  /** DownChar's payload: data packets sized as the module said, the last one marked. */
  async #sendData(bytes: Buffer): Promise<void> {
    const size = this.#requireInfo().packetSize;
    for (let at = 0; at < bytes.length; at += size) {
      const pid = at + size >= bytes.length ? PacketId.LastData : PacketId.Data;
      const transport = this.#transport;
      if (!transport) throw this.#notConnected();
      await transport.write(encodeFrame({ address: this.#options.address, pid, payload: bytes.subarray(at, at + size) }));
    }
  }

  // --- The link and its life ---

  #connect(): Promise<ReaderInfo> {
    this.#connecting ??= this.#openLink().finally(() => (this.#connecting = null));
    return this.#connecting;
  }

  /** Opens the transport, checks the password and reads the system parameters. */
  async #openLink(): Promise<ReaderInfo> {
    this.#setStatus({ state: 'connecting' });
    const transport = await this.#options.transport();
    if (this.#closed) {
      await transport.close();
      throw errors.device(ErrorCode.DeviceFailed, 'The fingerprint reader was closed');
    }
    this.#attach(transport);
    try {
      const password = this.#options.password >>> 0;
      this.#expectOk(await this.#command(Instruction.VfyPwd, [...u32(password)], { retry: true }));
      const para = this.#expectOk(await this.#command(Instruction.ReadSysPara, [], { retry: true })).data;
      this.#info = {
        capacity: para.readUInt16BE(4),
        securityLevel: para.readUInt16BE(6),
        address: para.readUInt32BE(8),
        packetSize: PACKET_SIZES[para.readUInt16BE(12)] ?? 128,
        baudRate: para.readUInt16BE(14) * 9600,
      };
    } catch (error) {
      this.#dropLink(error as AppError);
      await transport.close();
      throw error;
    }
    this.#reconnectDelay = this.#options.reconnectMs.min;
    this.#setStatus({ state: 'connected' });
    return this.#info;
  }

  #attach(transport: FrameTransport): void {
    this.#transport = transport;
    this.#garbage = 0;
    const parser = new FrameParser(
      (frame) => this.#onFrame(frame),
      (fault) => this.#onFault(fault),
    );
    this.#parser = parser;
    let first = true;
    transport.on('data', (chunk) => {
      if (this.#transport !== transport) return;
      if (first && chunk[0] === HANDSHAKE) chunk = chunk.subarray(1);
      first = false;
      parser.push(chunk);
    });
    transport.on('close', (error) => {
      if (this.#transport !== transport) return;
      this.#linkLost(error);
    });
    // Errors that matter also close the port; the listener keeps Node from throwing on them.
    transport.on('error', () => undefined);
  }

  /** An unplug: the pending command fails, the status says so, and reconnecting starts. */
  #linkLost(error: Error | undefined): void {
    const gone = errors.device(ErrorCode.DeviceNotFound, `The fingerprint reader was disconnected${error ? ` (${error.message})` : ''}: is it plugged in?`);
    this.#dropLink(gone);
    this.#setStatus({ state: 'disconnected', error: gone.toPayload() });
    this.#scheduleReconnect();
  }

  #dropLink(reason: AppError): void {
    this.#transport = null;
    this.#parser = null;
    this.#exchange?.fail(reason);
  }

  #connectFailed(error: unknown): void {
    const appError = error instanceof AppError ? error : errors.device(ErrorCode.DeviceFailed, String(error));
    if (appError.code === ErrorCode.DeviceNotFound) {
      this.#setStatus({ state: 'disconnected', error: appError.toPayload() });
      this.#scheduleReconnect();
    } else {
      this.#setStatus({ state: 'error', error: appError.toPayload() });
    }
  }

  #scheduleReconnect(): void {
    if (this.#closed || this.#reconnectTimer) return;
    const delay = this.#reconnectDelay;
    this.#reconnectDelay = Math.min(delay * 2, this.#options.reconnectMs.max);
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = null;
      this.#connect().catch((error: unknown) => {
        if (this.#closed) return;
        const appError = error instanceof AppError ? error : errors.device(ErrorCode.DeviceFailed, String(error));
        // Keep trying whatever went wrong: a re-plugged reader can take a moment to answer.
        this.#setStatus({ state: appError.code === ErrorCode.DeviceNotFound ? 'disconnected' : 'error', error: appError.toPayload() });
        this.#scheduleReconnect();
      });
    }, delay);
  }

  #notConnected(): AppError {
    const error = this.#status.error;
    return error && error.code === ErrorCode.DeviceNotFound
      ? errors.device(error.code, error.message)
      : errors.device(ErrorCode.DeviceNotFound, 'The fingerprint reader is not connected');
  }

  #setStatus(status: DeviceStatus): void {
    this.#status = status;
    for (const listener of this.#listeners) listener(status);
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', abort);
      resolve();
    }, ms);
    const abort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', abort, { once: true });
  });
}

const u16 = (n: number) => [(n >> 8) & 0xff, n & 0xff];
const u32 = (n: number) => [(n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
