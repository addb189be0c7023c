/**
 * The e2e fixture: a fresh demo desk per test file (its own temp data dir, core and browser-mode
 * server), or an empty one that still has to be paired, and the built renderer in Debian's Chromium at
 * 1366×768, plus a few helpers that read the page without waiting, for `expect.poll`.
 */
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { type Browser, type Locator, type Page, chromium } from 'playwright-core';
import { expect } from 'vitest';
import { type BuildDevices, type Core, type DeviceConfig, type MemberSummary, DEMO_PINS, noDevices, openCore, seedDemo } from '@gymstack/desktop/core';
import { startBrowserServer } from '@gymstack/desktop/transport';
import { RENDERER_DIR } from '../scripts/renderer-build.js';
import { ARTIFACTS_DIR, CHROMIUM_PATH } from './paths.js';

export interface Desk {
  page: Page;
  /** The core the page is served by, which drives the devices. Its calls share the page's session (login is desk-wide). */
  core: Core;
  /**
   * What the desk stored, read by a second core on the same data dir. Login is desk-wide in a core,
   * so this one logs in (as the owner) on its own and never touches the session the UI is using.
   */
  inspect: Core;
  /** Uncaught errors in the page, to assert there were none. */
  pageErrors: Error[];
  close(): Promise<void>;
}

/** The core writes today's backup as it opens; wait for it, so the inspector's open finds it done instead of racing it. */
async function firstBackupWritten(dataDir: string): Promise<void> {
  const dir = path.join(dataDir, 'backups');
  const deadline = Date.now() + 15_000;
  while (!(await readdir(dir).catch(() => [])).some((f) => f.endsWith('.sqlite'))) {
    if (Date.now() > deadline) throw new Error(`The desk wrote no backup in ${dir}`);
    await delay(25);
  }
}

function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Serves `core` in browser mode and opens it in Chromium at 1366×768; what it starts is pushed onto `undo`. */
async function openPage(core: Core, undo: (() => Promise<unknown>)[]): Promise<{ page: Page; pageErrors: Error[] }> {
  const server = await startBrowserServer({ core, port: 0, staticDir: RENDERER_DIR });
  undo.push(() => server.close());
  const browser = await launchChromium();
  undo.push(() => browser.close());
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const pageErrors: Error[] = [];
  page.on('pageerror', (error) => pageErrors.push(error));
  await page.goto(server.url);
  return { page, pageErrors };
}

/** Runs the `undo` steps in reverse order, so a failure half-way still cleans up what was started. */
function undoer(undo: (() => Promise<unknown>)[]): () => Promise<void> {
  return async () => {
    const errors: unknown[] = [];
    for (const step of undo.splice(0).reverse()) await step().catch((error: unknown) => errors.push(error));
    if (errors.length > 0) throw new AggregateError(errors, 'e2e desk cleanup failed');
  };
}

export interface DeskOptions {
  /** Device settings in place of the demo's, stored before the desk opens. */
  devices?: DeviceConfig;
  /** Starts the page's devices (the real drivers and simulators by default): wrap it to look inside them. */
  buildDevices?: BuildDevices;
}

async function logInOwner(core: Core): Promise<void> {
  const owner = (await core.call('auth/staff', {})).find((s) => s.role === 'owner');
  if (!owner) throw new Error('The demo desk has no owner');
  await core.call('auth/login', { staffId: owner.id, pin: DEMO_PINS.owner });
}

/** Stores device settings the way the Devices screen does, through a core that starts none of them. */
async function configureDevices(dataDir: string, devices: DeviceConfig): Promise<void> {
  const core = await openCore({ dataDir, buildDevices: noDevices });
  try {
    await logInOwner(core);
    await core.call('devices/configure', devices);
  } finally {
    await core.close();
  }
}

export async function openDesk(options: DeskOptions = {}): Promise<Desk> {
  // Undone in reverse order by close(), so a failure half-way still cleans up what was started.
  const undo: (() => Promise<unknown>)[] = [];
  const close = undoer(undo);
  try {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'gymstack-e2e-'));
    undo.push(() => rm(dataDir, { recursive: true, force: true }));
    await seedDemo({ dataDir });
    if (options.devices) await configureDevices(dataDir, options.devices);

    const core = await openCore({ dataDir, buildDevices: options.buildDevices });
    undo.push(() => core.close());
    await firstBackupWritten(dataDir);
    // The inspector reads what the desk stored; the devices are the UI core's alone.
    const inspect = await openCore({ dataDir, buildDevices: noDevices });
    undo.push(() => inspect.close());
    await logInOwner(inspect);

    const { page, pageErrors } = await openPage(core, undo);
    return { page, core, inspect, pageErrors, close };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}

export interface EmptyDesk {
  page: Page;
  /**
   * The core the page is served by. Unlike a demo desk's `inspect`, there is no second core: a paired
   * core syncs as it opens, and two on one data dir would both push its outbox. Its calls share the
   * page's session (login is desk-wide), so read with it only once someone is logged in.
   */
  core: Core;
  dataDir: string;
  /** Uncaught errors in the page, to assert there were none. */
  pageErrors: Error[];
  close(): Promise<void>;
}

/** A fresh desk that was never set up (no demo data, not paired): the window opens on the pairing screen. */
export async function openEmptyDesk(): Promise<EmptyDesk> {
  const undo: (() => Promise<unknown>)[] = [];
  const close = undoer(undo);
  try {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'gymstack-e2e-'));
    undo.push(() => rm(dataDir, { recursive: true, force: true }));
    const core = await openCore({ dataDir });
    undo.push(() => core.close());
    const { page, pageErrors } = await openPage(core, undo);
    return { page, core, dataDir, pageErrors, close };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}

/**
 * The first member under `filter` that `accept`s and whom a search by full name puts first with no
 * namesake, so typing the name and taking the top result is unambiguous.
 */
export async function findMember(
  inspect: Core,
  filter: 'all' | 'active' | 'expired',
  accept: (member: MemberSummary) => Promise<boolean> | boolean = () => true,
): Promise<MemberSummary> {
  const { items } = await inspect.call('members/list', { filter, limit: 200 });
  for (const member of items) {
    if (!(await accept(member))) continue;
    const found = await inspect.call('members/search', { query: member.fullName, limit: 50 });
    if (found[0]?.id === member.id && found.filter((m) => m.fullName === member.fullName).length === 1) return member;
  }
  throw new Error(`The demo desk has no suitable ${filter} member`);
}

/** Types a member's name into a member search box and presses Enter once they are the top result. */
export async function pickByName(page: Page, searchTestId: string, member: MemberSummary): Promise<void> {
  const search = page.getByTestId(searchTestId);
  await search.fill(member.fullName);
  await expect.poll(() => textOf(page.getByTestId('search-result').first())).toContain(member.code);
  await search.press('Enter');
}

/** Picks a staff member on the PIN screen and logs in. */
export async function logIn(page: Page, name: string, pin: string): Promise<void> {
  await page.getByRole('button', { name: new RegExp(name) }).click();
  await page.getByLabel('PIN', { exact: true }).fill(pin);
  await page.getByTestId('login-submit').click();
}

/**
 * The little of the DOM the helpers below read inside the page. (The tools project has no DOM lib,
 * and adding one would change the globals of every script and bench beside e2e.)
 */
interface DomElement {
  readonly innerText: string;
  readonly textContent: string | null;
  readonly dataset: Record<string, string | undefined>;
  readonly ownerDocument: { getElementById(id: string): DomElement | null };
  getAttribute(name: string): string | null;
  querySelector(selector: string): DomElement | null;
  scrollIntoView(options: { block: 'start' }): void;
}

/** The first match's visible text now, or null when there is none: for `expect.poll`, never waits. */
export const textOf = (locator: Locator): Promise<string | null> =>
  locator.evaluateAll((elements: DomElement[]) => elements[0]?.innerText.trim() ?? null);

/** What a field announces (aria-describedby: its error, then its description) while marked invalid; null while it is not. */
export const fieldError = (input: Locator): Promise<string[] | null> =>
  input.evaluateAll(([element]: DomElement[]) => {
    if (!element || element.getAttribute('aria-invalid') !== 'true') return null;
    const ids = element.getAttribute('aria-describedby')?.split(/\s+/) ?? [];
    return ids.map((id) => element.ownerDocument.getElementById(id)?.textContent?.trim() ?? '');
  });

/** The verdict panel now: null while idle. */
export const verdictShown = (page: Page) =>
  page.getByTestId('verdict').evaluateAll(([panel]: DomElement[]) => {
    if (!panel) return null;
    const part = (id: string) => panel.querySelector(`[data-testid="${id}"]`)?.innerText.trim() ?? null;
    return { verdict: panel.dataset.verdict, name: part('verdict-name'), reason: part('verdict-reason'), daysLeft: part('verdict-days-left') };
  });

/** Scrolls the element's document (a frame's, if it is in one) until the element is at the top. */
export const scrollToTop = (locator: Locator): Promise<void> => locator.evaluate((element: DomElement) => element.scrollIntoView({ block: 'start' }));

/** Saves a screenshot under e2e/artifacts and returns its path. */
export async function saveScreenshot(target: Page | Locator, name: string): Promise<string> {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, `${name}.png`);
  await target.screenshot({ path: file, animations: 'disabled' });
  return file;
}
