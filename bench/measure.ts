/** Small, dependency-free measurement helpers shared by every bench group. */

export interface BenchResult {
  value: number;
  unit: 'ms' | 'ops/s' | 's' | 'x';
  /** The same work done the simplest possible way in the same run, where the issue names one. */
  baseline?: number;
  ratio?: number;
}
export type BenchResults = Record<string, BenchResult>;

export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new Error('percentile of no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/** Times `fn` once per iteration and returns every sample in milliseconds. */
export async function sampleMs(iterations: number, fn: (i: number) => unknown): Promise<number[]> {
  const samples = new Array<number>(iterations);
  for (let i = 0; i < iterations; i++) {
    const start = process.hrtime.bigint();
    await fn(i);
    samples[i] = Number(process.hrtime.bigint() - start) / 1e6;
  }
  return samples;
}

export const round = (n: number, digits = 3): number => Number(n.toFixed(digits));

export function withBaseline(value: number, baseline: number, unit: BenchResult['unit']): BenchResult {
  return { value: round(value), unit, baseline: round(baseline), ratio: round(value / baseline, 2) };
}

/** The item whose `ratio` is the median (the lower middle of an even count). */
export function medianBy<T>(items: readonly T[], ratio: (item: T) => number): T {
  const sorted = [...items].sort((a, b) => ratio(a) - ratio(b));
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}
