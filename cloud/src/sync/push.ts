import {
  AppError,
  ErrorCode,
  MIN_SYNC_SCHEMA_VERSION,
  type ParsedMutation,
  type PushEntry,
  type PushRequest,
  type PushResponse,
  type PushResult,
  SYNC_SCHEMA_VERSION,
  errors,
  isAppError,
  isCompatibleSchemaVersion,
  parseMutation,
} from '@gymstack/shared';
import type { FastifyBaseLogger } from 'fastify';
import { type Insertable, type Kysely, type Transaction, sql } from 'kysely';
import type { Database, SyncMutationTable } from '../db/schema.js';
import { type TenantScope, withTenant } from '../db/tenant.js';
import { type GymRow, gymAt } from '../domain/gym.js';
import { applyCheckins, applyMutation, voidDeskInvoiceNumber } from './push-apply.js';

type Stop = NonNullable<PushResponse['stopped']>;
type Settled = { lastSeq: number } & ({ result: PushResult } | { stop: Stop });

/** Postgres errors that mean the mutation names rows the cloud refuses, not a server fault. */
const rejectionOfSqlState: Record<string, (message: string) => AppError> = {
  '23503': () => errors.notFound('A row this change refers to'),
  '23505': () => errors.conflict('This change clashes with a row the cloud already has'),
  '23514': (m) => errors.validation([{ path: '', message: m }]),
};

/** A business rejection: recorded, acknowledged, and the queue goes on. Anything else stops the push. */
function asRejection(error: unknown): { code: ErrorCode; message: string } | null {
  if (isAppError(error)) return { code: error.code, message: error.message };
  const { code, message } = error as { code?: string; message?: string };
  const rejection = code === undefined ? undefined : rejectionOfSqlState[code];
  return rejection ? rejection(message ?? '').toPayload() : null;
}

type Rejection = { code: ErrorCode; message: string };

/**
 * Thrown inside a mutation's transaction to roll all of it back; the rejection is then recorded in a
 * transaction of its own (see `recordRejection`). The happy path thus needs no savepoint.
 */
class Rejected extends Error {
  constructor(
    readonly mutation: ParsedMutation,
    readonly rejection: Rejection,
  ) {
    super(rejection.message);
  }
}

/**
 * Locks the device's sync row for the rest of the transaction (replays of one outbox serialize here),
 * and says in the same statement which of `mutationIds` were settled before.
 */
async function lockState(trx: Transaction<Database>, deviceId: string, mutationIds: readonly string[]): Promise<{ last: number; seen: Set<string> }> {
  const row = await trx
    .selectFrom('device_sync_state')
    .select(['last_seq', sql<string[]>`array(select m.mutation_id::text from sync_mutations m where m.mutation_id = any(${[...mutationIds]}::uuid[]))`.as('seen')])
    .where('device_id', '=', deviceId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  return { last: row.last_seq, seen: new Set(row.seen) };
}

const advance = (trx: Transaction<Database>, deviceId: string, seq: number) =>
  trx.updateTable('device_sync_state').set({ last_seq: seq, updated_at: new Date() }).where('device_id', '=', deviceId).execute();

/**
 * What the push log keeps of a mutation's arguments. A fingerprint template lives once, sealed, on its
 * credential, where erasure destroys it; an append-only log must never hold a second copy.
 */
const loggedArgs = (mutation: ParsedMutation): unknown => (mutation.name === 'fingerprints/enroll' ? { ...mutation.args, template: null } : mutation.args);

/** The row that records how a mutation was settled. */
const outcomeRow = (caller: TenantScope, deviceId: string, entry: PushEntry, mutation: ParsedMutation, rejection: Rejection | null): Insertable<SyncMutationTable> => ({
  gym_id: caller.gymId,
  mutation_id: entry.mutationId,
  device_id: deviceId,
  seq: entry.seq,
  name: mutation.name,
  args: JSON.stringify(loggedArgs(mutation)),
  status: rejection ? 'rejected' : 'applied',
  error_code: rejection?.code ?? null,
  error_message: rejection?.message ?? null,
  desk_created_at: entry.createdAt,
});

/** The mutation's outcome and the device's new high-water mark, in one statement. */
async function record(trx: Transaction<Database>, caller: TenantScope, deviceId: string, entry: PushEntry, mutation: ParsedMutation, rejection: Rejection | null): Promise<void> {
  await trx
    .with('outcome', (db) => db.insertInto('sync_mutations').values(outcomeRow(caller, deviceId, entry, mutation, rejection)))
    .updateTable('device_sync_state')
    .set({ last_seq: entry.seq, updated_at: new Date() })
    .where('device_id', '=', deviceId)
    .execute();
}

/** Where the device stands for `entry`: settled already, out of order, or next (null). */
function position(last: number, { seq, mutationId }: PushEntry): Settled | null {
  if (seq <= last) return { lastSeq: last, result: { seq, mutationId, status: 'duplicate' } };
  if (seq > last + 1) return { lastSeq: last, stop: { seq, code: ErrorCode.SeqGap, message: `Expected seq ${last + 1} next, got ${seq}: push from there` } };
  return null;
}

async function settle(trx: Transaction<Database>, caller: TenantScope, gym: GymRow, deviceId: string, entry: PushEntry): Promise<Settled> {
  const { seq, mutationId } = entry;
  const { last, seen } = await lockState(trx, deviceId, [mutationId]);
  const out = position(last, entry);
  if (out) return out;

  let mutation: ParsedMutation;
  try {
    mutation = parseMutation(entry.name, entry.args);
  } catch (error) {
    // A desk bug, not a business rule: stop here and do not advance, so nothing is lost or reordered.
    if (!isAppError(error)) throw error;
    return { lastSeq: last, stop: { seq, code: error.code, message: error.message } };
  }
  if (seen.has(mutationId)) {
    // The same mutation under a new seq (a re-queued entry): it was settled once; settle the seq too.
    await advance(trx, deviceId, seq);
    return { lastSeq: seq, result: { seq, mutationId, status: 'duplicate' } };
  }
  try {
    await applyMutation(trx, caller, gymAt(gym, new Date()), mutation);
  } catch (thrown) {
    const rejection = asRejection(thrown);
    if (!rejection) throw thrown;
    throw new Rejected(mutation, rejection);
  }
  await record(trx, caller, deviceId, entry, mutation, null);
  return { lastSeq: seq, result: { seq, mutationId, status: 'applied' } };
}

/**
 * Records a business rejection (the mutation's own transaction was rolled back), unless settled meanwhile,
 * and voids the desk invoice number the refused payment took, in the same transaction: the rejection is
 * never acknowledged without its number accounted for.
 */
async function recordRejection(trx: Transaction<Database>, caller: TenantScope, gym: GymRow, deviceId: string, entry: PushEntry, rejected: Rejected): Promise<Settled> {
  const { last } = await lockState(trx, deviceId, [entry.mutationId]);
  const out = position(last, entry);
  if (out) return out;
  await record(trx, caller, deviceId, entry, rejected.mutation, rejected.rejection);
  const voided = await voidDeskInvoiceNumber(trx, caller, gym, entry, rejected.mutation, rejected.rejection);
  if (!voided) return { lastSeq: entry.seq, result: { seq: entry.seq, mutationId: entry.mutationId, status: 'rejected', error: rejected.rejection } };
  // The desk shows this (trying the same payment again would reuse a number now void); the cloud's
  // record keeps the refusal, and the void row says the rest.
  const rejection = { ...rejected.rejection, message: `${rejected.rejection.message}. Invoice ${voided} is void: record the payment again for a new invoice` };
  return { lastSeq: entry.seq, result: { seq: entry.seq, mutationId: entry.mutationId, status: 'rejected', error: rejection } };
}

/** What a run of entries came to: their results in seq order, the new high-water mark, and a stop if any. */
interface RunOutcome {
  lastSeq: number;
  results: PushResult[];
  stop: Stop | null;
}

/**
 * Settles consecutive `checkins/create` entries in one transaction: the high volume of a desk back from
 * days offline. Check-ins are append-only and never conflict, and each is checked up front (not by a
 * failing statement), so a refused one is recorded as rejected beside the applied ones, exactly as one
 * at a time; positions, duplicates and the stop at a gap or a malformed entry are as in `settle`.
 */
async function settleCheckins(trx: Transaction<Database>, caller: TenantScope, gym: GymRow, deviceId: string, run: readonly PushEntry[]): Promise<RunOutcome> {
  const { last, seen } = await lockState(
    trx,
    deviceId,
    run.map((e) => e.mutationId),
  );
  const results: PushResult[] = [];
  const fresh: { entry: PushEntry; mutation: Extract<ParsedMutation, { name: 'checkins/create' }>; at: number }[] = [];
  let lastSeq = last;
  let stop: Stop | null = null;
  for (const entry of run) {
    const out = position(lastSeq, entry);
    if (out && 'stop' in out) {
      stop = out.stop;
      break;
    }
    if (out) {
      results.push(out.result);
      continue;
    }
    let mutation: ParsedMutation;
    try {
      mutation = parseMutation(entry.name, entry.args);
    } catch (error) {
      if (!isAppError(error)) throw error;
      stop = { seq: entry.seq, code: error.code, message: error.message };
      break;
    }
    lastSeq = entry.seq;
    // Settled before under another seq (a re-queued entry): this seq settles as a duplicate.
    if (seen.has(entry.mutationId)) {
      results.push({ seq: entry.seq, mutationId: entry.mutationId, status: 'duplicate' });
      continue;
    }
    if (mutation.name !== 'checkins/create') throw new Error(`${mutation.name} in a run of check-ins`);
    fresh.push({ entry, mutation, at: results.length });
    results.push({ seq: entry.seq, mutationId: entry.mutationId, status: 'applied' });
  }
  if (lastSeq === last) return { lastSeq, results, stop };

  const refused = await applyCheckins(trx, caller, gymAt(gym, new Date()), fresh.map((f) => f.mutation.args));
  const outcomes = fresh.map(({ entry, mutation, at }, i) => {
    const error = refused[i];
    const rejection = error ? { code: error.code, message: error.message } : null;
    if (rejection) results[at] = { seq: entry.seq, mutationId: entry.mutationId, status: 'rejected', error: rejection };
    return outcomeRow(caller, deviceId, entry, mutation, rejection);
  });
  if (outcomes.length > 0) await trx.insertInto('sync_mutations').values(outcomes).execute();
  await advance(trx, deviceId, lastSeq);
  return { lastSeq, results, stop };
}

/** The entries from `from` on that are check-ins, in a row (at least the entry at `from`). */
function checkinRun(entries: readonly PushEntry[], from: number): PushEntry[] {
  let end = from;
  while (end < entries.length && entries[end]?.name === 'checkins/create') end++;
  return entries.slice(from, end);
}

/**
 * POST /sync/push (DESIGN 6): applies a desk's outbox entries in seq order, each in its own transaction
 * under the desk's gym scope. Order comes from seq alone, never from the desk's clock. Returns how far
 * the server got (`lastSeq`) and why it stopped, if it did.
 */
export async function push(db: Kysely<Database>, caller: TenantScope, request: PushRequest, log?: FastifyBaseLogger): Promise<PushResponse> {
  const deviceId = caller.deviceId;
  if (caller.role !== 'desk' || deviceId === null) throw errors.forbidden('paired desk');
  if (request.deviceId !== deviceId) throw new AppError(ErrorCode.Forbidden, 'forged device id: a desk pushes only its own outbox');
  if (!isCompatibleSchemaVersion(request.schemaVersion)) {
    const update = request.schemaVersion > SYNC_SCHEMA_VERSION ? 'This desk is newer than the cloud: its changes are applied once the cloud is updated' : 'Update the desk app';
    throw new AppError(
      ErrorCode.SchemaVersionMismatch,
      `This desk speaks sync schema version ${request.schemaVersion}; the cloud applies versions ${MIN_SYNC_SCHEMA_VERSION} to ${SYNC_SCHEMA_VERSION}. ${update}; its pending changes are kept.`,
    );
  }

  // The desk's sync row, made on its first push; a replay changes nothing in it (or anywhere).
  const start = await withTenant(db, caller, async (trx) => {
    await trx
      .insertInto('device_sync_state')
      .values({ gym_id: caller.gymId, device_id: deviceId, schema_version: request.schemaVersion })
      .onConflict((oc) => oc.columns(['gym_id', 'device_id']).doNothing())
      .execute();
    await trx
      .updateTable('device_sync_state')
      .set({ schema_version: request.schemaVersion, updated_at: new Date() })
      .where('device_id', '=', deviceId)
      .where('schema_version', '<>', request.schemaVersion)
      .execute();
    const row = await trx.selectFrom('device_sync_state').select('last_seq').where('device_id', '=', deviceId).executeTakeFirstOrThrow();
    // The gym's rules and clock for every mutation of this push.
    return { lastSeq: row.last_seq, gym: await trx.selectFrom('gyms').selectAll().executeTakeFirstOrThrow() };
  });
  let { lastSeq } = start;

  const results: PushResult[] = [];
  let stopped: Stop | null = null;
  const { entries } = request;
  for (let i = 0; i < entries.length && !stopped; ) {
    const run = checkinRun(entries, i);
    if (run.length > 1) {
      try {
        const outcome = await withTenant(db, caller, (trx) => settleCheckins(trx, caller, start.gym, deviceId, run));
        results.push(...outcome.results);
        lastSeq = outcome.lastSeq;
        stopped = outcome.stop;
        i += run.length;
        continue;
      } catch (error) {
        // Rolled back whole; the same entries go one at a time below, which pins down the one at fault.
        log?.warn({ err: error, from: run[0]?.seq, to: run.at(-1)?.seq }, 'sync push: a run of check-ins failed together; applying them one by one');
      }
    }
    for (const entry of run.length > 1 ? run : [entries[i] as PushEntry]) {
      let settled: Settled;
      try {
        settled = await withTenant(db, caller, (trx) => settle(trx, caller, start.gym, deviceId, entry)).catch((error: unknown) => {
          if (!(error instanceof Rejected)) throw error;
          return withTenant(db, caller, (trx) => recordRejection(trx, caller, start.gym, deviceId, entry, error));
        });
      } catch (error) {
        log?.error({ err: error, seq: entry.seq, name: entry.name }, 'sync push stopped by an unexpected error');
        stopped = { seq: entry.seq, code: ErrorCode.Internal, message: 'The cloud could not apply this change; the desk will retry it' };
        break;
      }
      i++;
      lastSeq = settled.lastSeq;
      if ('stop' in settled) {
        stopped = settled.stop;
        break;
      }
      results.push(settled.result);
    }
  }
  return { lastSeq, results, stopped };
}
