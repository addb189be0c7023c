import { AppError, ErrorCode, type ErrorPayload, errors, isAppError } from '@gymstack/shared';
import type { BridgeIdentify, CheckinMessage, CodeScanner, DeskLink, DeviceStatus, DoorRelay, FingerprintReader } from '@gymstack/native-bridge';
import type { HidRelayBoard, R30xModule } from '@gymstack/native-bridge/simulator';
import { v7 as uuid } from 'uuid';
import type { CheckinRow, DeskEvent } from '../contract.js';
import type { Context } from '../context.js';
import { findMember } from '../domain/members.js';
import { checkIn, scanTarget } from '../handlers/checkins.js';
import type { DeviceConfig, DeviceKind, DeviceView, FingerprintView } from './contract.js';
import { deviceKinds } from './contract.js';
import { listFingerprints, removeFingerprint, saveEnrolled } from './fingerprints.js';
import type { GymKeys } from './gym-keys.js';
import { freePage, loadTemplates } from './template-loader.js';

/** Controls for the simulators (demo and tests): what a member or a stranger does at the devices. */
export interface DeskSimulator {
  /** The simulated reader module and relay board, for tests and benchmarks to look inside. */
  module: R30xModule | null;
  relayBoard: HidRelayBoard | null;
  /** The member's synthetic finger is pressed on the reader and lifted again. */
  finger(memberId: string): Promise<void>;
  /** A finger nobody enrolled. */
  stranger(): Promise<void>;
  /** A code read by the scanner. */
  scan(code: string): Promise<void>;
}

/** The devices one configuration describes, connected (or trying to). */
export interface DeskDevices {
  reader: FingerprintReader | null;
  scanner: CodeScanner | null;
  door: DoorRelay | null;
  mqtt: DeskLink | null;
  simulator: DeskSimulator | null;
  /** Each configured device in words, e.g. "R30x reader on /dev/ttyUSB0 at 57,600 baud". */
  labels: Partial<Record<DeviceKind, string>>;
  /** Devices that could not even start (a broker that refused, a relay without its MQTT link). */
  failures: Partial<Record<DeviceKind, ErrorPayload>>;
  close(): Promise<void>;
}

export type BuildDevices = (config: DeviceConfig, ctx: Context) => Promise<DeskDevices>;

/** How many events each device keeps for the Devices screen. */
const RECENT_EVENTS = 20;
/** After a reader error, the identify loop waits this long before it tries again. */
const RETRY_MS = 1_000;
/** Sync delivers changes in bursts: templates are reconciled once the burst has settled. */
const TEMPLATE_SETTLE_MS = 200;

const offStatus: DeviceStatus = { state: 'disconnected' };

/**
 * Drives the desk's devices (DESIGN 7): a continuous identify loop that turns a finger into a check-in,
 * scans into check-ins, a door pulse for every allowed check-in, each verdict published over MQTT, and
 * the reader kept holding exactly the gym's templates. Owns enrollment, which pauses identify.
 */
export class DeviceHub {
  #devices: DeskDevices | null = null;
  readonly #events = new Map<DeviceKind, { at: string; message: string }[]>();
  readonly #stops: (() => void)[] = [];
  #identify: AbortController | null = null;
  #enrolling: AbortController | null = null;
  #loop: Promise<void> | null = null;
  /** Enrollment and template loading take turns: each must see the module and the page map agree. */
  #readerTurns: Promise<unknown> = Promise.resolve();
  #templateTimer: NodeJS.Timeout | null = null;
  #closed = false;
  /** The identify loop is waiting for a finger (not reading one, or waiting for it to lift). */
  #readerReady = false;
  #turnsPending = 0;

  #config: DeviceConfig;

  constructor(
    private readonly ctx: Context,
    config: DeviceConfig,
    private readonly build: BuildDevices,
  ) {
    this.#config = config;
  }

  async start(): Promise<void> {
    const devices = await this.build(this.#config, this.ctx);
    this.#devices = devices;
    const { reader, scanner, door, mqtt } = devices;
    this.#stops.push(this.ctx.events.on((e) => this.#onDeskEvent(e)));
    if (reader) {
      let wasConnected = false;
      this.#stops.push(
        reader.onStatus((status) => {
          this.#statusEvent('fingerprint', status);
          // A reader plugged back in may be another module: reload it whole.
          if (status.state === 'connected') {
            this.#queueTemplates(wasConnected);
            wasConnected = true;
          }
        }),
      );
      this.#loop = this.#identifyLoop(reader);
    }
    if (scanner) {
      this.#stops.push(scanner.onStatus((s) => this.#statusEvent('scanner', s)));
      this.#stops.push(scanner.onScan((scan) => void this.#scanned(scan.code)));
    }
    if (door) {
      this.#stops.push(door.onStatus((s) => this.#statusEvent('door', s)));
      this.#stops.push(door.onDoor((state) => this.#note('door', `Door ${state}`)));
    }
    if (mqtt) await mqtt.serveBridges((bridgeId, request) => Promise.resolve(this.#bridgeCheckin(bridgeId, request)));
    // A device that fails to open says why on the Devices screen and keeps trying on its own.
    const opening: [DeviceKind, Promise<unknown> | undefined][] = [
      ['fingerprint', reader?.open()],
      ['scanner', scanner?.open()],
      ['door', door?.open()],
    ];
    await Promise.all(opening.map(([device, open]) => open?.catch((e: unknown) => this.#note(device, messageOf(e)))));
  }

  get simulated(): boolean {
    return this.#devices?.simulator != null;
  }

  get config(): DeviceConfig {
    return this.#config;
  }

  list(): DeviceView[] {
    const devices = this.#devices;
    return deviceKinds.map((device) => {
      const label = devices?.labels[device];
      const status = this.#status(device);
      return {
        device,
        label: label ?? 'Not set up',
        state: label ? status.state : 'off',
        error: status.error ?? null,
        detail: this.#detail(device),
        events: [...(this.#events.get(device) ?? [])].reverse(),
      };
    });
  }

  /** Restarts every device with a new configuration. */
  async reconfigure(config: DeviceConfig): Promise<void> {
    await this.#stop();
    this.#config = config;
    this.#closed = false;
    await this.start();
  }

  async close(): Promise<void> {
    await this.#stop();
  }

  async test(device: DeviceKind): Promise<string> {
    const d = this.#require();
    switch (device) {
      case 'fingerprint': {
        const reader = need(d.reader, 'fingerprint reader');
        await reader.led({ kind: 'flashing', color: 'blue', cycles: 3 });
        const message = `Reader answered: ${await reader.count()} of ${reader.info?.capacity ?? '?'} template pages used`;
        this.#note('fingerprint', message);
        return message;
      }
      case 'door': {
        await need(d.door, 'door relay').pulse(this.#config.doorPulseMs);
        this.#note('door', 'Test pulse sent');
        return `Door released for ${this.#config.doorPulseMs / 1000} s`;
      }
      case 'scanner':
        return need(d.scanner, 'scanner').status.state === 'connected' ? 'Scanner connected: scan a code to check someone in' : 'Scanner not connected';
      case 'mqtt': {
        const mqtt = need(d.mqtt, 'MQTT link');
        await mqtt.client.publishAsync(mqtt.topics.deviceStatus(this.ctx.desk.deviceId), 'online', { qos: 1, retain: true });
        return 'The broker took this desk’s presence message';
      }
    }
  }

  async simulate(action: { action: 'finger'; memberId: string } | { action: 'stranger' } | { action: 'scan'; code: string }): Promise<void> {
    const simulator = this.#devices?.simulator;
    if (!simulator) throw errors.conflict('This desk drives real devices, not simulators');
    if (action.action === 'finger') await simulator.finger(action.memberId);
    else if (action.action === 'stranger') await simulator.stranger();
    else await simulator.scan(action.code);
  }

  /** Three presses, with progress as `enroll` events; identify pauses meanwhile. */
  async enroll(memberId: string): Promise<FingerprintView> {
    const reader = need(this.#require().reader, 'fingerprint reader');
    const keys = this.ctx.gymKeys;
    if (!keys) throw new AppError(ErrorCode.Unavailable, 'This desk has no template key yet: it arrives from the cloud once the desk is online');
    if (this.#enrolling) throw errors.conflict('An enrollment is already under way at this desk');
    const member = findMember(this.ctx, memberId);
    const enrolling = new AbortController();
    this.#enrolling = enrolling;
    try {
      return await this.#readerTurn(() => this.#enrollAt(reader, keys, member, enrolling.signal));
    } finally {
      this.#enrolling = null;
    }
  }

  async #enrollAt(reader: FingerprintReader, keys: GymKeys, member: { id: string; fullName: string }, signal: AbortSignal): Promise<FingerprintView> {
    const page = await freePage(this.ctx, reader);
    if (page === null) throw errors.device(ErrorCode.FingerLibraryFull, 'The reader’s fingerprint library is full');
    const consentedAt = this.ctx.clock().toISOString();
    const template = await reader.enroll(page, {
      signal,
      onProgress: (progress) => this.ctx.events.emit({ type: 'enroll', progress: { memberId: member.id, ...progress } }),
    });
    const id = uuid();
    try {
      saveEnrolled(this.ctx, keys, { id, memberId: member.id, memberName: member.fullName, page, template, consentedAt });
    } catch (error) {
      await reader.deleteTemplate(page).catch(() => undefined); // nothing half-written on the module either
      throw error;
    }
    this.#note('fingerprint', `Enrolled a finger for ${member.fullName} at page ${page}`);
    const saved = listFingerprints(this.ctx, member.id).find((f) => f.id === id);
    if (!saved) throw new Error('The enrolled fingerprint was not stored');
    return saved;
  }

  /**
   * Runs reader work in turn. Identify holds the reader's buffers while it waits for a finger, so it
   * stands aside (aborted, and not restarted) until every queued turn is done.
   */
  #readerTurn<T>(work: () => Promise<T>): Promise<T> {
    this.#turnsPending++;
    this.#identify?.abort();
    const turn = this.#readerTurns.then(work, work).finally(() => this.#turnsPending--);
    this.#readerTurns = turn.catch(() => undefined);
    return turn;
  }

  cancelEnroll(): void {
    this.#enrolling?.abort();
  }

  async remove(memberId: string, fingerprintId: string): Promise<void> {
    const page = removeFingerprint(this.ctx, findMember(this.ctx, memberId), fingerprintId);
    const reader = this.#devices?.reader;
    // An offline reader keeps the page until the next reconcile, which deletes what the desk no longer wants.
    if (page !== null && reader?.status.state === 'connected') await this.#readerTurn(() => reader.deleteTemplate(page)).catch(() => this.#queueTemplates(false));
  }

  async #identifyLoop(reader: FingerprintReader): Promise<void> {
    while (!this.#closed) {
      if (this.#enrolling || this.#turnsPending > 0 || reader.status.state !== 'connected') {
        await sleep(reader.status.state === 'connected' ? 50 : RETRY_MS);
        continue;
      }
      const identify = new AbortController();
      this.#identify = identify;
      try {
        // No time limit: the reader waits for the next finger, and a finger resting on it is one check-in.
        this.#readerReady = true;
        const match = await reader.identify({ signal: identify.signal, timeoutMs: Number.POSITIVE_INFINITY });
        this.#readerReady = false;
        this.#fingerCheckin(match?.page ?? null);
        await reader.waitForLift({ signal: identify.signal, timeoutMs: Number.POSITIVE_INFINITY });
      } catch (error) {
        this.#readerReady = false;
        if (identify.signal.aborted) continue;
        this.#note('fingerprint', messageOf(error));
        await sleep(RETRY_MS);
      } finally {
        this.#identify = null;
      }
    }
  }

  /** A matched page becomes a check-in by its credential; an unmatched finger is denied as unknown. */
  #fingerCheckin(page: number | null): void {
    const { store } = this.ctx;
    const row = page === null ? undefined : store.first(store.db.selectFrom('finger_pages').select('credential_id').where('page', '=', page));
    checkIn(this.ctx, { method: 'finger', credential: { kind: 'finger', value: row?.credential_id ?? 'unmatched' } });
  }

  async #scanned(code: string): Promise<void> {
    try {
      checkIn(this.ctx, scanTarget(this.ctx, code));
    } catch (error) {
      this.#note('scanner', messageOf(error));
    }
  }

  #bridgeCheckin(bridgeId: string, request: BridgeIdentify): CheckinMessage {
    const target = 'memberId' in request ? { method: 'manual' as const, memberId: request.memberId } : { method: request.credential.kind, credential: request.credential };
    const { checkin, member } = checkIn(this.ctx, target);
    this.#note('mqtt', `Bridge ${bridgeId} checked in ${checkin.memberId ?? 'an unknown member'}: ${checkin.verdict}`);
    return checkinMessage({ ...checkin, memberName: member?.fullName ?? null, memberCode: member?.code ?? null }, this.ctx.desk.deviceId);
  }

  #onDeskEvent(event: DeskEvent): void {
    if (event.type === 'checkin') void this.#afterCheckin(event.checkin);
    if (event.type === 'changed' && event.entities.includes('members')) this.#queueTemplates(false);
  }

  /** Every verdict goes out over MQTT; only an allowed one, recorded here, releases the door. */
  async #afterCheckin(checkin: CheckinRow): Promise<void> {
    const { door, mqtt } = this.#devices ?? {};
    if (checkin.verdict === 'allow' && checkin.deviceId === this.ctx.desk.deviceId && door) {
      await door.pulse(this.#config.doorPulseMs).catch((e: unknown) => this.#note('door', messageOf(e)));
    }
    await mqtt?.publishCheckin(checkinMessage(checkin, this.ctx.desk.deviceId)).catch((e: unknown) => this.#note('mqtt', messageOf(e)));
  }

  #queueTemplates(full: boolean): void {
    const reader = this.#devices?.reader;
    const keys = this.ctx.gymKeys;
    if (!reader || !keys) return;
    if (this.#templateTimer) clearTimeout(this.#templateTimer);
    this.#templateTimer = setTimeout(() => {
      this.#templateTimer = null;
      void this.#readerTurn(async () => {
        if (reader.status.state !== 'connected' || this.#closed) return;
        const report = await loadTemplates(this.ctx, reader, keys, { full });
        if (report.reloaded || report.loaded || report.removed) {
          this.#note('fingerprint', `${report.reloaded ? 'Reloaded the reader: ' : ''}${report.loaded} templates loaded, ${report.removed} removed`);
        }
      }).catch((e: unknown) => this.#note('fingerprint', `Loading templates failed: ${messageOf(e)}`));
    }, TEMPLATE_SETTLE_MS);
  }

  /** The gym's keys reached a paired desk: templates that synced meanwhile can be loaded now. */
  keysArrived(): void {
    this.#queueTemplates(false);
  }

  #status(device: DeviceKind): DeviceStatus {
    const d = this.#devices;
    const failure = d?.failures[device];
    if (failure) return { state: 'error', error: failure };
    const mqtt: DeviceStatus | undefined = d?.mqtt ? { state: d.mqtt.client.connected ? 'connected' : 'disconnected' } : undefined;
    const status = { fingerprint: d?.reader?.status, scanner: d?.scanner?.status, door: d?.door?.status, mqtt }[device];
    return status ?? offStatus;
  }

  #detail(device: DeviceKind): string | null {
    const d = this.#devices;
    if (device === 'fingerprint' && d?.reader?.info) {
      const used = this.ctx.store.first(this.ctx.store.db.selectFrom('finger_pages').select((eb) => eb.fn.countAll<number>().as('n')))?.n ?? 0;
      const ready = this.#readerReady && !this.#enrolling && this.#turnsPending === 0 ? 'Ready for a finger · ' : '';
      return `${ready}${used} of ${d.reader.info.capacity} template pages used`;
    }
    if (device === 'door' && d?.door) return `Door ${d.door.door}; opens for ${this.#config.doorPulseMs / 1000} s on each allowed check-in`;
    return null;
  }

  #statusEvent(device: DeviceKind, status: DeviceStatus): void {
    this.#note(device, status.error ? `${status.state}: ${status.error.message}` : status.state);
  }

  #note(device: DeviceKind, message: string): void {
    const events = this.#events.get(device) ?? [];
    events.push({ at: this.ctx.clock().toISOString(), message });
    if (events.length > RECENT_EVENTS) events.shift();
    this.#events.set(device, events);
    this.ctx.events.emit({ type: 'devices' });
  }

  #require(): DeskDevices {
    if (!this.#devices) throw new AppError(ErrorCode.Unavailable, 'Devices are starting');
    return this.#devices;
  }

  async #stop(): Promise<void> {
    this.#closed = true;
    this.#identify?.abort();
    this.#enrolling?.abort();
    if (this.#templateTimer) clearTimeout(this.#templateTimer);
    for (const stop of this.#stops.splice(0)) stop();
    await this.#loop;
    await this.#readerTurns;
    await this.#devices?.close();
    this.#devices = null;
  }
}

/** A check-in as the `checkins` topic carries it. */
function checkinMessage(checkin: CheckinRow, deskId: string): CheckinMessage {
  const { memberName, staffId: _staff, branchId: _branch, ...rest } = checkin;
  return { ...rest, ...(memberName ? { memberName } : {}), deviceId: checkin.deviceId ?? deskId };
}

function need<T>(device: T | null, what: string): T {
  if (!device) throw errors.device(ErrorCode.DeviceNotFound, `No ${what} is set up at this desk`);
  return device;
}

const messageOf = (error: unknown): string => (isAppError(error) ? error.message : error instanceof Error ? error.message : String(error));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
