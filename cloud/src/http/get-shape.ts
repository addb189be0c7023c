import { AppError, ErrorCode } from '@gymstack/shared';
import type { FastifyReply } from 'fastify';
import type { Transaction } from 'kysely';
import { bearerAuthenticate } from '../auth/authenticate.js';
import type { Database } from '../db/schema.js';
import { type TenantScope, withTenant } from '../db/tenant.js';
import { type LogEntry, type LogHead, readHead, readLog, readSchema, readSnapshotChunk, type ShapeSchema } from '../sync/change-log.js';
import { ChangeNotifier } from '../sync/change-log-notify.js';
import {
  formatHandle,
  handleTag,
  logOffset,
  MUST_REFETCH,
  nextCursor,
  parseHandle,
  parseOffset,
  rowKey,
  type ShapeTable,
  shapeTable,
  snapshotOffset,
  UP_TO_DATE,
} from '../sync/shape-protocol.js';
import type { Route } from './app-types.js';
import { bearer } from './responses.js';

/** Rows per snapshot chunk and entries per log response. */
export const SNAPSHOT_CHUNK_ROWS = 1_000;
export const LOG_CHUNK_ENTRIES = 1_000;
/** How long a live request waits for a change before answering up-to-date. */
export const LIVE_WAIT_MS = 20_000;

const EXPOSED = ['electric-handle', 'electric-offset', 'electric-schema', 'electric-cursor', 'electric-up-to-date'].join(', ');

/** Parameters that would let a client shape what it reads: the cloud decides that (DESIGN 6). */
const REFUSED = ['where', 'params', 'columns', 'subset__where', 'subset__params', 'subset__limit', 'subset__offset', 'subset__order_by', 'subset__where_expr', 'subset__order_by_expr'];

type Trx = Transaction<Database>;

const bad = (message: string) => new AppError(ErrorCode.ValidationError, message);

type Message = { key: string; value: Record<string, string | null>; headers: { operation: LogEntry['op']; relation: [string, string]; txids?: number[] } } | typeof UP_TO_DATE;

interface Answer {
  status: 200 | 409;
  handle: string;
  offset?: string;
  body: Message[] | [typeof MUST_REFETCH];
  upToDate?: boolean;
}

function query(request: { query: unknown }): (name: string) => string | undefined {
  const q = (request.query ?? {}) as Record<string, unknown>;
  return (name) => {
    const value = q[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw bad(`${name} must be given once`);
    return value;
  };
}

/**
 * GET /v1/shape: the Electric Shape HTTP protocol, served from the per-gym change log (DESIGN 6). The
 * cloud is the auth proxy: a paired desk's token picks the gym, the table comes from a whitelist, and a
 * client's `where` (or columns, or subset) is refused. See sync/shape-protocol.ts for offsets and handles.
 *
 * - `offset=-1`: the first snapshot chunk, with a new handle; no up-to-date message. Then `<L>_<k>` for
 *   the next chunks, and `<L>_0` once the snapshot is done.
 * - `<p>_0`: the table's log entries after p, ending with up-to-date when they reach the head. With
 *   `live=true` and nothing new, the request waits (LISTEN/NOTIFY) up to 20 s, then answers up-to-date.
 * - A handle of another epoch, or an offset below the compaction floor (or beyond the head): 409 with
 *   `must-refetch` and a new handle, also for a live request that was waiting when that happened.
 */
export const getShape: Route = (app, deps) => {
  const authenticate = bearerAuthenticate(deps.db, deps.auth.tokens);
  const notifier = new ChangeNotifier(deps.pool.options);
  const schemas = new Map<string, Promise<string>>();
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
    notifier.wakeAll();
  });
  app.addHook('onClose', async () => notifier.close());

  const schemaOf = (table: string): Promise<string> => {
    let schema = schemas.get(table);
    if (!schema) {
      schema = readSchema(deps.db, table).then((s: ShapeSchema) => JSON.stringify(s));
      schema.catch(() => schemas.delete(table));
      schemas.set(table, schema);
    }
    return schema;
  };

  app.options('/v1/shape', { schema: { hide: true } }, async (_request, reply) => {
    reply
      .code(204)
      .header('access-control-allow-origin', '*')
      .header('access-control-allow-methods', 'GET, OPTIONS')
      .header('access-control-allow-headers', 'authorization, content-type')
      .header('access-control-max-age', '86400');
    return null;
  });

  app.get(
    '/v1/shape',
    {
      schema: {
        summary: 'Read a synced table (Electric Shape HTTP protocol, desk token)',
        tags: ['sync'],
        security: bearer,
      },
    },
    async (request, reply) => {
      reply.header('access-control-allow-origin', '*').header('access-control-expose-headers', EXPOSED).header('cache-control', 'no-store');
      const scope = await authenticate(request);
      if (scope.role !== 'desk') throw new AppError(ErrorCode.Forbidden, 'Shapes are read by paired desks');

      const param = query(request);
      for (const name of REFUSED) if (param(name) !== undefined) throw bad(`${name} is not accepted: the cloud decides what a desk reads`);
      const replica = param('replica');
      if (replica !== undefined && replica !== 'default') throw bad('replica must be default');
      const table = shapeTable(param('table'));
      if (!table) throw bad('table must be one of the synced tables');
      const offset = parseOffset(param('offset'));
      if (!offset) throw bad('offset must be -1 or <n>_<m>');
      const log = param('log') ?? 'full';
      if (log !== 'full' && log !== 'changes_only') throw bad('log must be full or changes_only');
      const live = param('live') === 'true';
      const handleText = param('handle');
      if (offset.kind !== 'initial' && handleText === undefined) throw bad('handle is required with an offset');

      const schema = await schemaOf(table.name);
      const tag = handleTag(scope.gymId, table.name);
      const avoid = [handleText, param('expired_handle')];
      const context: Context = { scope, table, tag, avoid };

      let answer: Answer | null;
      if (offset.kind === 'initial') {
        answer = await withTenant(deps.db, scope, (trx) => initialChunk(trx, context, log === 'changes_only'));
      } else if (offset.kind === 'snapshot') {
        answer = await withTenant(deps.db, scope, (trx) => snapshotChunk(trx, context, handleText as string, offset.base, offset.after));
      } else {
        answer = await followLog(context, handleText as string, offset.pos, live, reply);
      }
      return send(reply, answer, schema, live ? nextCursor(param('cursor')) : null);
    },
  );

  interface Context {
    scope: TenantScope;
    table: ShapeTable;
    tag: string;
    avoid: (string | undefined)[];
  }

  /** A handle for a fresh snapshot at `base`, never one the client just had or was told is expired. */
  function freshHandle(context: Context, head: LogHead): string {
    let base = head.pos;
    let handle = formatHandle({ tag: context.tag, epoch: head.epoch, base });
    while (context.avoid.includes(handle)) handle = formatHandle({ tag: context.tag, epoch: head.epoch, base: ++base });
    return handle;
  }

  function mustRefetch(context: Context, head: LogHead): Answer {
    return { status: 409, handle: freshHandle(context, head), body: [MUST_REFETCH] };
  }

  /** The client's handle if it is still good for this gym, table and epoch; else null. */
  function validHandle(context: Context, handleText: string, head: LogHead): string | null {
    const handle = parseHandle(handleText);
    return handle && handle.tag === context.tag && handle.epoch === head.epoch ? handleText : null;
  }

  function rows(table: string, chunk: { id: string; values: Record<string, string | null> }[]): Message[] {
    return chunk.map((row) => ({ key: rowKey(table, row.id), value: row.values, headers: { operation: 'insert', relation: ['public', table] } }));
  }

  async function initialChunk(trx: Trx, context: Context, changesOnly: boolean): Promise<Answer> {
    const head = await readHead(trx, context.scope.gymId, context.table.name);
    const handle = freshHandle(context, head);
    if (changesOnly) return { status: 200, handle, offset: logOffset(head.pos), body: [] };
    return chunkAnswer(trx, context, handle, head.pos, null);
  }

  async function snapshotChunk(trx: Trx, context: Context, handleText: string, base: bigint, after: string): Promise<Answer> {
    const head = await readHead(trx, context.scope.gymId, context.table.name);
    const handle = validHandle(context, handleText, head);
    if (!handle || base < head.floor || base > head.pos) return mustRefetch(context, head);
    return chunkAnswer(trx, context, handle, base, after);
  }

  async function chunkAnswer(trx: Trx, context: Context, handle: string, base: bigint, after: string | null): Promise<Answer> {
    const chunk = await readSnapshotChunk(trx, context.scope.gymId, context.table, after, SNAPSHOT_CHUNK_ROWS);
    const last = chunk.at(-1);
    const offset = chunk.length === SNAPSHOT_CHUNK_ROWS && last ? snapshotOffset(base, last.id) : logOffset(base);
    return { status: 200, handle, offset, body: rows(context.table.name, chunk) };
  }

  /** One look at the log: an answer, or null when a live request has nothing to say yet. */
  async function logStep(trx: Trx, context: Context, handleText: string, after: bigint, live: boolean, final: boolean): Promise<Answer | null> {
    const { entries, head } = await readLog(trx, context.scope.gymId, context.table.name, after, LOG_CHUNK_ENTRIES);
    const handle = validHandle(context, handleText, head);
    if (!handle || after < head.floor || after > head.pos) return mustRefetch(context, head);
    if (entries.length === 0 && live && !final) return null;
    const body: Message[] = entries.map((e) => ({
      key: rowKey(context.table.name, e.id),
      value: e.values,
      headers: { operation: e.op, relation: ['public', context.table.name], txids: [e.txid] },
    }));
    const last = entries.at(-1);
    if (entries.length === LOG_CHUNK_ENTRIES && last) return { status: 200, handle, offset: logOffset(last.pos), body };
    return { status: 200, handle, offset: logOffset(head.pos), body: [...body, UP_TO_DATE], upToDate: true };
  }

  /** The log after `after`; a live request waits for a commit in its gym (or 20 s, or shutdown). */
  async function followLog(context: Context, handleText: string, after: bigint, live: boolean, reply: FastifyReply): Promise<Answer> {
    const step = (final: boolean) => withTenant(deps.db, context.scope, (trx) => logStep(trx, context, handleText, after, live, final));
    if (!live) return (await step(true)) as Answer;

    // Set by a notification (or shutdown, or the client leaving) that came while the log was being read.
    const state: { dirty: boolean; wake: (() => void) | null } = { dirty: false, wake: null };
    const signal = () => {
      state.dirty = true;
      state.wake?.();
    };
    let gone = false;
    const onClose = () => {
      gone = true;
      signal();
    };
    reply.raw.on('close', onClose);
    const deadline = Date.now() + LIVE_WAIT_MS;
    // Subscribed before the first read, so a commit between that read and the wait still wakes it.
    const unsubscribe = await notifier.subscribe(context.scope.gymId, context.table.name, signal);
    try {
      for (;;) {
        state.dirty = false;
        const final = closing || gone || Date.now() >= deadline;
        const answer = await step(final);
        if (answer) return answer;
        if (state.dirty) continue;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
          state.wake = () => {
            clearTimeout(timer);
            resolve();
          };
          if (closing || gone) state.wake();
        });
        state.wake = null;
      }
    } finally {
      unsubscribe();
      reply.raw.off('close', onClose);
    }
  }

  function send(reply: FastifyReply, answer: Answer, schema: string, cursor: string | null): Answer['body'] {
    reply.code(answer.status).header('content-type', 'application/json; charset=utf-8').header('electric-handle', answer.handle);
    if (answer.status === 200) {
      reply.header('electric-offset', answer.offset as string).header('electric-schema', schema);
      if (cursor !== null) reply.header('electric-cursor', cursor);
      if (answer.upToDate) reply.header('electric-up-to-date', 'true');
    }
    return answer.body;
  }
};
