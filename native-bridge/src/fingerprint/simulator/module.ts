import { Confirmation } from '../protocol/confirmation.js';
import { CHECKSUM_BYTES, DEFAULT_ADDRESS, FrameParser, PREFIX_BYTES, PacketId, encodeFrame, type Frame } from '../protocol/frame.js';
import { Instruction } from '../protocol/instructions.js';
import { TEMPLATE_BYTES } from '../r30x-reader.js';
import { MATCH_THRESHOLD, matchScore, syntheticFinger, type SyntheticFinger } from './fingers.js';

export interface R30xModuleOptions {
  /** Template pages; 1,000 on an R307/R503. */
  capacity?: number;
  password?: number;
  address?: number;
  /** Data packet payload: 32, 64, 128 or 256 bytes. */
  packetSize?: 32 | 64 | 128 | 256;
  baudRate?: number;
  securityLevel?: number;
  /** The R503 greets the host with 0x55 when it powers up. */
  handshake?: boolean;
}

/** Where the module's UART goes: an adapter (mock serial port, pty, HID bridge) implements this. */
export interface ModuleLink {
  /** Bytes the module sends to the host. */
  transmit(bytes: Buffer): void;
  /** The module was unplugged: the adapter ends the host's connection as the OS would. */
  unplugged(): void;
}

export type LedState = { control: number; speed: number; color: number; count: number };

export type InstructionName = keyof typeof Instruction;

/** A packet on the module's UART, as a test or benchmark watching the wire sees it. */
export interface WirePacket {
  /** 'in' from the host (once the module has it whole), 'out' to the host (as the module sends it). */
  direction: 'in' | 'out';
  /** Its size on the wire, framing included. */
  bytes: number;
  /** The command it is, answers or carries data for; null for the power-up greeting. */
  command: InstructionName | null;
}

const instructionNames = new Map(Object.entries(Instruction).map(([name, code]) => [code as number, name as InstructionName]));

type Sensor = { kind: 'finger'; template: Buffer; liftAfterImage: boolean } | { kind: 'messy' } | null;
type Image = { kind: 'finger'; template: Buffer } | { kind: 'messy' } | null;

const PACKET_SIZE_CODES = [32, 64, 128, 256] as const;
const HANDSHAKE = 0x55;

/**
 * A byte-level model of an R307/R503: it takes the host's bytes, cuts them into frames with the same
 * FrameParser the driver uses and answers as the module would, data-packet transfers included. Tests
 * and the desk's demo mode press synthetic fingers on it and inject faults.
 */
export class R30xModule {
  readonly capacity: number;
  readonly address: number;
  readonly packetSize: number;
  readonly baudRate: number;
  readonly securityLevel: number;
  readonly #password: number;
  readonly #handshake: boolean;

  readonly #pages: (Buffer | undefined)[];
  /** Char buffers 1 and 2 (index 0 unused, matching the protocol's buffer ids). */
  #buffers: (Buffer | undefined)[] = [];
  #sensor: Sensor = null;
  #image: Image = null;
  #verified: boolean;
  #download: { buffer: number; chunks: Buffer[] } | null = null;
  #led: LedState | null = null;

  #link: ModuleLink | null = null;
  #plugged = true;
  #greetPending = true;
  #corruptReplies = 0;
  #silent = false;
  /** The last command taken: what the packets that follow belong to. */
  #command: InstructionName | null = null;
  readonly #watchers = new Set<(packet: WirePacket) => void>();
  readonly #parser = new FrameParser(
    (frame) => this.#onFrame(frame),
    (fault) => {
      // A broken command packet gets "error receiving the packet"; stray bytes get nothing.
      if (fault.kind === 'checksum') this.#ack(Confirmation.PacketError);
    },
  );

  constructor(options: R30xModuleOptions = {}) {
    this.capacity = options.capacity ?? 1000;
    this.address = options.address ?? DEFAULT_ADDRESS;
    this.packetSize = options.packetSize ?? 128;
    this.baudRate = options.baudRate ?? 57_600;
    this.securityLevel = options.securityLevel ?? 3;
    this.#password = options.password ?? 0;
    this.#handshake = options.handshake ?? true;
    this.#verified = this.#password === 0;
    this.#pages = new Array<Buffer | undefined>(this.capacity);
  }

  // --- The link, as an adapter sees it ---

  get plugged(): boolean {
    return this.#plugged;
  }

  /** Connects the module's UART to a host; returns the detach. Only one host at a time, like the real wire. */
  attach(link: ModuleLink): () => void {
    this.#link = link;
    this.#parser.reset();
    if (this.#greetPending && this.#handshake) this.#transmit(Buffer.from([HANDSHAKE]), null);
    this.#greetPending = false;
    return () => {
      if (this.#link === link) this.#link = null;
    };
  }

  /** Bytes from the host. */
  receive(bytes: Buffer): void {
    if (this.#plugged) this.#parser.push(bytes);
  }

  // --- Fingers ---

  /** A finger rests on the sensor until lift(); every press is a new, slightly different image. */
  press(finger: SyntheticFinger): void {
    this.#sensor = { kind: 'finger', template: finger.press(), liftAfterImage: false };
  }

  /** A quick touch: the finger lifts once the module has taken its image (handy for demos). */
  tap(finger: SyntheticFinger): void {
    this.#sensor = { kind: 'finger', template: finger.press(), liftAfterImage: true };
  }

  /** A smudged or wet finger: GenImg succeeds, Img2Tz answers "image too messy". */
  pressMessy(): void {
    this.#sensor = { kind: 'messy' };
  }

  lift(): void {
    this.#sensor = null;
  }

  // --- Library, for tests and demos ---

  /** Stores a different finger's template on every page: the full-library case. */
  fill(): void {
    for (let page = 0; page < this.capacity; page++) this.#pages[page] = syntheticFinger(0x10000 + page).press();
  }

  template(page: number): Buffer | undefined {
    return this.#pages[page];
  }

  get led(): LedState | null {
    return this.#led;
  }

  /** Sees every packet that crosses the UART (no faults, stray bytes or dropped replies); returns the unwatch. */
  watch(listener: (packet: WirePacket) => void): () => void {
    this.#watchers.add(listener);
    return () => this.#watchers.delete(listener);
  }

  // --- Faults ---

  /** The next `count` replies go out with a wrong checksum. */
  corruptNextReplies(count = 1): void {
    this.#corruptReplies = count;
  }

  /** The module stops answering (a hung module or a cut TX wire). */
  setSilent(silent: boolean): void {
    this.#silent = silent;
  }

  /** Pulls the USB cable: the host's connection drops and opening it fails until plug(). */
  unplug(): void {
    this.#plugged = false;
    const link = this.#link;
    this.#link = null;
    link?.unplugged();
  }

  /** Plugs it back in: a power-up, so char buffers, the image and the password check are reset. */
  plug(): void {
    this.#plugged = true;
    this.#greetPending = true;
    this.#buffers = [];
    this.#image = null;
    this.#download = null;
    this.#verified = this.#password === 0;
  }

  // --- The protocol ---

  #onFrame(frame: Frame): void {
    if (frame.address !== this.address) return;
    if (frame.pid === PacketId.Command) this.#command = instructionNames.get(frame.payload[0]!) ?? null;
    this.#notify('in', PREFIX_BYTES + frame.payload.length + CHECKSUM_BYTES, this.#command);
    if (frame.pid === PacketId.Data || frame.pid === PacketId.LastData) return this.#onData(frame);
    if (frame.pid !== PacketId.Command || frame.payload.length === 0) return;
    const instruction = frame.payload[0]!;
    const params = frame.payload.subarray(1);
    if (!this.#verified && instruction !== Instruction.VfyPwd) return this.#ack(Confirmation.PasswordRequired);
    this.#execute(instruction, params);
  }

  #execute(instruction: number, p: Buffer): void {
    const need = (bytes: number) => p.length >= bytes;
    switch (instruction) {
      case Instruction.VfyPwd:
        if (!need(4)) return this.#ack(Confirmation.PacketError);
        this.#verified = p.readUInt32BE(0) === this.#password;
        return this.#ack(this.#verified ? Confirmation.Ok : Confirmation.WrongPassword);
      case Instruction.GenImg:
        return this.#genImg();
      case Instruction.Img2Tz:
        if (!need(1) || !validBuffer(p[0]!)) return this.#ack(Confirmation.PacketError);
        return this.#img2Tz(p[0]!);
      case Instruction.Match:
        return this.#match();
      case Instruction.Search:
        if (!need(5) || !validBuffer(p[0]!)) return this.#ack(Confirmation.PacketError);
        return this.#search(p[0]!, p.readUInt16BE(1), p.readUInt16BE(3));
      case Instruction.RegModel:
        return this.#regModel();
      case Instruction.Store:
        if (!need(3) || !validBuffer(p[0]!)) return this.#ack(Confirmation.PacketError);
        return this.#store(p[0]!, p.readUInt16BE(1));
      case Instruction.LoadChar:
        if (!need(3) || !validBuffer(p[0]!)) return this.#ack(Confirmation.PacketError);
        return this.#loadChar(p[0]!, p.readUInt16BE(1));
      case Instruction.UpChar:
        if (!need(1) || !validBuffer(p[0]!)) return this.#ack(Confirmation.PacketError);
        return this.#upChar(p[0]!);
      case Instruction.DownChar:
        if (!need(1) || !validBuffer(p[0]!)) return this.#ack(Confirmation.PacketError);
        this.#download = { buffer: p[0]!, chunks: [] };
        return this.#ack(Confirmation.Ok);
      case Instruction.DeleteChar:
        if (!need(4)) return this.#ack(Confirmation.PacketError);
        return this.#delete(p.readUInt16BE(0), p.readUInt16BE(2));
      case Instruction.Empty:
        this.#pages.fill(undefined);
        return this.#ack(Confirmation.Ok);
      case Instruction.ReadSysPara:
        return this.#ack(Confirmation.Ok, this.#sysPara());
      case Instruction.TemplateNum:
        return this.#ack(Confirmation.Ok, u16(this.#pages.filter(Boolean).length));
      case Instruction.ReadConList:
        if (!need(1)) return this.#ack(Confirmation.PacketError);
        return this.#conList(p[0]!);
      case Instruction.AuraLedConfig:
        if (!need(4)) return this.#ack(Confirmation.PacketError);
        this.#led = { control: p[0]!, speed: p[1]!, color: p[2]!, count: p[3]! };
        return this.#ack(Confirmation.Ok);
      default:
        return this.#ack(Confirmation.PacketError);
    }
  }

  #genImg(): void {
    const sensor = this.#sensor;
    if (!sensor) return this.#ack(Confirmation.NoFinger);
    this.#image = sensor.kind === 'finger' ? { kind: 'finger', template: sensor.template } : sensor;
    if (sensor.kind === 'finger' && sensor.liftAfterImage) this.#sensor = null;
    this.#ack(Confirmation.Ok);
  }

  #img2Tz(buffer: number): void {
    const image = this.#image;
    if (!image) return this.#ack(Confirmation.InvalidImage);
    if (image.kind === 'messy') return this.#ack(Confirmation.ImageTooMessy);
    this.#buffers[buffer] = Buffer.from(image.template);
    this.#ack(Confirmation.Ok);
  }

  #match(): void {
    const [a, b] = [this.#buffers[1], this.#buffers[2]];
    const score = a && b ? matchScore(a, b) : 0;
    this.#ack(score >= MATCH_THRESHOLD ? Confirmation.Ok : Confirmation.NoMatch, u16(score));
  }

  /** 1:N, like the module: the buffer against every stored page in the range, best score wins. */
  #search(buffer: number, start: number, count: number): void {
    const probe = this.#buffers[buffer];
    if (start >= this.capacity) return this.#ack(Confirmation.PageOutOfRange, Buffer.alloc(4));
    let best = { page: 0, score: 0 };
    if (probe) {
      const end = Math.min(this.capacity, start + count);
      for (let page = start; page < end; page++) {
        const stored = this.#pages[page];
        if (!stored) continue;
        const score = matchScore(probe, stored);
        if (score > best.score) best = { page, score };
      }
    }
    if (best.score < MATCH_THRESHOLD) return this.#ack(Confirmation.NotFound, Buffer.alloc(4));
    this.#ack(Confirmation.Ok, Buffer.concat([u16(best.page), u16(best.score)]));
  }

  /** Combines the two presses; like the module, the model ends up in both char buffers. */
  #regModel(): void {
    const [a, b] = [this.#buffers[1], this.#buffers[2]];
    if (!a || !b || matchScore(a, b) < MATCH_THRESHOLD) return this.#ack(Confirmation.CombineFailed);
    this.#buffers[2] = Buffer.from(a);
    this.#ack(Confirmation.Ok);
  }

  #store(buffer: number, page: number): void {
    if (page >= this.capacity) return this.#ack(Confirmation.PageOutOfRange);
    const template = this.#buffers[buffer];
    if (!template) return this.#ack(Confirmation.PacketError);
    this.#pages[page] = Buffer.from(template);
    this.#ack(Confirmation.Ok);
  }

  #loadChar(buffer: number, page: number): void {
    if (page >= this.capacity) return this.#ack(Confirmation.PageOutOfRange);
    const stored = this.#pages[page];
    if (!stored) return this.#ack(Confirmation.ReadTemplateFailed);
    this.#buffers[buffer] = Buffer.from(stored);
    this.#ack(Confirmation.Ok);
  }

  #upChar(buffer: number): void {
    const template = this.#buffers[buffer];
    if (!template) return this.#ack(Confirmation.UploadFailed);
    this.#ack(Confirmation.Ok);
    for (let at = 0; at < template.length; at += this.packetSize) {
      const last = at + this.packetSize >= template.length;
      this.#send(last ? PacketId.LastData : PacketId.Data, template.subarray(at, at + this.packetSize));
    }
  }

  #onData(frame: Frame): void {
    const download = this.#download;
    if (!download) return;
    download.chunks.push(frame.payload);
    if (frame.pid !== PacketId.LastData) return;
    this.#download = null;
    // The module takes what fits a char buffer; a short file is padded as flash would read back.
    const template = Buffer.alloc(TEMPLATE_BYTES);
    Buffer.concat(download.chunks).copy(template, 0, 0, TEMPLATE_BYTES);
    this.#buffers[download.buffer] = template;
  }

  #delete(page: number, count: number): void {
    if (page + count > this.capacity) return this.#ack(Confirmation.DeleteFailed);
    this.#pages.fill(undefined, page, page + count);
    this.#ack(Confirmation.Ok);
  }

  #sysPara(): Buffer {
    const p = Buffer.alloc(16);
    p.writeUInt16BE(0, 0); // status register: idle
    p.writeUInt16BE(0, 2); // system identifier
    p.writeUInt16BE(this.capacity, 4);
    p.writeUInt16BE(this.securityLevel, 6);
    p.writeUInt32BE(this.address >>> 0, 8);
    p.writeUInt16BE(Math.max(0, PACKET_SIZE_CODES.indexOf(this.packetSize as 32 | 64 | 128 | 256)), 12);
    p.writeUInt16BE(Math.round(this.baudRate / 9600), 14);
    return p;
  }

  /** Occupancy of 256 pages per index page, bit n of byte k for page index*256 + k*8 + n. */
  #conList(index: number): void {
    if (index * 256 >= this.capacity) return this.#ack(Confirmation.PageOutOfRange, Buffer.alloc(32));
    const bitmap = Buffer.alloc(32);
    for (let i = 0; i < 256; i++) if (this.#pages[index * 256 + i]) bitmap[i >> 3]! |= 1 << (i & 7);
    this.#ack(Confirmation.Ok, bitmap);
  }

  #ack(confirmation: number, data: Buffer = Buffer.alloc(0)): void {
    this.#send(PacketId.Ack, Buffer.concat([Buffer.from([confirmation]), data]));
  }

  #send(pid: PacketId, payload: Buffer): void {
    const frame = encodeFrame({ address: this.address, pid, payload });
    if (this.#corruptReplies > 0) {
      this.#corruptReplies--;
      frame[frame.length - 1]! ^= 0xff;
    }
    this.#transmit(frame, this.#command);
  }

  #transmit(bytes: Buffer, command: InstructionName | null): void {
    if (this.#silent || !this.#link) return;
    this.#notify('out', bytes.length, command);
    this.#link.transmit(bytes);
  }

  #notify(direction: WirePacket['direction'], bytes: number, command: InstructionName | null): void {
    for (const watcher of this.#watchers) watcher({ direction, bytes, command });
  }
}

const validBuffer = (id: number) => id === 1 || id === 2;

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}
