/**
 * The WhatsApp messages the cloud sends, at the desk window (DESIGN 5), against a real cloud started in
 * this file (cloud.ts) with no WhatsApp credentials, so it records each message as simulated, behind a
 * TCP proxy that takes the desk offline. A member enrolled at the desk syncs up and the cloud welcomes
 * them; the owner finds the simulated welcome on the Messages screen under the member's own id, filters
 * it, and opens the member from it; offline, the list says it needs the cloud; the front desk has no
 * Messages screen but sees the member's messages on their profile. The steps share one desk and run in order.
 */
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Member, NotificationView } from '@gymstack/shared';
import { type OnboardedGym, OWNER_PIN, api, createStaffWithPin, onboardGym, pairingCode } from '../test/sync/gym.js';
import { type TcpProxy, startProxy } from '../test/sync/tcp-proxy.js';
import { cleanUp } from './cleanup.js';
import { type TestCloud, startTestCloud } from './cloud.js';
import { type EmptyDesk, logIn, openEmptyDesk, saveScreenshot, textOf } from './desk.js';

const GYM = 'Baner';
const OWNER_NAME = `${GYM} Owner`;
const FRONT_DESK = { name: 'Sneha Kale', pin: '3333' };
const MEMBER = { fullName: 'Omkar Gokhale', phone: '+919822055601' };
/** A send waits for the cloud's next minute tick, then the screen's next refresh (30 s). */
const SEND_MS = 150_000;

let testCloud: TestCloud | undefined;
let proxy: TcpProxy | undefined;
let gym: OnboardedGym;
let desk: EmptyDesk | undefined;
let page: Page;
let member: Member;

/** The message rows shown now (`member` is null without the Member column), as written, not as styled (badges are upper case): never waits. */
const rows = () =>
  page.getByTestId('message-row').evaluateAll((elements: { querySelector(selector: string): { textContent: string | null } | null }[]) =>
    elements.map((row) => {
      const part = (testId: string) => row.querySelector(`[data-testid="${testId}"]`)?.textContent?.trim() ?? null;
      return { member: part('message-member'), template: part('message-template'), status: part('message-status') };
    }),
  );
const count = (testId: string) => page.getByTestId(testId).count();

/** Picks an option of one of the Messages screen's filters. */
async function filter(testId: 'messages-status' | 'messages-template', option: string) {
  await page.getByTestId(testId).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

beforeAll(async () => {
  testCloud = await startTestCloud();
  const cloudUrl = testCloud.cloud.url;
  const { hostname, port } = new URL(cloudUrl);
  proxy = await startProxy({ host: hostname, port: Number(port) });

  gym = await onboardGym(cloudUrl, GYM);
  await createStaffWithPin(cloudUrl, gym.ownerToken, { name: FRONT_DESK.name, role: 'frontdesk', pin: FRONT_DESK.pin });
  // No quiet hours (they start where they end), so the welcome goes out whatever the time of the run.
  await api(cloudUrl, 'PUT', '/api/v1/notification-settings', { token: gym.ownerToken, body: { quietStart: '00:00', quietEnd: '00:00' } });

  desk = await openEmptyDesk();
  page = desk.page;
  const code = await pairingCode(cloudUrl, gym.ownerToken, gym.branchId);
  await desk.core.call('setup/pair', { cloudUrl: proxy.url, code, deskName: 'Reception' });
  await page.reload();
});

afterEach(() => {
  expect(desk?.pageErrors ?? []).toEqual([]);
});

afterAll(async () => {
  // The desk first (its streams are long-polls through the proxy), then the proxy, then the cloud.
  await cleanUp('messages test', [() => desk?.close(), () => proxy?.close(), () => testCloud?.close()]);
});

describe('WhatsApp messages at the desk', () => {
  it("shows the owner the welcome the cloud simulated for a member enrolled here, under the member's own id", { timeout: SEND_MS + 60_000 }, async () => {
    await logIn(page, OWNER_NAME, OWNER_PIN);
    await expect.poll(() => textOf(page.getByTestId('header-staff'))).toBe(OWNER_NAME);
    // Login is desk-wide: the core enrols the member for the owner, and the enrolment syncs up.
    member = await (desk as EmptyDesk).core.call('members/create', MEMBER);

    await page.getByTestId('nav-messages').click();
    await expect.poll(rows, { timeout: SEND_MS }).toEqual([{ member: MEMBER.fullName, template: 'Welcome', status: 'Simulated' }]);
    expect(await textOf(page.getByTestId('message-body'))).toBe(`Welcome to ${GYM} Gym! Download your member app: https://app.gymstack.in`);
    expect(await textOf(page.getByTestId('message-when'))).toMatch(/^Sent \d+ \w+, \d+:\d\d/);
    // The cloud's message names the member by the id the desk gave them.
    const listed = await api<NotificationView[]>((testCloud as TestCloud).cloud.url, 'GET', '/api/v1/notifications', { token: gym.ownerToken });
    expect(listed.map((m) => [m.memberId, m.template, m.status])).toEqual([[member.id, 'welcome_member', 'simulated']]);
    await saveScreenshot(page, 'messages');

    await page.getByTestId('message-member').click();
    await expect.poll(() => textOf(page.getByTestId('profile-name'))).toBe(MEMBER.fullName);
    await page.getByTestId('profile-messages-tab').click();
    await expect.poll(rows).toEqual([{ member: null, template: 'Welcome', status: 'Simulated' }]);
  });

  it('filters the messages by status and by message', async () => {
    await page.getByTestId('nav-messages').click();
    await filter('messages-status', 'Dead');
    await expect.poll(() => textOf(page.getByTestId('messages-empty'))).toBe('No messages.');
    await filter('messages-status', 'Simulated');
    await expect.poll(rows).toHaveLength(1);
    await filter('messages-template', 'Payment receipt');
    await expect.poll(() => count('messages-empty')).toBe(1);
    await filter('messages-template', 'Welcome');
    await expect.poll(rows).toEqual([{ member: MEMBER.fullName, template: 'Welcome', status: 'Simulated' }]);
  });

  it('says the list needs the cloud while the cloud is out of reach, and shows it again when asked once it is back', async () => {
    await (proxy as TcpProxy).pause();
    await filter('messages-status', 'Queued');
    await expect.poll(() => textOf(page.getByTestId('messages-need-cloud'))).toContain("Can't reach the cloud");
    expect(await count('messages-table')).toBe(0);
    await saveScreenshot(page, 'messages-offline');

    await (proxy as TcpProxy).resume();
    await page.getByTestId('messages-need-cloud').getByRole('button', { name: 'Try again' }).click();
    await expect.poll(() => textOf(page.getByTestId('messages-empty'))).toBe('No messages.');
    expect(await count('messages-need-cloud')).toBe(0);
  });

  it("gives the front desk no Messages screen, but the member's messages on their profile", async () => {
    await page.getByTestId('switch-shift').click();
    await logIn(page, FRONT_DESK.name, FRONT_DESK.pin);
    await expect.poll(() => textOf(page.getByTestId('header-staff'))).toBe(FRONT_DESK.name);
    expect(await count('nav-messages')).toBe(0);

    await page.getByTestId('nav-members').click();
    await page.getByTestId('members-search').fill(MEMBER.fullName);
    await expect.poll(() => textOf(page.getByTestId('search-result').first())).toContain(member.code);
    await page.getByTestId('members-search').press('Enter');
    await page.getByTestId('profile-messages-tab').click();
    await expect.poll(rows).toEqual([{ member: null, template: 'Welcome', status: 'Simulated' }]);
    await saveScreenshot(page, 'member-messages');
  });
});
