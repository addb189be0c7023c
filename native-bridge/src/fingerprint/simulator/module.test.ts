import { describe, expect, it } from 'vitest';
import { Confirmation } from '../protocol/confirmation.js';
import { FrameParser, PacketId, encodeFrame, type Frame } from '../protocol/frame.js';
import { Instruction } from '../protocol/instructions.js';
import { MATCH_THRESHOLD, matchScore, syntheticFinger } from './fingers.js';
import { R30xModule, type R30xModuleOptions } from './module.js';
import { uartResample } from './wire.js';

/** A module on a bench: send command frames, collect the raw reply bytes and the parsed frames. */
function bench(options: R30xModuleOptions = {}) {
  const module = new R30xModule({ handshake: false, ...options });
  const raw: Buffer[] = [];
  const frames: Frame[] = [];
  const faults: string[] = [];
  const parser = new FrameParser(
    (f) => frames.push(f),
    (f) => faults.push(f.kind),
  );
  module.attach({
    transmit: (bytes) => {
      raw.push(bytes);
      parser.push(bytes);
    },
    unplugged: () => undefined,
  });
  const send = (instruction: number, ...params: number[]) => {
    frames.length = 0;
    raw.length = 0;
    module.receive(encodeFrame({ address: 0xffffffff, pid: PacketId.Command, payload: Buffer.from([instruction, ...params]) }));
    return frames[0]!.payload[0];
  };
  return { module, raw, frames, faults, send };
}

describe('R30xModule', () => {
  it('answers the golden GenImg with the golden OK ack when a finger is on it', () => {
    const { module, raw } = bench();
    module.press(syntheticFinger(1));
    module.receive(Buffer.from('EF01FFFFFFFF010003010005', 'hex'));
    expect(Buffer.concat(raw).toString('hex').toUpperCase()).toBe('EF01FFFFFFFF07000300000A');
  });

  it('says no finger, then messy image on Img2Tz for a smudged press', () => {
    const { module, send } = bench();
    expect(send(Instruction.GenImg)).toBe(Confirmation.NoFinger);
    module.pressMessy();
    expect(send(Instruction.GenImg)).toBe(Confirmation.Ok);
    expect(send(Instruction.Img2Tz, 1)).toBe(Confirmation.ImageTooMessy);
  });

  it('refuses a wrong password and then every command until the right one', () => {
    const { send } = bench({ password: 0x12345678 });
    expect(send(Instruction.VfyPwd, 0, 0, 0, 0)).toBe(Confirmation.WrongPassword);
    expect(send(Instruction.TemplateNum)).toBe(Confirmation.PasswordRequired);
    expect(send(Instruction.VfyPwd, 0x12, 0x34, 0x56, 0x78)).toBe(Confirmation.Ok);
    expect(send(Instruction.TemplateNum)).toBe(Confirmation.Ok);
  });

  it('stores, searches 1:N, and refuses pages beyond its library', () => {
    const { module, send, frames } = bench();
    const finger = syntheticFinger(7);
    module.fill();
    module.press(finger);
    send(Instruction.GenImg);
    send(Instruction.Img2Tz, 1);
    expect(send(Instruction.Store, 1, 0x03, 0xe8)).toBe(Confirmation.PageOutOfRange); // page 1000
    expect(send(Instruction.Store, 1, 0x01, 0xf4)).toBe(Confirmation.Ok); // page 500
    module.lift();
    module.press(finger);
    send(Instruction.GenImg);
    send(Instruction.Img2Tz, 1);
    expect(send(Instruction.Search, 1, 0, 0, 0x03, 0xe8)).toBe(Confirmation.Ok);
    expect(frames[0]!.payload.readUInt16BE(1)).toBe(500);
    expect(frames[0]!.payload.readUInt16BE(3)).toBeGreaterThanOrEqual(MATCH_THRESHOLD);
    // The same search over pages that exclude 500 finds nobody.
    expect(send(Instruction.Search, 1, 0, 0, 0x01, 0xf4)).toBe(Confirmation.NotFound);
    expect(send(Instruction.TemplateNum)).toBe(Confirmation.Ok);
    expect(frames[0]!.payload.readUInt16BE(1)).toBe(1000);
  });

  it('uploads a template in packet-size data packets, the last marked', () => {
    const { module, send, frames } = bench({ packetSize: 64 });
    module.press(syntheticFinger(3));
    send(Instruction.GenImg);
    send(Instruction.Img2Tz, 1);
    send(Instruction.UpChar, 1);
    expect(frames.map((f) => f.pid)).toEqual([PacketId.Ack, ...Array<number>(7).fill(PacketId.Data), PacketId.LastData]);
    expect(frames.slice(1).every((f) => f.payload.length === 64)).toBe(true);
  });

  it('corrupts the next reply on request and goes silent on request', () => {
    const { module, send, faults, raw } = bench();
    module.corruptNextReplies(1);
    module.receive(encodeFrame({ address: 0xffffffff, pid: PacketId.Command, payload: Buffer.from([Instruction.TemplateNum]) }));
    expect(faults).toEqual(['checksum']);
    expect(send(Instruction.TemplateNum)).toBe(Confirmation.Ok);
    module.setSilent(true);
    raw.length = 0;
    module.receive(encodeFrame({ address: 0xffffffff, pid: PacketId.Command, payload: Buffer.from([Instruction.TemplateNum]) }));
    expect(raw).toEqual([]);
  });

  it('lets a watcher see each packet with its size on the wire and the command it belongs to', () => {
    const { module, send } = bench({ packetSize: 128 });
    const seen: string[] = [];
    const unwatch = module.watch((p) => seen.push(`${p.direction} ${p.command} ${p.bytes}`));
    module.press(syntheticFinger(3));
    send(Instruction.GenImg);
    send(Instruction.Img2Tz, 1);
    send(Instruction.UpChar, 1);
    unwatch();
    send(Instruction.TemplateNum);
    const data = Array<string>(4).fill('out UpChar 139');
    expect(seen).toEqual(['in GenImg 12', 'out GenImg 12', 'in Img2Tz 13', 'out Img2Tz 12', 'in UpChar 13', 'out UpChar 12', ...data]);
  });
});

describe('synthetic fingers', () => {
  it('presses of one finger match, other fingers do not', () => {
    const finger = syntheticFinger(42);
    const presses = Array.from({ length: 8 }, () => finger.press());
    for (let i = 1; i < presses.length; i++) {
      expect(presses[i]!.equals(presses[0]!)).toBe(false);
      expect(matchScore(presses[0]!, presses[i]!)).toBeGreaterThanOrEqual(60);
      expect(matchScore(presses[0]!, presses[i]!)).toBeLessThanOrEqual(200);
    }
    for (let seed = 100; seed < 150; seed++) expect(matchScore(presses[0]!, syntheticFinger(seed).press())).toBeLessThan(MATCH_THRESHOLD);
  });

  it('are the same on every run', () => {
    expect(syntheticFinger(9).press().equals(syntheticFinger(9).press())).toBe(true);
  });
});

describe('uartResample', () => {
  it('passes bytes through at equal rates and garbles them at a mismatch', () => {
    const frame = Buffer.from('EF01FFFFFFFF0100071300000000001B', 'hex');
    expect(uartResample(frame, 57_600, 57_600)).toEqual(frame);
    expect(uartResample(frame, 115_200, 57_600).includes(Buffer.from('ef01', 'hex'))).toBe(false);
    expect(uartResample(Buffer.from([0x55]), 57_600, 115_200).length).toBeGreaterThan(0);
    expect(uartResample(Buffer.from([0x55]), 57_600, 115_200)[0]).not.toBe(0x55);
  });
});
