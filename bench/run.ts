/**
 * `npm run bench` runs every group; `npm run bench -- desk` runs one. Each group returns its keyed
 * results; they are merged into bench/results/latest.json together with the machine they ran on.
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchResults } from './measure.js';

type Group = () => Promise<BenchResults>;

const groups: Record<string, () => Promise<Group>> = {
  desk: async () => (await import('./desk.js')).runDeskBench,
  cloud: async () => (await import('./cloud.js')).runCloudBench,
  sync: async () => (await import('./sync.js')).runSyncBench,
  devices: async () => (await import('./devices.js')).runDevicesBench,
  money: async () => (await import('./money.js')).runMoneyBench,
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = wanted.filter((g) => !(g in groups));
if (unknown.length > 0) {
  console.error(`Unknown bench group(s): ${unknown.join(', ')}. Groups: ${Object.keys(groups).join(', ')}`);
  process.exit(2);
}

const resultsFile = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results', 'latest.json');
const previous: { results?: BenchResults } = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')) : {};
const results: BenchResults = { ...previous.results };

for (const name of wanted.length > 0 ? wanted : Object.keys(groups)) {
  console.log(`\n== bench: ${name}`);
  const run = await groups[name]!();
  for (const [key, r] of Object.entries(await run())) {
    results[key] = r;
    const vs = r.baseline === undefined ? '' : `  baseline ${r.baseline} ${r.unit}  ratio ${r.ratio}x`;
    console.log(`${key.padEnd(28)} ${String(r.value).padStart(10)} ${r.unit}${vs}`);
  }
}

const machine = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` };
mkdirSync(path.dirname(resultsFile), { recursive: true });
writeFileSync(resultsFile, `${JSON.stringify({ machine, results }, null, 2)}\n`);
console.log(`\nwrote ${path.relative(process.cwd(), resultsFile)}`);
