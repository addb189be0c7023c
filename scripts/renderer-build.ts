/**
 * The renderer is served as a Vite build. `npm start` and the end-to-end tests both rebuild it when it
 * was never built or its sources (and what it imports) changed since.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
/** Where `npm run build -w @gymstack/desktop` puts the renderer. */
export const RENDERER_DIR = path.join(root, 'desktop', 'dist', 'renderer');
const sources = [path.join(root, 'desktop', 'src', 'renderer'), path.join(root, 'desktop', 'src', 'core', 'contract.ts'), path.join(root, 'shared', 'src')];

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

export function run(command: string, args: string[], cwd = root): Promise<void> {
  return new Promise((resolve, reject) => {
    spawn(command, args, { cwd, stdio: 'inherit', shell: process.platform === 'win32' })
      .once('error', reject)
      .once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`))));
  });
}

export async function ensureRendererBuilt(): Promise<void> {
  const index = path.join(RENDERER_DIR, 'index.html');
  if (existsSync(index) && (await stat(index)).mtimeMs >= (await newestChange(sources))) return;
  console.log('Building the renderer…');
  await run('npm', ['run', 'build', '-w', '@gymstack/desktop']);
}
