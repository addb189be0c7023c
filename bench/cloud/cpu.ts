/**
 * Who used the machine's CPU during a measured run (Linux /proc): the cloud server, Postgres, this
 * process and its finished children (the load generator, pgbench), and everything else. On a shared
 * 2-core machine another engineer's build or benchmark skews every figure, so each run reports what
 * share "everything else" took, and the bench warns when it is not negligible.
 */
import { readdirSync, readFileSync } from 'node:fs';

const read = (file: string): string | null => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
};

/** utime + stime (+ cutime + cstime with `children`) of a process, in clock ticks. */
function ticksOf(pid: number | string, children = false): number {
  const stat = read(`/proc/${pid}/stat`);
  if (!stat) return 0;
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const own = Number(f[11]) + Number(f[12]);
  return children ? own + Number(f[13]) + Number(f[14]) : own;
}

/**
 * Every Postgres process: the live ones, plus what the postmaster's exited children used (reaped
 * backends' times move to its cutime/cstime), so a pgbench run's 64 backends still count after they end.
 */
function postgresTicks(): number {
  const procs = new Map<string, number>();
  for (const d of readdirSync('/proc')) {
    if (/^\d+$/.test(d) && read(`/proc/${d}/comm`)?.trim() === 'postgres') procs.set(d, 0);
  }
  let sum = 0;
  for (const pid of procs.keys()) {
    const stat = read(`/proc/${pid}/stat`);
    if (!stat) continue;
    const parent = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1] ?? '';
    sum += ticksOf(pid, !procs.has(parent));
  }
  return sum;
}

function busyTicks(): number {
  const cpu = (read('/proc/stat') ?? '').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal
  return (cpu[0] ?? 0) + (cpu[1] ?? 0) + (cpu[2] ?? 0) + (cpu[5] ?? 0) + (cpu[6] ?? 0) + (cpu[7] ?? 0);
}

export interface CpuShares {
  /** CPU seconds of each part during the run. */
  server: number;
  postgres: number;
  /** This process and its children that ended in the run (the load generator or pgbench). */
  client: number;
  other: number;
  /** other / everything. */
  otherShare: number;
}

/** Runs `fn` and reports how the machine's CPU was spent meanwhile (zeros where /proc is missing). */
export async function measureCpu<T>(serverPid: number | undefined, fn: () => Promise<T>): Promise<{ result: T; cpu: CpuShares }> {
  const sample = () => ({ busy: busyTicks(), server: serverPid ? ticksOf(serverPid) : 0, postgres: postgresTicks(), client: ticksOf(process.pid, true) });
  const before = sample();
  const result = await fn();
  const after = sample();
  const hz = 100;
  const d = (k: keyof typeof before) => (after[k] - before[k]) / hz;
  const other = Math.max(0, d('busy') - d('server') - d('postgres') - d('client'));
  return { result, cpu: { server: d('server'), postgres: d('postgres'), client: d('client'), other, otherShare: d('busy') > 0 ? other / d('busy') : 0 } };
}
