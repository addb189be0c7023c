import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ErrorCode } from '@gymstack/shared';
import { HidRelay } from './hid-relay.js';
import { HidRelayBoard } from './simulator/hid-relay-board.js';
import { parseUsbRelayState } from './usb-relay-protocol.js';
import type { DoorState } from './door-relay.js';

const on1 = [0x00, 0xff, 0x01, 0, 0, 0, 0, 0, 0];
const off1 = [0x00, 0xfd, 0x01, 0, 0, 0, 0, 0, 0];

describe('HidRelay', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('opens the board without switching a relay that is off', async () => {
    const board = new HidRelayBoard();
    const relay = new HidRelay({ id: 'front', binding: board, relay: 1 });
    await relay.open();
    expect(relay.status).toEqual({ state: 'connected' });
    expect(relay.door).toBe('closed');
    expect(board.featureReports).toEqual([]);
  });

  it('pulses with an on report, then an off report once the time is up', async () => {
    const board = new HidRelayBoard();
    const relay = new HidRelay({ id: 'front', binding: board, relay: 1 });
    const doors: DoorState[] = [];
    relay.onDoor((d) => doors.push(d));
    await relay.open();
    await relay.pulse(3000);
    expect(board.featureReports).toEqual([on1]);
    expect(board.isOn(1)).toBe(true);
    await vi.advanceTimersByTimeAsync(2999);
    expect(board.isOn(1)).toBe(true);
    await vi.advanceTimersByTimeAsync(1);
    expect(board.featureReports).toEqual([on1, off1]);
    expect(board.isOn(1)).toBe(false);
    expect(doors).toEqual(['closed', 'open', 'closed']);
  });

  it('drives the relay number it is given', async () => {
    const board = new HidRelayBoard({ relays: 2 });
    const relay = new HidRelay({ id: 'back', binding: board, relay: 2 });
    await relay.open();
    await relay.pulse(500);
    await vi.advanceTimersByTimeAsync(500);
    expect(board.featureReports).toEqual([
      [0x00, 0xff, 0x02, 0, 0, 0, 0, 0, 0],
      [0x00, 0xfd, 0x02, 0, 0, 0, 0, 0, 0],
    ]);
  });

  it('extends an open door on a second pulse instead of stacking a second on/off', async () => {
    const board = new HidRelayBoard();
    const relay = new HidRelay({ id: 'front', binding: board, relay: 1 });
    await relay.open();
    await relay.pulse(1000);
    await vi.advanceTimersByTimeAsync(600);
    await relay.pulse(1000);
    await vi.advanceTimersByTimeAsync(900);
    expect(board.isOn(1)).toBe(true);
    await vi.advanceTimersByTimeAsync(100);
    expect(board.featureReports).toEqual([on1, off1]);
  });

  it('keeps the later closing time when a shorter pulse arrives', async () => {
    const board = new HidRelayBoard();
    const relay = new HidRelay({ id: 'front', binding: board, relay: 1 });
    await relay.open();
    await relay.pulse(2000);
    await relay.pulse(500);
    await vi.advanceTimersByTimeAsync(1999);
    expect(board.isOn(1)).toBe(true);
    await vi.advanceTimersByTimeAsync(1);
    expect(board.featureReports).toEqual([on1, off1]);
  });

  it('closes a lock a stopped desk left released when it opens', async () => {
    const board = new HidRelayBoard();
    board.relaysOn = 0b01;
    const relay = new HidRelay({ id: 'front', binding: board, relay: 1 });
    await relay.open();
    expect(board.featureReports).toEqual([off1]);
    expect(relay.door).toBe('closed');
  });

  it('turns the relay off when closed mid-pulse', async () => {
    const board = new HidRelayBoard();
    const relay = new HidRelay({ id: 'front', binding: board, relay: 1 });
    await relay.open();
    await relay.pulse(5000);
    await relay.close();
    expect(board.featureReports).toEqual([on1, off1]);
    expect(relay.status.state).toBe('disconnected');
    await vi.advanceTimersByTimeAsync(5000);
    expect(board.featureReports).toHaveLength(2);
  });

  it('picks the board with the configured serial', async () => {
    const board = new HidRelayBoard({ serial: 'ABCDE' });
    await expect(new HidRelay({ id: 'x', binding: board, relay: 1, serial: 'ZZZZZ' }).open()).rejects.toMatchObject({
      code: ErrorCode.DeviceNotFound,
    });
    const relay = new HidRelay({ id: 'x', binding: board, relay: 1, serial: 'ABCDE' });
    await relay.open();
    expect(relay.status.state).toBe('connected');
  });

  it('reports an unplugged board as disconnected, and a pulse after plugging back in works', async () => {
    const board = new HidRelayBoard();
    const relay = new HidRelay({ id: 'front', binding: board, relay: 1 });
    await relay.open();
    board.unplug();
    expect(relay.status).toMatchObject({ state: 'disconnected', error: { code: ErrorCode.DeviceNotFound } });
    expect(relay.door).toBe('unknown');
    await expect(relay.pulse(500)).rejects.toMatchObject({ code: ErrorCode.DeviceNotFound });
    board.plugIn();
    await relay.pulse(500);
    expect(board.featureReports).toEqual([on1]);
    expect(relay.status.state).toBe('connected');
  });

  it('turns EACCES into DEVICE_PERMISSION with a udev rule', async () => {
    const denied = Object.assign(new Error('EACCES: permission denied, open /dev/hidraw3'), { code: 'EACCES' });
    const relay = new HidRelay({ id: 'front', binding: new HidRelayBoard({ openError: denied }), relay: 1 });
    await expect(relay.open()).rejects.toMatchObject({ code: ErrorCode.DevicePermission, message: expect.stringContaining('udev') });
    expect(relay.status).toMatchObject({ state: 'error', error: { code: ErrorCode.DevicePermission } });
  });

  it('refuses a pulse outside 100..60000 ms without touching the board', async () => {
    const board = new HidRelayBoard();
    const relay = new HidRelay({ id: 'front', binding: board, relay: 1 });
    await relay.open();
    await expect(relay.pulse(0)).rejects.toMatchObject({ code: ErrorCode.ValidationError });
    expect(board.featureReports).toEqual([]);
  });
});

describe('parseUsbRelayState', () => {
  it('reads the Linux layout (data bytes only) and the Windows one (report id 0 first)', () => {
    const data = [0x41, 0x42, 0x43, 0x44, 0x45, 0, 0, 0b10];
    expect(parseUsbRelayState(Buffer.from(data))).toEqual({ serial: 'ABCDE', relaysOn: 2 });
    expect(parseUsbRelayState(Buffer.from([0, ...data]))).toEqual({ serial: 'ABCDE', relaysOn: 2 });
  });
});
