/**
 * `npm start`: the demo desk and its cloud. Starts the demo cloud (scripts/demo-cloud.ts); on first run
 * pairs the desk with it and seeds the desk's history, which then syncs up. Rebuilds the renderer when
 * its sources are newer than the build, then opens the Electron app — or, when no Electron binary is
 * installed (npm install does not download it here), serves browser mode on 127.0.0.1 and prints the URL.
 * Should the cloud not start, the desk is set up standalone and works just the same, offline.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { DEMO_PINS, openCore, seedDemo } from '@gymstack/desktop/core';
import { type BrowserServer, type DeskEndpoint, startBrowserServer } from '@gymstack/desktop/transport';
import type { Cloud } from '@gymstack/cloud';
import { DEMO_OWNER, pairWithDemoCloud, startDemoCloud } from './demo-cloud.js';
import { RENDERER_DIR, ensureRendererBuilt, run } from './renderer-build.js';

const root = path.resolve(import.meta.dirname, '..');
const desktopDir = path.join(root, 'desktop');
const dataDir = path.resolve(process.env.GYMSTACK_DATA_DIR ?? path.join(root, '.data'));
const DEFAULT_PORT = 5173;
const pins = Object.entries(DEMO_PINS).map(([role, pin]) => `${role} ${pin}`).join(' · ');
const require = createRequire(import.meta.url);

/** The Electron executable, or null. The package's index.js throws when its binary was never downloaded. */
function electronBinary(): string | null {
  const locate = () => {
    try {
      const found: unknown = require('electron');
      return typeof found === 'string' && existsSync(found) ? found : null;
    } catch {
      return null;
    }
  };
  const found = locate();
  if (found) return found;
  // npm install skips Electron's download script; try it once. Offline it fails within a second.
  console.log('Electron binary not installed; trying to download it…');
  const install = spawnSync(process.execPath, [require.resolve('electron/install.js')], { stdio: 'ignore', timeout: 60_000 });
  return install.status === 0 ? locate() : null;
}

/**
 * The installed better-sqlite3 is built for Node's ABI, which Electron's utility process cannot load.
 * Fetch the prebuilt binary for this Electron once, into the data dir, and leave node_modules as the
 * tests need it. (A packaged app gets its own build from electron-builder's rebuild.)
 */
async function electronSqliteBinding(): Promise<string> {
  const version = (require('electron/package.json') as { version: string }).version;
  const binding = path.join(dataDir, 'native', `electron-${version}-${process.platform}-${process.arch}`, 'better_sqlite3.node');
  if (existsSync(binding)) return binding;
  console.log(`Fetching better-sqlite3 for Electron ${version}…`);
  const sqlitePackage = require.resolve('better-sqlite3/package.json');
  const prebuildInstall = createRequire(sqlitePackage).resolve('prebuild-install/bin.js');
  const work = await mkdtemp(path.join(os.tmpdir(), 'gymstack-sqlite-'));
  try {
    await cp(path.dirname(sqlitePackage), work, { recursive: true, filter: (src) => !src.includes(`${path.sep}build${path.sep}`) });
    await run(process.execPath, [prebuildInstall, '--runtime=electron', `--target=${version}`, `--arch=${process.arch}`], work);
    await mkdir(path.dirname(binding), { recursive: true });
    await copyFile(path.join(work, 'build', 'Release', 'better_sqlite3.node'), binding);
    return binding;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function runElectron(electron: string, sqliteBinding: string) {
  // Electron loads compiled JS: main, preload and the core its utility process runs.
  await run(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', desktopDir]);
  console.log(`Opening GymStack. Demo PINs: ${pins}`);
  const app = spawn(electron, [desktopDir], {
    stdio: 'inherit',
    env: { ...process.env, GYMSTACK_DATA_DIR: dataDir, GYMSTACK_SQLITE_BINDING: sqliteBinding },
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.kill(signal));
  app.once('exit', (code) => process.exit(code ?? 0));
}

async function serveBrowser(core: DeskEndpoint, port: number): Promise<BrowserServer> {
  try {
    return await startBrowserServer({ core, port, staticDir: RENDERER_DIR });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    console.log(`Port ${port} is in use; taking a free one.`);
    return startBrowserServer({ core, port: 0, staticDir: RENDERER_DIR });
  }
}

async function runBrowserMode(why: string, cloud: Cloud | null) {
  console.log(`${why} — running in browser mode`);
  const core = await openCore({ dataDir });
  const server = await serveBrowser(core, Number(process.env.GYMSTACK_PORT ?? DEFAULT_PORT));
  const cloudLine = cloud ? `\n  Cloud:          ${cloud.url} (API docs at /docs; owner ${DEMO_OWNER.email} / ${DEMO_OWNER.password})` : '';
  console.log(`\n  GymStack desk:  ${server.url}\n  Demo PINs:      ${pins}${cloudLine}\n  Data:           ${dataDir}\n\n  Ctrl+C stops it.\n`);

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    server
      .close()
      .then(() => core.close())
      .then(() => cloud?.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(error);
          process.exit(1);
        },
      );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

const cloud = await startDemoCloud(dataDir).catch((error: unknown) => {
  console.log(`The demo cloud did not start (${error instanceof Error ? error.message : String(error)}); the desk runs standalone.`);
  return null;
});
const demo = await seedDemo({ dataDir, ...(cloud ? { pair: pairWithDemoCloud(cloud.url, dataDir) } : {}) });
if (demo.seeded) {
  const synced = cloud ? '; it syncs up to the demo cloud now' : '';
  console.log(`Created the demo gym in ${dataDir}: ${demo.members} members, ${demo.checkins} check-ins${synced}.`);
}
await ensureRendererBuilt();
const electron = electronBinary();
if (!electron) await runBrowserMode('Electron binary not available', cloud);
else {
  const binding = await electronSqliteBinding().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    return null;
  });
  await (binding ? runElectron(electron, binding) : runBrowserMode('No SQLite build for this Electron', cloud));
}
