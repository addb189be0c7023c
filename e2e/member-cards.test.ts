/**
 * Membership cards on the member profile: assign one (the number is normalised to capitals), see it
 * listed and stored; a malformed number and a number another member holds are refused with the
 * core's message beside the box; revoke hands the card over. The steps share one desk and run in order.
 */
import { type MemberSummary, DEMO_PINS } from '@gymstack/desktop/core';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Desk, fieldError, findMember, logIn, openDesk, pickByName, saveScreenshot, textOf } from './desk.js';

const CARD = 'ITF90210';

let desk: Desk;
let page: Page;
/** Has no card yet. */
let holder: MemberSummary;
/** Already carries a card from the demo data. */
let other: MemberSummary;

const storedCards = async (member: MemberSummary) => (await desk.inspect.call('members/get', { memberId: member.id })).cards;
const cardList = () => textOf(page.getByTestId('card-list'));
const cardNumber = () => page.getByTestId('card-number');

/** Opens a member's profile from the members screen and shows its Cards tab. */
async function openCards(member: MemberSummary) {
  await page.getByTestId('nav-members').click();
  await pickByName(page, 'members-search', member);
  await expect.poll(() => textOf(page.getByTestId('profile-name'))).toBe(member.fullName);
  await page.getByRole('tab', { name: /^Cards/ }).click();
  await cardNumber().waitFor();
}

async function assign(number: string) {
  await cardNumber().fill(number);
  await page.getByTestId('card-assign').click();
}

beforeAll(async () => {
  desk = await openDesk();
  page = desk.page;
  holder = await findMember(desk.inspect, 'all', async (m) => (await storedCards(m)).length === 0);
  other = await findMember(desk.inspect, 'all', async (m) => m.id !== holder.id && (await storedCards(m)).length > 0);

  await logIn(page, 'Amit Jadhav', DEMO_PINS.frontdesk);
  await page.getByTestId('header-staff').waitFor();
});

afterEach(() => {
  expect(desk.pageErrors).toEqual([]);
});

afterAll(async () => {
  await desk?.close();
});

describe('membership cards on the profile', () => {
  it('assigns a card: listed on the profile in capitals and stored by the core', async () => {
    await openCards(holder);
    expect(await textOf(page.getByRole('tab', { name: /^Cards/ }))).toBe('Cards (0)');
    await assign(CARD.toLowerCase());

    await expect.poll(cardList).toContain(CARD);
    expect(await textOf(page.getByRole('tab', { name: /^Cards/ }))).toBe('Cards (1)');
    expect(await cardNumber().inputValue()).toBe('');
    expect(await storedCards(holder)).toEqual([CARD]);
    // And a scan of it at the door now names them.
    const scan = await desk.inspect.call('checkins/create', { method: 'card', credential: { kind: 'card', value: CARD } });
    expect(scan.member?.id).toBe(holder.id);
  });

  it('refuses a malformed number beside the box, saving nothing', async () => {
    await assign('AB-1');
    await expect.poll(() => fieldError(cardNumber())).toContain('Card number is 4 to 32 letters or digits');
    expect(await storedCards(holder)).toEqual([CARD]);
  });

  it("refuses another member's card with the core's conflict message beside the box", async () => {
    const before = await storedCards(other);
    await openCards(other);
    await expect.poll(cardList).toContain(before[0]);
    await assign(CARD);

    await expect.poll(() => fieldError(cardNumber())).toContain('This card belongs to another member');
    await saveScreenshot(page, 'card-conflict');
    expect(await cardList()).not.toContain(CARD);
    expect(await storedCards(other)).toEqual(before);
    expect(await storedCards(holder)).toEqual([CARD]);
  });

  it('revokes the card, which can then be handed to the other member', async () => {
    await openCards(holder);
    await page.getByRole('button', { name: `Revoke card ${CARD}` }).click();
    await expect.poll(() => textOf(page.getByRole('tab', { name: /^Cards/ }))).toBe('Cards (0)');
    expect(await page.getByTestId('card-list').count()).toBe(0);
    expect(await storedCards(holder)).toEqual([]);

    await openCards(other);
    await assign(CARD);
    await expect.poll(cardList).toContain(CARD);
    expect(await storedCards(other)).toContain(CARD);
  });
});
