import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@gymstack/shared';
import { FrameParser, PacketId, encodeFrame, type Frame } from './protocol/frame.js';
import { R30xReader } from './r30x-reader.js';
import type { FrameTransport } from './transport.js';

const hex = (s: string) => Buffer.from(s, 'hex');

/** ReadSysPara's ack for a library of `capacity` pages, 128-byte packets, 57,600 baud. */
function sysParaAck(capacity: number): Buffer {
  const p = Buffer.alloc(17);
  p.writeUInt16BE(capacity, 5);
  p.writeUInt16BE(3, 7);
  p.writeUInt32BE(0xffffffff, 9);
  p.writeUInt16BE(2, 13);
  p.writeUInt16BE(6, 15);
  return encodeFrame({ address: 0xffffffff, pid: PacketId.Ack, payload: p });
}

/** A transport that records what the driver writes and answers each write with the next scripted reply. */
class ScriptedTransport extends EventEmitter implements FrameTransport {
  readonly written: string[] = [];
  constructor(private readonly replies: Buffer[]) {
    super();
  }
  async write(bytes: Buffer): Promise<void> {
    this.written.push(bytes.toString('hex').toUpperCase());
    const reply = this.replies.shift();
    if (reply) setImmediate(() => this.emit('data', reply));
  }
  async close(): Promise<void> {}
}

const OK_ACK = 'EF01FFFFFFFF07000300000A';
const HIT_PAGE_5 = 'EF01FFFFFFFF07000700000500640077';

describe('R30x golden frames', () => {
  it('the driver writes the golden VfyPwd, GenImg, Img2Tz and Search frames and reads the golden hit', async () => {
    const transport = new ScriptedTransport([hex(OK_ACK), sysParaAck(0xa3), hex(OK_ACK), hex(OK_ACK), hex(HIT_PAGE_5)]);
    const reader = new R30xReader({ transport: async () => transport, pollIntervalMs: 1 });
    const info = await reader.open();
    expect(info).toEqual({ capacity: 163, securityLevel: 3, address: 0xffffffff, packetSize: 128, baudRate: 57_600 });
    // The search page count defaults to the library size the module reported.
    await expect(reader.identify()).resolves.toEqual({ page: 5, score: 100 });
    expect(transport.written).toEqual([
      'EF01FFFFFFFF0100071300000000001B',
      'EF01FFFFFFFF0100030F0013',
      'EF01FFFFFFFF010003010005',
      'EF01FFFFFFFF01000402010008',
      'EF01FFFFFFFF0100080401000000A300B1',
    ]);
    await reader.close();
  });

  it('the search page count is a parameter', async () => {
    const transport = new ScriptedTransport([hex(OK_ACK), sysParaAck(1000), hex(HIT_PAGE_5)]);
    const reader = new R30xReader({ transport: async () => transport });
    await reader.open();
    await expect(reader.search({ buffer: 1, startPage: 0, pageCount: 0xa3 })).resolves.toEqual({ page: 5, score: 100 });
    expect(transport.written.at(-1)).toBe('EF01FFFFFFFF0100080401000000A300B1');
    await reader.close();
  });

  it('the R503 power-up byte 0x55 is not mistaken for a wrong baud rate', async () => {
    // Each answers the first command with one stray chunk and nothing else.
    const clean = new ScriptedTransport([Buffer.from([0x55])]);
    const reader = new R30xReader({ transport: async () => clean, commandTimeoutMs: 20, retries: 0 });
    await expect(reader.open()).rejects.toMatchObject({ code: ErrorCode.DeviceTimeout });
    const garbled = new ScriptedTransport([Buffer.from([0x66, 0xe6])]);
    const wrongBaud = new R30xReader({ transport: async () => garbled, commandTimeoutMs: 20, retries: 0 });
    await expect(wrongBaud.open()).rejects.toMatchObject({ code: ErrorCode.DeviceWrongBaud });
  });

  it('the encoder and parser agree with the golden replies', () => {
    const frames: Frame[] = [];
    const parser = new FrameParser(
      (f) => frames.push(f),
      () => expect.unreachable(),
    );
    parser.push(hex(OK_ACK + HIT_PAGE_5));
    expect(frames.map((f) => [f.pid, f.payload.toString('hex')])).toEqual([
      [PacketId.Ack, '00'],
      [PacketId.Ack, '0000050064'],
    ]);
    expect(encodeFrame({ address: 0xffffffff, pid: PacketId.Ack, payload: hex('0000050064') }).toString('hex').toUpperCase()).toBe(HIT_PAGE_5);
  });
});
