/**
 * First run and sync at the desk window (DESIGN 6), against a real cloud started in this file (cloud.ts)
 * behind a TCP proxy that takes the desk offline. An empty desk refuses a wrong pairing code, pairs
 * with the right one, downloads the gym and lets the owner in with their PIN; offline, it enrols a
 * member whose phone the cloud meanwhile gives someone else; back online, the cloud refuses the desk's
 * member, the status bar says so, and accepting the cloud's version on the sync issues screen leaves
 * the desk with the cloud's member only. The steps share one desk and run in order.
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Cloud } from '@gymstack/cloud';
import type { Plan } from '@gymstack/shared';
import { type OnboardedGym, OWNER_PIN, api, createPlan, onboardGym, pairingCode } from '../test/sync/gym.js';
import { type TcpProxy, startProxy } from '../test/sync/tcp-proxy.js';
import { cleanUp } from './cleanup.js';
import { type TestCloud, startTestCloud } from './cloud.js';
import { type EmptyDesk, fieldError, logIn, openEmptyDesk, saveScreenshot, textOf } from './desk.js';

const GYM = 'Kothrud';
const GYM_NAME = `${GYM} Gym`;
const OWNER_NAME = `${GYM} Owner`;
/** The phone both the desk's new member (offline) and the cloud's (meanwhile) are enrolled with. */
const PHONE = '98220 55501';
const PHONE_E164 = '+919822055501';
const DESK_MEMBER = 'Ishaan Deshpande';
const CLOUD_MEMBER = 'Tanvi Kulkarni';
/** Noticing the cloud is gone, and coming back, wait out the push's and the streams' backoff (full jitter, growing while offline). */
const RECONNECT_MS = 45_000;
/** For the steps that wait on a reconnect, under a failing poll's own timeout plus the rest of the step. */
const SLOW_STEP = { timeout: 150_000 };

let testCloud: TestCloud | undefined;
let cloud: Cloud | undefined;
let proxy: TcpProxy | undefined;
let gym: OnboardedGym;
let plan: Plan;
let desk: EmptyDesk | undefined;
let page: Page;

/** The sync state the status bar shows now (its `data-state` and label), or null when it shows none: never waits. */
const syncState = () =>
  page
    .getByTestId('sync-state')
    .evaluateAll((elements: { innerText: string; dataset: Record<string, string | undefined> }[]) =>
      elements[0] ? { state: elements[0].dataset.state ?? null, label: elements[0].innerText.trim() } : null,
    );
/** Whether the first match has the keyboard focus now: never waits. */
const hasFocus = (locator: Locator) =>
  locator.evaluateAll(([element]: { ownerDocument: { activeElement: unknown } }[]) => element !== undefined && element.ownerDocument.activeElement === element);
const syncStatus = () => (desk as EmptyDesk).core.call('sync/status', {});
const count = (testId: string) => page.getByTestId(testId).count();

beforeAll(async () => {
  testCloud = await startTestCloud();
  cloud = testCloud.cloud;
  const { hostname, port } = new URL(cloud.url);
  proxy = await startProxy({ host: hostname, port: Number(port) });

  gym = await onboardGym(cloud.url, GYM);
  plan = await createPlan(cloud.url, gym.ownerToken, { name: 'Monthly' });
  desk = await openEmptyDesk();
  page = desk.page;
});

afterEach(() => {
  expect(desk?.pageErrors ?? []).toEqual([]);
});

afterAll(async () => {
  // The desk first (its streams are long-polls through the proxy), then the proxy, then the cloud.
  await cleanUp('pairing test', [() => desk?.close(), () => proxy?.close(), () => testCloud?.close()]);
});

describe('pairing a desk, then a change the cloud refuses', () => {
  it('opens an empty desk on the pairing screen and refuses a wrong code, with the cursor back in the code box', async () => {
    const code = page.getByTestId('pair-code');
    await page.getByTestId('pair-url').fill((proxy as TcpProxy).url);
    await code.fill('WRNG-C0DE');
    await page.getByTestId('pair-name').fill('Reception');
    expect(await code.inputValue()).toBe('WRNG-C0DE');
    await saveScreenshot(page, 'pairing');

    await page.getByTestId('pair-submit').click();
    await expect.poll(() => textOf(page.getByTestId('pair-error'))).toBe('That code is wrong, used or expired: ask the owner for a new one');
    // The cursor is back in the code box, and the desk is still not set up.
    await expect.poll(() => hasFocus(code)).toBe(true);
    expect(await fieldError(page.getByTestId('pair-url'))).toBeNull();
    expect(await desk?.core.call('setup/status', {})).toEqual({ setUp: false });
    await saveScreenshot(page, 'pairing-wrong-code');
  });

  it('pairs with the right code through the proxy, shows the gym and desk D1, and lets the owner in with their PIN', async () => {
    const code = await pairingCode((cloud as Cloud).url, gym.ownerToken, gym.branchId);
    await page.getByTestId('pair-code').fill(code);
    await page.getByTestId('pair-submit').click();
    await expect.poll(() => textOf(page.getByTestId('pair-done'))).toContain(`Paired with ${GYM_NAME}, ${GYM} Main as desk D1`);
    expect(await count('pair-error')).toBe(0);
    await saveScreenshot(page, 'pairing-done');

    await page.getByTestId('pair-continue').click();
    // The gym's staff came down with the first sync: only the owner, who signed up with a desk PIN.
    await expect.poll(() => textOf(page.getByTestId('login-staff'))).toContain(OWNER_NAME);
    expect(await count('login-staff')).toBe(1);
    await logIn(page, OWNER_NAME, OWNER_PIN);
    await expect.poll(() => textOf(page.getByTestId('header-staff'))).toBe(OWNER_NAME);
    expect(await textOf(page.getByTestId('status-staff'))).toBe(`${OWNER_NAME} · owner`);

    // What the desk stored: the link to the cloud through the proxy, and the cloud's plan.
    expect(await syncStatus()).toMatchObject({ cloudUrl: (proxy as TcpProxy).url });
    expect((await desk?.core.call('plans/list', {}))?.map((p) => p.id)).toEqual([plan.id]);
    expect((await desk?.core.call('desk/info', {}))?.settings.invoicePrefix).toBe('D1');
  });

  it('shows Online, then Offline once the cloud is out of reach; a member enrolled meanwhile waits to be sent', SLOW_STEP, async () => {
    await expect.poll(() => syncState()).toEqual({ state: 'online', label: 'Online' });
    expect(await count('sync-pending')).toBe(0);

    await (proxy as TcpProxy).pause();
    await expect.poll(() => syncState(), { timeout: RECONNECT_MS }).toEqual({ state: 'offline', label: 'Offline' });

    await page.getByTestId('nav-members').click();
    await page.getByTestId('new-member').click();
    await page.getByLabel('Full name').fill(DESK_MEMBER);
    await page.getByLabel('Phone').first().fill(PHONE);
    await page.getByTestId('member-save').click();
    await expect.poll(() => textOf(page.getByTestId('profile-name'))).toBe(DESK_MEMBER);

    // Meanwhile, in the cloud, the owner enrols someone else with the same phone.
    await api((cloud as Cloud).url, 'POST', '/api/v1/members', { token: gym.ownerToken, body: { fullName: CLOUD_MEMBER, phone: PHONE_E164 } });

    await expect.poll(() => textOf(page.getByTestId('sync-pending'))).toBe('1 change waiting');
    expect(await syncState()).toEqual({ state: 'offline', label: 'Offline' });
    expect(await count('sync-rejected')).toBe(0);
    await saveScreenshot(page.getByRole('contentinfo'), 'status-bar-offline');
  });

  it('back online, the cloud refuses the member; the sync issues screen says why, and accepting the cloud undoes the desk change', SLOW_STEP, async () => {
    await (proxy as TcpProxy).resume();
    await expect.poll(() => textOf(page.getByTestId('sync-rejected')), { timeout: RECONNECT_MS }).toBe('1 change refused');
    const [rejection, ...others] = await (desk as EmptyDesk).core.call('sync/rejections', {});
    expect(others).toEqual([]);
    expect(rejection).toMatchObject({ name: 'members/create', summary: `New member ${DESK_MEMBER}`, code: 'DUPLICATE_PHONE' });
    const mutationId = rejection?.mutationId ?? '';

    await page.getByTestId('sync-rejected').click();
    const row = page.getByTestId(`sync-issue-${mutationId}`);
    await expect.poll(() => textOf(row)).toContain(`New member ${DESK_MEMBER}`);
    expect(await textOf(row)).toContain(`A member with phone ${PHONE_E164} already exists`);
    expect(await textOf(row)).toContain('DUPLICATE_PHONE');
    expect(await page.locator('[data-testid^="sync-issue-"]').count()).toBe(1);
    await saveScreenshot(page, 'sync-issues');

    await row.getByTestId('sync-dismiss').click();
    await page.getByTestId('sync-dismiss-confirm').click();
    await expect.poll(() => count(`sync-issue-${mutationId}`)).toBe(0);
    await expect.poll(() => textOf(page.getByTestId('sync-issues-empty'))).toBe('Nothing waiting: every change reached the cloud.');
    await expect.poll(() => count('sync-rejected')).toBe(0);

    // The desk now has the cloud's member with that phone, and not its own.
    const byPhone = () => (desk as EmptyDesk).core.call('members/search', { query: PHONE_E164.slice(3) });
    await expect.poll(async () => (await byPhone()).map((m) => m.fullName), { timeout: RECONNECT_MS }).toEqual([CLOUD_MEMBER]);
    expect(await (desk as EmptyDesk).core.call('members/search', { query: DESK_MEMBER })).toEqual([]);
    await page.getByTestId('nav-members').click();
    await page.getByTestId('members-search').fill(PHONE_E164.slice(3));
    await expect.poll(() => textOf(page.getByTestId('search-result').first())).toContain(CLOUD_MEMBER);
    expect(await count('search-result')).toBe(1);

    await expect.poll(() => syncState(), { timeout: RECONNECT_MS }).toEqual({ state: 'online', label: 'Online' });
    expect(await syncStatus()).toMatchObject({ state: 'online', pending: 0, rejected: 0, error: null });
    expect(await count('sync-pending')).toBe(0);
  });

  it('shows plans and settings read-only: on a paired desk the owner changes them in the cloud', async () => {
    await page.getByTestId('nav-plans').click();
    await expect.poll(() => textOf(page.getByTestId('cloud-managed'))).toContain('the owner changes plans there');
    expect(await count('new-plan')).toBe(0);
    expect(await page.getByRole('button', { name: /^Edit / }).count()).toBe(0);

    await page.getByTestId('nav-settings').click();
    await expect.poll(() => count('read-only')).toBe(1);
    expect(await page.getByTestId('read-only').locator('input').first().isDisabled()).toBe(true);
    await saveScreenshot(page, 'paired-settings');
  });
});
