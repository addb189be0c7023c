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
import { type Kysely, type Transaction, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import { type TenantScope, withTenant } from '../db/tenant.js';
import { applyMutation } from './push-apply.js';

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

/** Locks the device's sync row for the rest of the transaction: replays of one outbox serialize here. */
async function lockState(trx: Transaction<Database>, deviceId: string): Promise<number> {
  const row = await trx.selectFrom('device_sync_state').select('last_seq').where('device_id', '=', deviceId).forUpdate().executeTakeFirstOrThrow();
  return row.last_seq;
}

async function settle(trx: Transaction<Database>, caller: TenantScope, deviceId: string, entry: PushEntry): Promise<Settled> {
  const last = await lockState(trx, deviceId);
  const { seq, mutationId } = entry;
  if (seq <= last) return { lastSeq: last, result: { seq, mutationId, status: 'duplicate' } };
  if (seq > last + 1) return { lastSeq: last, stop: { seq, code: ErrorCode.SeqGap, message: `Expected seq ${last + 1} next, got ${seq}: push from there` } };

  let mutation: ParsedMutation;
  try {
    mutation = parseMutation(entry.name, entry.args);
  } catch (error) {
    // A desk bug, not a business rule: stop here and do not advance, so nothing is lost or reordered.
    if (!isAppError(error)) throw error;
    return { lastSeq: last, stop: { seq, code: error.code, message: error.message } };
  }

  const advance = () => trx.updateTable('device_sync_state').set({ last_seq: seq, updated_at: new Date() }).where('device_id', '=', deviceId).execute();
  const seen = await trx.selectFrom('sync_mutations').select('seq').where('mutation_id', '=', mutationId).executeTakeFirst();
  if (seen) {
    // The same mutation under a new seq (a re-queued entry): it was settled once; settle the seq too.
    await advance();
    return { lastSeq: seq, result: { seq, mutationId, status: 'duplicate' } };
  }

  // A rejection undoes whatever the mutation half-wrote, and keeps the transaction to record it.
  await sql`savepoint apply_mutation`.execute(trx);
  let error: { code: ErrorCode; message: string } | null = null;
  try {
    await applyMutation(trx, caller, mutation);
    await sql`release savepoint apply_mutation`.execute(trx);
  } catch (thrown) {
    error = asRejection(thrown);
    if (!error) throw thrown;
    await sql`rollback to savepoint apply_mutation`.execute(trx);
  }
  await trx
    .insertInto('sync_mutations')
    .values({
      gym_id: caller.gymId,
      mutation_id: mutationId,
      device_id: deviceId,
      seq,
      name: mutation.name,
      args: JSON.stringify(mutation.args),
      status: error ? 'rejected' : 'applied',
      error_code: error?.code ?? null,
      error_message: error?.message ?? null,
      desk_created_at: entry.createdAt,
    })
    .execute();
  await advance();
  return { lastSeq: seq, result: error ? { seq, mutationId, status: 'rejected', error } : { seq, mutationId, status: 'applied' } };
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
    throw new AppError(
      ErrorCode.SchemaVersionMismatch,
      `This desk speaks sync schema version ${request.schemaVersion}; the cloud applies versions ${MIN_SYNC_SCHEMA_VERSION} to ${SYNC_SCHEMA_VERSION}. Update the desk app; its pending changes are kept.`,
    );
  }

  // The desk's sync row, made on its first push; a replay changes nothing in it (or anywhere).
  let lastSeq = await withTenant(db, caller, async (trx) => {
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
    return row.last_seq;
  });

  const results: PushResult[] = [];
  let stopped: Stop | null = null;
  for (const entry of request.entries) {
    let settled: Settled;
    try {
      settled = await withTenant(db, caller, (trx) => settle(trx, caller, deviceId, entry));
    } catch (error) {
      log?.error({ err: error, seq: entry.seq, name: entry.name }, 'sync push stopped by an unexpected error');
      stopped = { seq: entry.seq, code: ErrorCode.Internal, message: 'The cloud could not apply this change; the desk will retry it' };
      break;
    }
    lastSeq = settled.lastSeq;
    if ('stop' in settled) {
      stopped = settled.stop;
      break;
    }
    results.push(settled.result);
  }
  return { lastSeq, results, stopped };
}
