/**
 * Issue 2, "Must show": a front-desk day in Chromium against browser mode. PIN login; an active
 * member checks in; an expired one is denied with the reason; a renewal is sold for cash and its
 * receipt carries the right CGST/SGST split and the desk's invoice number; the renewed member then
 * gets in; a new member with a bad phone and email is refused field by field, then saved once fixed.
 * The steps share one desk and run in order.
 */
import { type MemberSummary, DEMO_PINS } from '@gymstack/desktop/core';
import { formatInr, splitGst } from '@gymstack/shared';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Desk, fieldError, findMember, logIn, openDesk, pickByName, saveScreenshot, scrollToTop, textOf, verdictShown } from './desk.js';

const FRONT_DESK = 'Amit Jadhav';
const RENEWAL_PLAN = 'Quarterly';

let desk: Desk;
let page: Page;
/** Checks in without trouble: active, on a plan open all day, no dues, not in within the last hour. */
let regular: MemberSummary;
/** Expired, then renewed in this file. */
let lapsed: MemberSummary;

async function checkIn(member: MemberSummary) {
  await page.getByTestId('nav-checkin').click();
  await pickByName(page, 'checkin-search', member);
}

const latestCheckin = async () => (await desk.inspect.call('checkins/recent', { limit: 1 }))[0];
const memberCount = async () => (await desk.inspect.call('members/list', { filter: 'all', limit: 1 })).total;

beforeAll(async () => {
  desk = await openDesk();
  page = desk.page;
  const plans = await desk.inspect.call('plans/list', {});
  const allDay = new Set(plans.filter((p) => p.access.hours === null).map((p) => p.name));
  const anHourAgo = Date.now() - 60 * 60_000;
  regular = await findMember(desk.inspect, 'active', async (m) => {
    if (!m.status.planName || !allDay.has(m.status.planName) || m.status.duePaise > 0) return false;
    const { checkins } = await desk.inspect.call('members/get', { memberId: m.id });
    return checkins.every((c) => Date.parse(c.at) < anHourAgo);
  });
  lapsed = await findMember(desk.inspect, 'expired', (m) => m.status.duePaise === 0);
});

afterEach(() => {
  expect(desk.pageErrors).toEqual([]);
});

afterAll(async () => {
  await desk?.close();
});

describe('a front-desk day', () => {
  it('logs the front desk in with their PIN, after refusing a wrong one', async () => {
    await logIn(page, FRONT_DESK, '9999');
    await expect.poll(() => textOf(page.getByTestId('login-error'))).toMatch(/PIN/i);

    await page.getByLabel('PIN', { exact: true }).fill(DEMO_PINS.frontdesk);
    await page.getByTestId('login-submit').click();
    await expect.poll(() => textOf(page.getByTestId('header-staff'))).toBe(FRONT_DESK);
    expect(await textOf(page.getByTestId('status-staff'))).toBe(`${FRONT_DESK} · frontdesk`);
  });

  it('checks in an active member found by name: allowed, and recorded by the core', async () => {
    await checkIn(regular);
    await expect.poll(() => verdictShown(page)).toMatchObject({ verdict: 'allow', name: regular.fullName, reason: null });
    expect((await verdictShown(page))?.daysLeft).toMatch(/\d+ days? left|Last day today/);

    const checkin = await latestCheckin();
    expect(checkin).toMatchObject({ memberId: regular.id, verdict: 'allow', method: 'manual', reason: null });
    await expect.poll(() => textOf(page.getByTestId('recent-checkins').locator('tbody tr').first())).toContain(regular.fullName);
    await saveScreenshot(page, 'checkin-allow');
  });

  it('denies an expired member with the reason shown, and records the denial', async () => {
    await checkIn(lapsed);
    await expect.poll(() => verdictShown(page)).toMatchObject({ verdict: 'deny', name: lapsed.fullName, reason: 'Membership expired' });
    expect(await latestCheckin()).toMatchObject({ memberId: lapsed.id, verdict: 'deny', reason: 'EXPIRED' });
    await saveScreenshot(page, 'checkin-deny');
  });

  it('sells the expired member a renewal for cash; the receipt shows the GST split and the invoice number the core stored', async () => {
    const [plan] = (await desk.inspect.call('plans/list', {})).filter((p) => p.name === RENEWAL_PLAN);
    if (!plan) throw new Error(`No ${RENEWAL_PLAN} plan`);
    const { gym, settings } = await desk.inspect.call('desk/info', {});
    const { member } = await desk.inspect.call('members/get', { memberId: lapsed.id });
    // The premises of the expected split: 18% GST included in the price, member and gym in one state.
    expect({ inclusive: plan.taxInclusive, rateBps: plan.gstRateBps, gymState: gym.stateCode, memberState: member.stateCode ?? gym.stateCode }).toEqual({
      inclusive: true,
      rateBps: 1800,
      gymState: '27',
      memberState: '27',
    });
    const gst = splitGst({ amountPaise: plan.pricePaise, inclusive: true, rateBps: 1800, intraState: true });
    expect(gst.cgstPaise + gst.sgstPaise + gst.taxablePaise).toBe(plan.pricePaise);

    await page.getByTestId('nav-sell').click();
    await pickByName(page, 'sell-member-search', lapsed);
    await expect.poll(() => textOf(page.getByTestId('sell-member'))).toBe(lapsed.fullName);
    expect(await page.getByTestId('sale-type').getByRole('radio', { name: /Renewal/ }).getAttribute('aria-checked')).toBe('true');
    await page.getByRole('radio', { name: new RegExp(`^${RENEWAL_PLAN}`) }).click();
    await page.getByRole('radio', { name: 'Cash' }).click();
    await expect.poll(() => textOf(page.getByTestId('sale-total'))).toBe(formatInr(plan.pricePaise));
    expect(await page.getByTestId('payment-amount').inputValue()).toBe(String(plan.pricePaise / 100));
    await page.getByTestId('sell-confirm').click();
    await expect.poll(() => textOf(page.getByTestId('sale-done'))).toContain(`Sold ${RENEWAL_PLAN} to ${lapsed.fullName} · paid ${formatInr(plan.pricePaise)}`);

    // What the core stored: an active term and one cash payment for the full price, with its invoice.
    const after = await desk.inspect.call('members/get', { memberId: lapsed.id });
    expect(after.status).toMatchObject({ state: 'active', planName: RENEWAL_PLAN, duePaise: 0 });
    const payment = after.payments[0];
    expect(payment).toMatchObject({ method: 'cash', amountPaise: plan.pricePaise });
    const invoiceNumber = payment?.invoiceNumber ?? '';
    expect(invoiceNumber.startsWith(`${settings.invoicePrefix}/`)).toBe(true);

    // The receipt the desk shows, inside its sandboxed frame.
    await expect.poll(() => textOf(page.getByTestId('receipt-number'))).toBe(`Invoice ${invoiceNumber}`);
    const receipt = page.frameLocator('[data-testid="receipt"]');
    const amountIn = (label: RegExp) => textOf(receipt.locator('tr').filter({ has: receipt.locator('th', { hasText: label }) }).locator('td'));
    await expect.poll(() => textOf(receipt.locator('body'))).toContain(`Invoice no. ${invoiceNumber}`);
    expect(await amountIn(/^CGST @ 9%$/)).toBe(formatInr(gst.cgstPaise));
    expect(await amountIn(/^SGST @ 9%$/)).toBe(formatInr(gst.sgstPaise));
    expect(await amountIn(/^Taxable value$/)).toBe(formatInr(gst.taxablePaise));
    expect(await amountIn(/^Total$/)).toBe(formatInr(plan.pricePaise));
    expect(await textOf(receipt.locator('body'))).not.toContain('IGST');
    expect(await textOf(receipt.locator('body'))).toContain(`Billed to ${lapsed.fullName}`);

    // The frame is shorter than the invoice: start the picture at the seller's GSTIN so the split shows.
    await scrollToTop(receipt.getByText('GSTIN:'));
    await saveScreenshot(page.getByTestId('receipt'), 'receipt');
  });

  it('lets the renewed member in', async () => {
    await checkIn(lapsed);
    await expect.poll(() => verdictShown(page)).toMatchObject({ verdict: 'allow', name: lapsed.fullName, reason: null });
    expect(await latestCheckin()).toMatchObject({ memberId: lapsed.id, verdict: 'allow' });
  });

  it('enrols a new member: a bad phone and email are shown beside their fields and nothing is saved, then the fixed form saves', async () => {
    const name = 'Ishita Vartak';
    const phone = '98220 17345';
    expect(await desk.inspect.call('members/search', { query: '9822017345' })).toEqual([]);
    const before = await memberCount();

    await page.getByTestId('nav-members').click();
    await page.getByTestId('new-member').click();
    const phoneField = page.getByLabel('Phone').first();
    const emailField = page.getByLabel('Email');
    await page.getByLabel('Full name').fill(name);
    await phoneField.fill('12345');
    await emailField.fill('ishita@');
    await page.getByTestId('member-save').click();

    await expect.poll(() => fieldError(phoneField)).toEqual(['Enter a valid mobile number']);
    expect(await fieldError(emailField)).toEqual(['Enter a valid email address']);
    expect(await fieldError(page.getByLabel('Full name'))).toBeNull();
    await saveScreenshot(page, 'new-member-errors');
    expect(await memberCount()).toBe(before);
    expect(await desk.inspect.call('members/search', { query: name })).not.toContainEqual(expect.objectContaining({ fullName: name }));

    await phoneField.fill(phone);
    await emailField.fill('ishita.vartak@example.com');
    await page.getByTestId('member-save').click();
    // Saved members open on their profile.
    await expect.poll(() => textOf(page.getByTestId('profile-name'))).toBe(name);
    expect(await memberCount()).toBe(before + 1);
    const [saved] = await desk.inspect.call('members/search', { query: '9822017345' });
    expect(saved).toMatchObject({ fullName: name, phone: '+919822017345' });
    const { member } = await desk.inspect.call('members/get', { memberId: saved?.id ?? '' });
    expect(member.email).toBe('ishita.vartak@example.com');
  });
});
