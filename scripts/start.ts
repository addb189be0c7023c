/**
 * `npm start`: the demo desk. Seeds the data dir on first run, rebuilds the renderer when its sources
 * are newer than the build, then opens the Electron app — or, when no Electron binary is installed
 * (npm install does not download it here), serves browser mode on 127.0.0.1 and prints the URL.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { DEMO_PINS, openCore, seedDemo } from '@gymstack/desktop/core';
import { type BrowserServer, type DeskEndpoint, startBrowserServer } from '@gymstack/desktop/transport';

const root = path.resolve(import.meta.dirname, '..');
const desktopDir = path.join(root, 'desktop');
const rendererDir = path.join(desktopDir, 'dist', 'renderer');
const dataDir = path.resolve(process.env.GYMSTACK_DATA_DIR ?? path.join(root, '.data'));
const DEFAULT_PORT = 5173;
const pins = Object.entries(DEMO_PINS).map(([role, pin]) => `${role} ${pin}`).join(' · ');
const require = createRequire(import.meta.url);

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    spawn(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' })
      .once('error', reject)
      .once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`))));
  });
}

async function newestChange(paths: string[]): Promise<number> {
  let newest = 0;
  for (const p of paths) {
    const info = await stat(p);
    if (!info.isDirectory()) {
      newest = Math.max(newest, info.mtimeMs);
      continue;
    }
    for (const entry of await readdir(p, { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) newest = Math.max(newest, (await stat(path.join(entry.parentPath, entry.name))).mtimeMs);
    }
  }
  return newest;
}

/** Builds the renderer if it was never built or its sources (and what it imports) changed since. */
async function ensureRendererBuilt() {
  const index = path.join(rendererDir, 'index.html');
  const sources = [path.join(desktopDir, 'src', 'renderer'), path.join(desktopDir, 'src', 'core', 'contract.ts'), path.join(root, 'shared', 'src')];
  if (existsSync(index) && (await stat(index)).mtimeMs >= (await newestChange(sources))) return;
  console.log('Building the renderer…');
  await run('npm', ['run', 'build', '-w', '@gymstack/desktop']);
}

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

async function runElectron(electron: string) {
  // Electron loads compiled JS: main, preload and the core its utility process runs.
  await run(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', desktopDir]);
  console.log(`Opening GymStack. Demo PINs: ${pins}`);
  const app = spawn(electron, [desktopDir], { stdio: 'inherit', env: { ...process.env, GYMSTACK_DATA_DIR: dataDir } });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.kill(signal));
  app.once('exit', (code) => process.exit(code ?? 0));
}

async function serveBrowser(core: DeskEndpoint, port: number): Promise<BrowserServer> {
  try {
    return await startBrowserServer({ core, port, staticDir: rendererDir });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    console.log(`Port ${port} is in use; taking a free one.`);
    return startBrowserServer({ core, port: 0, staticDir: rendererDir });
  }
}

async function runBrowserMode() {
  console.log('Electron binary not available — running in browser mode');
  const core = await openCore({ dataDir });
  const server = await serveBrowser(core, Number(process.env.GYMSTACK_PORT ?? DEFAULT_PORT));
  console.log(`\n  GymStack desk:  ${server.url}\n  Demo PINs:      ${pins}\n  Data:           ${dataDir}\n\n  Ctrl+C stops it.\n`);

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    server
      .close()
      .then(() => core.close())
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

const demo = await seedDemo({ dataDir });
if (demo.seeded) console.log(`Created the demo gym in ${dataDir}: ${demo.members} members, ${demo.checkins} check-ins.`);
await ensureRendererBuilt();
const electron = electronBinary();
await (electron ? runElectron(electron) : runBrowserMode());
