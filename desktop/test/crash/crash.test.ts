/**
 * A crash loses nothing acknowledged (issue 2): SIGKILL the desk process in the middle of a burst of
 * check-ins, then count that every check-in it acknowledged, and its outbox row, is in the database.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DeskReply } from '@gymstack/desktop/core';

const MEMBERS = 200;
const CONCURRENCY = 8;
/** Kill after this many acknowledgements, with CONCURRENCY requests still in flight. */
const KILL_AFTER = 120;

interface Ready {
  port: number;
  token: string;
  memberIds: string[];
}

let dataDir: string;
let child: ChildProcess;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'gymstack-crash-'));
});
afterAll(async () => {
  child.kill('SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
});

/** Node itself with tsx as a loader (not the tsx CLI, which would put a second process between). */
function startDesk(): Promise<Ready> {
  child = spawn(process.execPath, ['--import', 'tsx', '--conditions=gymstack-source', path.join(import.meta.dirname, 'desk-server.ts'), dataDir, String(MEMBERS)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`desk server exited with ${code} before it was ready`)));
    createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line) as Ready));
  });
}

it('keeps every acknowledged check-in and its outbox row through a SIGKILL mid-burst', async () => {
  const { port, token, memberIds } = await startDesk();
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));

  const acknowledged: string[] = [];
  let inFlightAtKill = -1;
  let inFlight = 0;
  let next = 0;

  async function checkInLoop() {
    while (inFlightAtKill < 0) {
      const memberId = memberIds[next++ % memberIds.length];
      inFlight++;
      let reply: DeskReply;
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/call/checkins/create`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ method: 'manual', memberId }),
        });
        reply = (await res.json()) as DeskReply;
      } catch {
        return; // the server died under this request: it was never acknowledged
      } finally {
        inFlight--;
      }
      expect(reply).toMatchObject({ ok: true });
      if (reply.ok) acknowledged.push((reply.data as { checkin: { id: string } }).checkin.id);
      if (acknowledged.length >= KILL_AFTER && inFlightAtKill < 0) {
        inFlightAtKill = inFlight;
        child.kill('SIGKILL');
      }
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, checkInLoop));
  expect(await exited).toBe('SIGKILL');
  expect(inFlightAtKill).toBeGreaterThan(0);

  // Opened read-write so SQLite recovers the WAL the killed process left behind.
  const db = new Database(path.join(dataDir, 'desk.sqlite'));
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const checkin = db.prepare<[string], { n: number }>('select count(*) as n from checkins where id = ?');
    const outbox = db.prepare<[string], { n: number }>("select count(*) as n from outbox where name = 'checkins/create' and instr(args, ?) > 0");
    const missing = acknowledged.filter((id) => checkin.get(id)?.n !== 1 || outbox.get(id)?.n !== 1);
    expect(missing).toEqual([]);
    expect(acknowledged.length).toBeGreaterThanOrEqual(KILL_AFTER);
  } finally {
    db.close();
  }
});
