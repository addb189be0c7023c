/**
 * The devices group: the desk's fingerprint path on the simulated R307 reader, over a serial line
 * paced at 57,600 baud. See docs/benchmarks.md, "The devices group".
 *
 * One run: the demo desk seeded with 1,000 members, each with one enrolled finger sealed with the gym's
 * template key (bench/devices/desk.ts); a core opened on it with the demo's device configuration and the
 * desk's own `buildDevices`; every packet on the line logged as the module takes or sends it
 * (bench/devices/wire.ts).
 *
 * - `devices.template_load_ratio`: the desk's own loader puts all 1,000 templates on the empty module
 *   as it opens (ReadConList, then DownChar with four data packets and Store per template): its wall
 *   time on the line against the wire limit of the bytes that crossed it (bytes × 10 bits / baud).
 * - `devices.identify_p95_ms`: members' fingers pressed one at a time, each timed from the module
 *   starting to send its Search reply (the match) to the desk's `checkin` event. Baseline: the same
 *   check-in by credential through `checkins/create`, interleaved one for one.
 *
 * Environment: BENCH_DEVICES_TEMPLATES (1000, at most the module's 1,000 pages), BENCH_DEVICES_PRESSES
 * (200 measured, after 20 dropped).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { type CheckinRow, type Core, DEMO_PINS, simulatedFinger } from '@gymstack/desktop/core';
import { type BenchResults, percentile, round, withBaseline } from './measure.js';
import { type Fingerprint, type SimulatedReader, openDeviceDesk, seedFingerprintDesk } from './devices/desk.js';
import type { LineUse } from './devices/wire.js';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const TEMPLATES = env('BENCH_DEVICES_TEMPLATES', 1_000);
const PRESSES = env('BENCH_DEVICES_PRESSES', 200);
const WARMUP = 20;
/** 1,000 templates take about two minutes at 57,600 baud. */
const LOAD_TIMEOUT_MS = 10 * 60_000;

const say = (line: string) => console.log(`  ${line}`);
const load = () => `load average ${os.loadavg()[0]!.toFixed(2)}`;
const secondsSince = (start: number) => (performance.now() - start) / 1000;
const ms = (samples: number[], p: number) => round(percentile(samples, p), 2);
const spread = (samples: number[]) => `p50 ${ms(samples, 50)}, p90 ${ms(samples, 90)}, p95 ${ms(samples, 95)}, p99 ${ms(samples, 99)}, max ${round(Math.max(...samples), 2)} ms`;

/** Waits for the desk's loader to have stored `templates` templates, then measures its stretch of the line. */
async function templateLoad({ module, wire }: SimulatedReader, templates: number): Promise<LineUse> {
  const deadline = performance.now() + LOAD_TIMEOUT_MS;
  while (wire.count('out', 'Store') < templates) {
    if (performance.now() > deadline) throw new Error(`The desk loaded ${wire.count('out', 'Store')} of ${templates} templates in ${LOAD_TIMEOUT_MS / 60_000} min`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  for (let page = 0; page < templates; page++) if (!module.template(page)) throw new Error(`The module has no template at page ${page}`);
  // The load starts with the page map (usedPages, one ReadConList per 256 pages) and ends with the last Store's reply.
  const from = wire.packets.findIndex((p) => p.direction === 'in' && p.command === 'ReadConList');
  let stores = 0;
  const to = wire.packets.findIndex((p) => p.direction === 'out' && p.command === 'Store' && ++stores === templates);
  return wire.use(from, to);
}

/** The desk's next `checkin` event, with the time it was emitted. */
function nextCheckin(core: Core, timeoutMs = 10_000): Promise<{ at: number; checkin: CheckinRow }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`No check-in within ${timeoutMs / 1000} s of the press`));
    }, timeoutMs);
    const off = core.onEvent((e) => {
      if (e.type !== 'checkin') return;
      const at = performance.now();
      clearTimeout(timer);
      off();
      resolve({ at, checkin: e.checkin });
    });
  });
}

const verdictOf = (c: { verdict: string; reason: string | null }) => c.reason ?? c.verdict;
function tally(verdicts: string[]): string {
  const counts = new Map<string, number>();
  for (const v of verdicts) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].map(([v, n]) => `${v} ${n}`).join(', ');
}

interface Identified {
  /** Search reply sent → check-in event. */
  device: number[];
  /** `checkins/create` by the same kind of credential, call to reply. */
  direct: number[];
  /** The press → the Search reply: the reader's capture and search, not part of the figure. */
  capture: number[];
  /** The Search reply's own size on the wire. */
  replyBytes: number;
  verdicts: { device: string[]; direct: string[] };
}

/**
 * `WARMUP + PRESSES` presses, each of a different member (every fourth), each followed by a direct
 * check-in of another member (every fourth, offset by two), so both sides share the run's conditions.
 */
async function identify(core: Core, { module, wire }: SimulatedReader, fingerprints: Fingerprint[]): Promise<Identified> {
  const frontdesk = (await core.call('auth/staff', {})).find((s) => s.role === 'frontdesk');
  if (!frontdesk) throw new Error('The demo desk has no front-desk staff');
  await core.call('auth/login', { staffId: frontdesk.id, pin: DEMO_PINS.frontdesk });
  const result: Identified = { device: [], direct: [], capture: [], replyBytes: 0, verdicts: { device: [], direct: [] } };
  let since = performance.now();
  for (let i = 0; i < WARMUP + PRESSES; i++) {
    const pressed = fingerprints[(4 * i) % fingerprints.length]!;
    const other = fingerprints[(4 * i + 2) % fingerprints.length]!;
    // A GenImg answered after the last verdict: the reader is polling, and its next poll takes the finger.
    await wire.next('out', 'GenImg', since);
    const verdict = nextCheckin(core);
    const pressedAt = performance.now();
    module.tap(simulatedFinger(pressed.memberId));
    const { at, checkin } = await verdict;
    const search = await wire.next('out', 'Search', pressedAt, 0);
    if (checkin.method !== 'finger' || checkin.memberId !== pressed.memberId) throw new Error(`Press ${i} checked in ${checkin.memberId ?? 'nobody'} by ${checkin.method}, not ${pressed.memberId}`);

    const started = performance.now();
    const direct = await core.call('checkins/create', { method: 'finger', credential: { kind: 'finger', value: other.credentialId } });
    const directMs = performance.now() - started;
    if (direct.checkin.memberId !== other.memberId) throw new Error(`The direct check-in ${i} found ${direct.checkin.memberId ?? 'nobody'}, not ${other.memberId}`);
    since = at;
    if (i < WARMUP) continue;
    result.device.push(at - search.at);
    result.direct.push(directMs);
    result.capture.push(search.at - pressedAt);
    result.replyBytes = search.bytes;
    result.verdicts.device.push(verdictOf(checkin));
    result.verdicts.direct.push(verdictOf(direct.checkin));
  }
  return result;
}

export async function runDevicesBench(): Promise<BenchResults> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gymstack-devices-bench-'));
  const started = performance.now();
  try {
    say(`seeding the demo desk with ${TEMPLATES.toLocaleString('en')} members, each with an enrolled finger; ${load()}`);
    const fingerprints = await seedFingerprintDesk(dir, TEMPLATES);
    say(`seeded in ${secondsSince(started).toFixed(1)} s`);

    const { core, reader: built } = await openDeviceDesk(dir);
    try {
      const reader = await built;
      say(`the desk is loading ${TEMPLATES.toLocaleString('en')} templates into the simulated reader at ${reader.module.baudRate.toLocaleString('en')} baud…`);
      const line = await templateLoad(reader, TEMPLATES);
      const ratio = line.seconds / line.limitSeconds;
      const idle = (gaps: number[]) => gaps.reduce((sum, g) => sum + g, 0);
      const host = line.hostGaps.map((g) => g * 1000);
      say(
        `template load: ${line.packets.toLocaleString('en')} packets, ${line.bytes.toLocaleString('en')} bytes both ways in ${line.seconds.toFixed(2)} s; ` +
          `wire limit ${line.limitSeconds.toFixed(2)} s; ratio ${ratio.toFixed(3)} (${((1000 * line.seconds) / TEMPLATES).toFixed(1)} ms per template, ${((1000 * line.limitSeconds) / TEMPLATES).toFixed(1)} ms on the wire)`,
      );
      say(
        `template load, the line idle: ${idle(line.hostGaps).toFixed(2)} s before the host's ${line.hostGaps.length.toLocaleString('en')} packets (p50 ${ms(host, 50)} ms, p99 ${ms(host, 99)} ms, max ${round(Math.max(...host), 2)} ms), ` +
          `${idle(line.moduleGaps).toFixed(3)} s before the module's ${line.moduleGaps.length.toLocaleString('en')} replies; ${load()}`,
      );

      const ids = await identify(core, reader, fingerprints);
      say(
        `identify, Search reply → check-in event (${ids.device.length} presses after ${WARMUP} dropped): ${spread(ids.device)}; verdicts ${tally(ids.verdicts.device)}; ` +
          `the reply itself is ${ids.replyBytes} bytes, ${(1000 * reader.wire.wireSeconds(ids.replyBytes)).toFixed(2)} ms on the wire`,
      );
      say(`identify baseline, checkins/create by finger credential (${ids.direct.length}): ${spread(ids.direct)}; verdicts ${tally(ids.verdicts.direct)}`);
      say(`context, not in the figure: press → Search reply (GenImg, Img2Tz, Search and their replies on the wire, the module's 1:N search; each press lands as a capture starts) p50 ${ms(ids.capture, 50)} ms, p95 ${ms(ids.capture, 95)} ms; ${load()}`);
      say(`the devices group took ${secondsSince(started).toFixed(0)} s`);

      const p = (samples: number[], q: number) => percentile(samples, q);
      return {
        'devices.identify_p95_ms': withBaseline(p(ids.device, 95), p(ids.direct, 95), 'ms'),
        'devices.identify_p50_ms': withBaseline(p(ids.device, 50), p(ids.direct, 50), 'ms'),
        'devices.identify_p99_ms': withBaseline(p(ids.device, 99), p(ids.direct, 99), 'ms'),
        'devices.template_load_ratio': { value: round(ratio), unit: 'x' },
        'devices.template_load_s': withBaseline(line.seconds, line.limitSeconds, 's'),
      };
    } finally {
      await core.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
