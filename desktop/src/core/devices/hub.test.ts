import type { R30xModule } from '@gymstack/native-bridge/simulator';
import { v7 as uuid } from 'uuid';
import { afterEach, describe, expect, it } from 'vitest';
import { type DeviceConfigInput, type TestDesk, createTestDesk } from '../testing/desk.js';
import { enrollFinger, nextCheckin, pressFinger } from '../testing/devices.js';

const simulators: DeviceConfigInput = { fingerprint: { kind: 'simulator' }, scanner: { kind: 'simulator' }, door: { kind: 'simulator' }, doorPulseMs: 300 };

let desk: TestDesk;
afterEach(() => desk.close());

async function open(devices: DeviceConfigInput = simulators) {
  desk = await createTestDesk({ devices });
  if (!devices.fingerprint) return;
  await expect.poll(async () => (await desk.core.call('devices/list', {})).devices.find((d) => d.device === 'fingerprint')?.state, { timeout: 10_000 }).toBe('connected');
}

const memberWith = (term: 'active' | 'expired') => desk.memberWithMembership(term);
const enroll = (memberId: string) => enrollFinger(desk.core, memberId);
const press = (action: { action: 'finger'; memberId: string } | { action: 'stranger' }) => pressFinger(desk.core, action);

const relayReports = async () => (await desk.core.call('devices/list', {})).devices.find((d) => d.device === 'door')?.events.map((e) => e.message) ?? [];

describe('the desk devices on their simulators', () => {
  it('enrolls a finger with consent in three presses, seals it and queues it for sync', async () => {
    await open();
    const member = await memberWith('active');
    const progress: string[] = [];
    const off = desk.core.onEvent((e) => void (e.type === 'enroll' && progress.push(`${e.progress.press}:${e.progress.step}`)));
    const finger = await enroll(member.id);
    off();
    expect(progress).toEqual(['1:place', '1:captured', '1:lift', '2:place', '2:captured', '2:lift', '3:place', '3:captured']);
    expect(finger).toMatchObject({ onReader: true, consentedAt: desk.clock.now.toISOString() });

    const db = desk.sqlite();
    const row = db.prepare("select template, key_id, consented_at from member_credentials where id = ? and kind = 'finger'").get(finger.id) as { template: Buffer; key_id: string };
    // 512 template bytes plus the nonce and tag: sealed, never the template itself.
    expect(row.template.length).toBe(512 + 28);
    const queued = db.prepare("select args from outbox where name = 'fingerprints/enroll'").all() as { args: string }[];
    expect(queued.map((q) => JSON.parse(q.args) as { id: string; template: string; keyId: string })).toEqual([
      expect.objectContaining({ id: finger.id, memberId: member.id, keyId: row.key_id, template: row.template.toString('base64') }),
    ]);
    expect((db.prepare("select count(*) as n from audit_log where action = 'fingerprint.enroll'").get() as { n: number }).n).toBe(1);
  });

  it('turns a press into an allowed check-in and one door pulse; an expired member is denied and the door stays shut', async () => {
    await open();
    const active = await memberWith('active');
    const expired = await memberWith('expired');
    await enroll(active.id);
    await enroll(expired.id);

    expect(await press({ action: 'finger', memberId: active.id })).toMatchObject({ memberId: active.id, method: 'finger', verdict: 'allow' });
    await expect.poll(relayReports).toEqual(expect.arrayContaining(['Door open', 'Door closed']));
    const pulses = (await relayReports()).filter((m) => m === 'Door open').length;
    expect(pulses).toBe(1);

    expect(await press({ action: 'finger', memberId: expired.id })).toMatchObject({ memberId: expired.id, verdict: 'deny', reason: 'EXPIRED' });
    expect(await press({ action: 'stranger' })).toMatchObject({ memberId: null, verdict: 'deny', reason: 'UNKNOWN_CREDENTIAL' });
    expect((await relayReports()).filter((m) => m === 'Door open').length).toBe(pulses);
  });

  it('checks a QR pass in through the HID-POS scanner', async () => {
    await open();
    const member = await memberWith('active');
    const { token } = await desk.core.call('passes/issue', { memberId: member.id });
    const verdict = nextCheckin(desk.core);
    await desk.core.call('devices/simulate', { action: 'scan', code: token });
    expect(await verdict).toMatchObject({ memberId: member.id, method: 'qr', verdict: 'allow' });
  });

  it('removes a fingerprint from the reader and the desk: the finger is then unknown', async () => {
    await open();
    const member = await memberWith('active');
    const finger = await enroll(member.id);
    await desk.core.call('fingerprints/remove', { memberId: member.id, fingerprintId: finger.id });
    expect(await desk.core.call('fingerprints/list', { memberId: member.id })).toEqual([]);
    const db = desk.sqlite();
    expect(db.prepare('select template from member_credentials where id = ?').get(finger.id)).toEqual({ template: null });
    expect((db.prepare("select count(*) as n from outbox where name = 'fingerprints/remove'").get() as { n: number }).n).toBe(1);
    expect(await press({ action: 'finger', memberId: member.id })).toMatchObject({ memberId: null, reason: 'UNKNOWN_CREDENTIAL' });
  });

  it('refuses an enrollment without consent, and a second one while the first is under way', async () => {
    await open();
    const member = await memberWith('active');
    const reply = await desk.core.dispatch('fingerprints/enroll', { memberId: member.id, consent: false });
    expect(reply.ok === false && reply.error.code).toBe('VALIDATION_ERROR');
    const first = desk.core.call('fingerprints/enroll', { memberId: member.id, consent: true });
    await expect(desk.core.call('fingerprints/enroll', { memberId: member.id, consent: true })).rejects.toMatchObject({ code: 'CONFLICT' });
    await desk.core.call('fingerprints/cancel', {});
    await expect(first).rejects.toBeDefined();
    expect(desk.count('finger_pages')).toBe(0);
  });

  it('lists the serial ports and HID devices plugged in, for a manager picking a reader', async () => {
    await open({});
    await desk.loginAs('manager');
    const ports = await desk.core.call('devices/ports', {});
    // This machine's own ports (SerialPort.list needs udevadm): whatever they are, each has a path.
    expect(ports.serial.every((p) => p.path.length > 0)).toBe(true);
    expect(ports.hid.every((d) => Number.isInteger(d.vendorId))).toBe(true);
    await desk.loginAs('frontdesk');
    await expect(desk.core.call('devices/ports', {})).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('says plainly when the configured reader is not plugged in', async () => {
    desk = await createTestDesk({ devices: { fingerprint: { kind: 'serial', path: '/dev/ttyGYMSTACK-none' } } });
    await expect
      .poll(async () => (await desk.core.call('devices/list', {})).devices.find((d) => d.device === 'fingerprint')?.error?.code, { timeout: 10_000 })
      .toBe('DEVICE_NOT_FOUND');
    const view = (await desk.core.call('devices/list', {})).devices.find((d) => d.device === 'fingerprint');
    expect(view?.error?.message).toMatch(/ttyGYMSTACK-none/);
    expect(view?.label).toMatch(/57,600 baud/);
  });
});

describe('templates that arrive from sync', () => {
  /** A fingerprint row as sync writes it: sealed with the gym's key at another desk, and a `changed` event. */
  async function syncedFingerprint(memberId: string): Promise<string> {
    const { sealTemplate } = await import('./fingerprints.js');
    const { readGymKeys } = await import('./gym-keys.js');
    const { loadDeskSecret } = await import('./desk-secret.js');
    const { Store } = await import('../db/store.js');
    const { simulatedFinger } = await import('./drivers.js');
    const store = await Store.open(`${desk.dataDir}/desk.sqlite`);
    try {
      const keys = readGymKeys(store, loadDeskSecret(desk.dataDir));
      if (!keys) throw new Error('The desk has no gym keys');
      const id = uuid();
      const at = desk.clock.now.toISOString();
      // Desk B's own press of the same finger: what the other desk's reader took.
      const template = simulatedFinger(memberId).press();
      const gymId = (store.first(store.db.selectFrom('gym').select('id')) as { id: string }).id;
      store.run(
        store.db.insertInto('member_credentials').values({
          id,
          gym_id: gymId,
          member_id: memberId,
          kind: 'finger',
          value: id,
          template: sealTemplate(keys, id, memberId, template),
          key_id: keys.template.keyId,
          consented_at: at,
          created_at: at,
          updated_at: at,
          deleted_at: null,
        }),
      );
      return id;
    } finally {
      await store.close();
    }
  }

  it('loads a synced template into the reader (DownChar, Store), then knows the finger', async () => {
    await open();
    const member = await memberWith('active');
    const id = await syncedFingerprint(member.id);
    expect(await desk.core.call('fingerprints/list', { memberId: member.id })).toEqual([expect.objectContaining({ id, onReader: false })]);
    // Any members change wakes the loader, as a sync batch does.
    await desk.core.call('members/update', { memberId: member.id, patch: { goal: 'strength' } });
    await expect.poll(async () => (await desk.core.call('fingerprints/list', { memberId: member.id }))[0]?.onReader).toBe(true);
    expect(await press({ action: 'finger', memberId: member.id })).toMatchObject({ memberId: member.id, verdict: 'allow' });
  });

  it('reloads a reader whole when it comes back after an unplug: it may be another module', async () => {
    let module: R30xModule | null = null;
    desk = await createTestDesk({ devices: simulators, onDevices: (d) => (module = d.simulator?.module ?? null) });
    await expect.poll(async () => (await desk.core.call('devices/list', {})).devices.find((d) => d.device === 'fingerprint')?.state).toBe('connected');
    const member = await memberWith('active');
    await enroll(member.id);
    const sim = module as R30xModule | null;
    if (!sim) throw new Error('No simulated module');
    expect(sim.template(0)).toBeDefined();
    sim.unplug();
    await expect.poll(async () => (await desk.core.call('devices/list', {})).devices.find((d) => d.device === 'fingerprint')?.state).toBe('disconnected');
    sim.plug();
    await expect
      .poll(async () => (await desk.core.call('devices/list', {})).devices.find((d) => d.device === 'fingerprint')?.events.map((e) => e.message))
      .toContainEqual('Reloaded the reader: 1 templates loaded, 0 removed');
    expect(await press({ action: 'finger', memberId: member.id })).toMatchObject({ memberId: member.id, verdict: 'allow' });
  });
});
