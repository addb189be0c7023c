/**
 * R30x framing (R307, R503, AS608, ZFM-20): `EF01`, a 4-byte module address, a packet id, a big-endian
 * length (payload plus the 2-byte sum) and a 16-bit sum of everything from the packet id on.
 * `@serialport/parser-packet-length` reads lengths little-endian, so the framing is done here.
 */
export const HEADER = 0xef01;
export const DEFAULT_ADDRESS = 0xffffffff;
/** Header, address, packet id and length: the bytes before the payload. */
export const PREFIX_BYTES = 9;
export const CHECKSUM_BYTES = 2;

export const PacketId = {
  Command: 0x01,
  Data: 0x02,
  Ack: 0x07,
  LastData: 0x08,
} as const;
export type PacketId = (typeof PacketId)[keyof typeof PacketId];

export interface Frame {
  address: number;
  pid: PacketId;
  payload: Buffer;
}

const isPacketId = (n: number): n is PacketId => n === 0x01 || n === 0x02 || n === 0x07 || n === 0x08;

function checksum(bytes: Buffer): number {
  let sum = 0;
  for (const b of bytes) sum += b;
  return sum & 0xffff;
}

export function encodeFrame({ address, pid, payload }: Frame): Buffer {
  const frame = Buffer.alloc(PREFIX_BYTES + payload.length + CHECKSUM_BYTES);
  frame.writeUInt16BE(HEADER, 0);
  frame.writeUInt32BE(address >>> 0, 2);
  frame.writeUInt8(pid, 6);
  frame.writeUInt16BE(payload.length + CHECKSUM_BYTES, 7);
  payload.copy(frame, PREFIX_BYTES);
  frame.writeUInt16BE(checksum(frame.subarray(6, PREFIX_BYTES + payload.length)), PREFIX_BYTES + payload.length);
  return frame;
}

/** Why bytes on the wire were not a frame; the reader turns these into device error codes. */
export type FrameFault = { kind: 'checksum'; frame: Buffer } | { kind: 'garbage'; bytes: number };

/**
 * Cuts a byte stream into frames. Bytes before a header are skipped and reported as garbage (a wrong
 * baud rate looks like this); a frame whose sum is wrong is dropped and reported.
 */
export class FrameParser {
  #pending = Buffer.alloc(0);

  constructor(
    private readonly onFrame: (frame: Frame) => void,
    private readonly onFault: (fault: FrameFault) => void,
  ) {}

  push(chunk: Buffer): void {
    let buf = this.#pending.length ? Buffer.concat([this.#pending, chunk]) : chunk;
    for (;;) {
      const start = findHeader(buf);
      if (start > 0) this.onFault({ kind: 'garbage', bytes: start });
      if (start < 0) {
        // Keep a trailing 0xEF: it may be the first half of a header split across chunks.
        const keep = buf.length && buf[buf.length - 1] === 0xef ? 1 : 0;
        if (buf.length - keep > 0) this.onFault({ kind: 'garbage', bytes: buf.length - keep });
        buf = buf.subarray(buf.length - keep);
        break;
      }
      buf = buf.subarray(start);
      if (buf.length < PREFIX_BYTES) break;
      const pid = buf[6]!;
      const length = buf.readUInt16BE(7);
      if (!isPacketId(pid) || length < CHECKSUM_BYTES) {
        // Not a frame after all: skip this header and look for the next one.
        this.onFault({ kind: 'garbage', bytes: 2 });
        buf = buf.subarray(2);
        continue;
      }
      const total = PREFIX_BYTES + length;
      if (buf.length < total) break;
      const frame = buf.subarray(0, total);
      buf = buf.subarray(total);
      const payload = frame.subarray(PREFIX_BYTES, total - CHECKSUM_BYTES);
      if (checksum(frame.subarray(6, total - CHECKSUM_BYTES)) !== frame.readUInt16BE(total - CHECKSUM_BYTES)) {
        this.onFault({ kind: 'checksum', frame: Buffer.from(frame) });
        continue;
      }
      this.onFrame({ address: frame.readUInt32BE(2), pid, payload: Buffer.from(payload) });
    }
    this.#pending = Buffer.from(buf);
  }

  reset(): void {
    this.#pending = Buffer.alloc(0);
  }
}

function findHeader(buf: Buffer): number {
  for (let i = 0; i + 1 < buf.length; i++) if (buf[i] === 0xef && buf[i + 1] === 0x01) return i;
  return -1;
}
