/**
 * Desk devices, "Must show": end to end in browser mode on the demo's simulated reader and USB relay
 * board. The front desk enrolls fingers through the profile's wizard; then, with the check-in screen
 * up, an active member's press shows their allow verdict, goes out on MQTT and releases the door with
 * exactly one pulse, while an expired member's press shows deny, goes out on MQTT and leaves the door
 * shut. MQTT is the real broker at MQTT_URL when it is set (CI runs Mosquitto), else the desk's own
 * embedded broker. The steps share one desk and run in order.
 */
import { branchTopics, checkinMessageSchema, hashBrokerPassword } from '@gymstack/native-bridge';
import { type DeskDevices, type MemberSummary, DEMO_DEVICES, DEMO_PINS, buildDevices } from '@gymstack/desktop/core';
import { type MqttClient, connectAsync } from 'mqtt';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Desk, findMember, logIn, openDesk, pickByName, saveScreenshot, textOf, verdictShown } from './desk.js';

const MQTT_URL = process.env.MQTT_URL;
/** Relay 1 of the board switched on and off: feature reports as the board receives them (report id 0, command, relay). */
const RELAY_ON = [0x00, 0xff, 0x01, 0, 0, 0, 0, 0, 0];
const RELAY_OFF = [0x00, 0xfd, 0x01, 0, 0, 0, 0, 0, 0];

let desk: Desk;
let page: Page;
/** What the page's core started, captured as it starts them. */
let started: DeskDevices | undefined;
let subscriber: MqttClient | undefined;
/** Every payload the subscriber received, as JSON. */
const published: unknown[] = [];
/** Active, on a plan open all day, no dues, not in within the last hour: their press is allowed. */
let regular: MemberSummary;
/** Expired: their press is denied. */
let lapsed: MemberSummary;

const devicesNow = () => {
  if (!started) throw new Error('The desk has not started its devices');
  return started;
};
/** The check-in's messages on MQTT, each read by the topic's schema. */
const publishedFor = (checkinId: string | undefined) => published.map((m) => checkinMessageSchema.parse(m)).filter((m) => m.id === checkinId);
const relayReports = () => devicesNow().simulator?.relayBoard?.featureReports ?? [];
const latestCheckin = async () => (await desk.inspect.call('checkins/recent', { limit: 1 }))[0];
const readerDetail = async () => (await desk.core.call('devices/list', {})).devices.find((d) => d.device === 'fingerprint')?.detail;

/** A lobby screen's login on the desk's embedded broker: it may read the branch's verdicts, and publish nothing. */
const MONITOR = { username: 'monitor-lobby', password: 'e2e-monitor-password' };

/** Where the desk publishes: Mosquitto at MQTT_URL, or its embedded broker, reached with the monitor's own login. */
function brokerLogin(): { url: string; username?: string; password?: string } {
  if (MQTT_URL) return { url: MQTT_URL };
  const link = devicesNow().mqtt;
  if (!link) throw new Error('The desk has no MQTT link');
  const { host, port } = link.client.options;
  return { url: `mqtt://${host}:${port}`, ...MONITOR };
}

/** Opens a member's profile and enrolls a finger through the wizard, pressing the simulated finger as it asks. */
async function enrollFinger(member: MemberSummary) {
  await page.getByTestId('nav-members').click();
  await pickByName(page, 'members-search', member);
  await expect.poll(() => textOf(page.getByTestId('profile-name'))).toBe(member.fullName);
  await page.getByRole('tab', { name: 'Fingerprints' }).click();
  await page.getByTestId('fingerprint-enroll').click();

  await page.getByTestId('enroll-consent').check();
  await page.getByTestId('enroll-start').click();
  for (const press of [1, 2, 3]) {
    // A press lands only once the reader asks for the finger, not while it waits for the last one to lift.
    await expect.poll(() => textOf(page.getByTestId('enroll-instruction'))).toBe(`Press ${press} of 3: Place the finger`);
    await page.getByTestId('enroll-simulate-finger').click();
  }
  await expect.poll(() => textOf(page.getByTestId('enroll-done'))).toContain(`${member.fullName} can now check in with this finger.`);
  await page.getByRole('button', { name: 'Done' }).click();

  // The badge shows it in capitals.
  await expect.poll(() => textOf(page.getByTestId('fingerprint-on-reader'))).toMatch(/^on this reader$/i);
  expect(await page.getByTestId('fingerprint-row').count()).toBe(1);
  expect(await desk.inspect.call('fingerprints/list', { memberId: member.id })).toMatchObject([{ onReader: true }]);
}

/**
 * The member's finger on the reader once its identify loop waits for one: while it waits for the last
 * finger to lift, a press would pass for that finger still resting.
 */
async function pressFinger(member: MemberSummary) {
  await expect.poll(readerDetail).toMatch(/^Ready for a finger/);
  await desk.core.call('devices/simulate', { action: 'finger', memberId: member.id });
}

beforeAll(async () => {
  const monitor = { ...MONITOR, passwordHash: await hashBrokerPassword(MONITOR.password), kind: 'monitor' as const, deviceId: 'lobby' };
  const mqtt = MQTT_URL
    ? { kind: 'external' as const, url: MQTT_URL, username: null, password: null }
    : { kind: 'embedded' as const, host: '127.0.0.1', port: 0, logins: [{ username: monitor.username, passwordHash: monitor.passwordHash, kind: monitor.kind, deviceId: monitor.deviceId }] };
  desk = await openDesk({
    devices: { ...DEMO_DEVICES, mqtt },
    buildDevices: async (config, ctx) => (started = await buildDevices(config, ctx)),
  });
  page = desk.page;
  const plans = await desk.inspect.call('plans/list', {});
  const allDay = new Set(plans.filter((p) => p.access.hours === null).map((p) => p.name));
  const anHourAgo = Date.now() - 60 * 60_000;
  regular = await findMember(desk.inspect, 'active', async (m) => {
    if (!m.status.planName || !allDay.has(m.status.planName) || m.status.duePaise > 0) return false;
    const { checkins } = await desk.inspect.call('members/get', { memberId: m.id });
    return checkins.every((c) => Date.parse(c.at) < anHourAgo);
  });
  lapsed = await findMember(desk.inspect, 'expired');

  await logIn(page, 'Amit Jadhav', DEMO_PINS.frontdesk);
  await page.getByTestId('header-staff').waitFor();
});

afterEach(() => {
  expect(desk.pageErrors).toEqual([]);
});

afterAll(async () => {
  await subscriber?.endAsync();
  await desk?.close();
});

describe('devices at the desk', () => {
  it('runs the simulated reader and relay board and links to the broker, as the Devices screen shows', async () => {
    await page.getByTestId('nav-devices').click();
    for (const device of ['fingerprint', 'door', 'mqtt']) {
      await expect.poll(() => page.getByTestId(`device-${device}`).getAttribute('data-state')).toBe('connected');
    }
    const { url, ...login } = brokerLogin();
    const broker = MQTT_URL ? `Broker at ${MQTT_URL}` : `Embedded broker on ${url.slice('mqtt://'.length)}`;
    expect(await textOf(page.getByTestId('device-mqtt'))).toContain(broker);
    expect(await textOf(page.getByTestId('device-door'))).toContain('Simulated USB relay board, relay 1');
    await saveScreenshot(page, 'devices');

    // Listening before any press, as a door display or another desk would.
    const { gym, branch } = await desk.inspect.call('desk/info', {});
    subscriber = await connectAsync(url, { ...login, clientId: `gymstack-e2e-${process.pid}`, reconnectPeriod: 0 });
    subscriber.on('message', (_topic, payload) => published.push(JSON.parse(payload.toString())));
    const [granted] = await subscriber.subscribeAsync(branchTopics({ gymId: gym.id, branchId: branch.id }).checkins, { qos: 1 });
    // 0x80 would mean the broker refused the subscription.
    expect(granted?.qos).toBe(1);
  });

  it("enrolls an active member's finger through the wizard: three presses, then listed on this reader and stored", async () => {
    await enrollFinger(regular);
    await saveScreenshot(page, 'fingerprint-enrolled');
  });

  it("enrolls the expired member's finger the same way", async () => {
    await enrollFinger(lapsed);
  });

  it("shows the active member's allow verdict on the check-in screen from their press, publishes it and pulses the door once", async () => {
    await page.getByTestId('nav-checkin').click();
    await page.getByTestId('verdict-idle').waitFor();
    const reportsBefore = relayReports().length;

    await pressFinger(regular);
    await expect.poll(() => verdictShown(page)).toMatchObject({ verdict: 'allow', name: regular.fullName, reason: null });
    const checkin = await latestCheckin();
    expect(checkin).toMatchObject({ memberId: regular.id, verdict: 'allow', method: 'finger' });

    await expect.poll(() => publishedFor(checkin?.id)).toMatchObject([
      { memberId: regular.id, memberName: regular.fullName, memberCode: regular.code, verdict: 'allow', reason: null, method: 'finger' },
    ]);
    // On, then off once the pulse has run its time, and nothing else.
    await expect.poll(() => relayReports().length, { timeout: 20_000 }).toBeGreaterThanOrEqual(reportsBefore + 2);
    expect(relayReports().slice(reportsBefore)).toEqual([RELAY_ON, RELAY_OFF]);
    await saveScreenshot(page, 'finger-allow');
  });

  it("shows the expired member's deny verdict from their press, publishes it, and leaves the door shut", async () => {
    const reportsBefore = relayReports().length;

    await pressFinger(lapsed);
    await expect.poll(() => verdictShown(page)).toMatchObject({ verdict: 'deny', name: lapsed.fullName, reason: 'Membership expired' });
    const checkin = await latestCheckin();
    expect(checkin).toMatchObject({ memberId: lapsed.id, verdict: 'deny', reason: 'EXPIRED', method: 'finger' });

    await expect.poll(() => publishedFor(checkin?.id)).toMatchObject([
      { memberId: lapsed.id, memberName: lapsed.fullName, verdict: 'deny', reason: 'EXPIRED', method: 'finger' },
    ]);
    // The desk switches the relay before it publishes, so by now a pulse would have shown.
    expect(relayReports().slice(reportsBefore)).toEqual([]);
    expect(relayReports().filter((r) => r[1] === RELAY_ON[1])).toHaveLength(1);
    await saveScreenshot(page, 'finger-deny');
  });
});
