import { createHash } from 'node:crypto';

/**
 * The wire format of `GET /v1/shape` (DESIGN 6): which tables a desk may read, and how offsets and
 * handles are spelled. Pure functions; the route and the log reader use them.
 *
 * Offsets are Electric's `<n>_<m>`:
 * - `<p>_0`: the client has everything of the table up to gym log position p (a finished snapshot taken
 *   at p, then log entries up to p);
 * - `<L>_<k>` with k > 0: a snapshot taken at log position L is under way and the client has its rows
 *   up to primary key k - 1 (the uuid read as a 128-bit unsigned integer, which orders like Postgres
 *   orders uuids). The next chunk continues after that key, so a row inserted or soft-deleted between two
 *   chunks can neither be skipped nor shift the rest; changes after L arrive from the log.
 *
 * A handle is `<tag>-<epoch>-<base>`: tag names gym and table (so two gyms' handles never collide in the
 * client's expired-handle cache), epoch is the table's re-snapshot epoch and base the log position the
 * snapshot was taken at. A handle stays valid while its epoch is current and the client's offset is not
 * below the compaction floor; a new handle always differs from every earlier one of that gym and table.
 */

/** Whitelisted tables, the filter of their snapshot (besides the gym) and whether rows soft-delete. */
export interface ShapeTable {
  name: string;
  /** The column holding the gym id (`id` for the gym itself). */
  gymColumn: 'gym_id' | 'id';
  /** Extra SQL condition on the snapshot (a constant, never client text). */
  snapshotFilter: string | null;
}

const SOFT_DELETE = 'deleted_at is null';

export const SHAPE_TABLES: ReadonlyMap<string, ShapeTable> = new Map(
  (
    [
      { name: 'gyms', gymColumn: 'id', snapshotFilter: SOFT_DELETE },
      { name: 'branches', gymColumn: 'gym_id', snapshotFilter: SOFT_DELETE },
      { name: 'plans', gymColumn: 'gym_id', snapshotFilter: SOFT_DELETE },
      { name: 'members', gymColumn: 'gym_id', snapshotFilter: SOFT_DELETE },
      { name: 'memberships', gymColumn: 'gym_id', snapshotFilter: SOFT_DELETE },
      { name: 'freezes', gymColumn: 'gym_id', snapshotFilter: SOFT_DELETE },
      { name: 'payments', gymColumn: 'gym_id', snapshotFilter: null },
      { name: 'invoices', gymColumn: 'gym_id', snapshotFilter: null },
      // The desk keeps 90 days of check-ins; older ones it prunes itself (the log never moves rows out).
      { name: 'checkins', gymColumn: 'gym_id', snapshotFilter: `at >= now() - interval '90 days'` },
      { name: 'checkouts', gymColumn: 'gym_id', snapshotFilter: null },
      { name: 'member_credentials', gymColumn: 'gym_id', snapshotFilter: SOFT_DELETE },
      { name: 'staff', gymColumn: 'gym_id', snapshotFilter: SOFT_DELETE },
    ] satisfies ShapeTable[]
  ).map((t) => [t.name, t]),
);

/** `members` or `public.members`; anything else is not a shape. */
export function shapeTable(name: string | undefined): ShapeTable | null {
  if (name === undefined) return null;
  const bare = name.startsWith('public.') ? name.slice('public.'.length) : name.replace(/^"public"\."(.*)"$/, '$1');
  return SHAPE_TABLES.get(bare) ?? null;
}

export type ParsedOffset = { kind: 'initial' } | { kind: 'log'; pos: bigint } | { kind: 'snapshot'; base: bigint; after: string };

const INT8_MAX = (1n << 63n) - 1n;
const UUID_SPACE = 1n << 128n;

/** null when malformed (the route answers 400). */
export function parseOffset(text: string | undefined): ParsedOffset | null {
  if (text === '-1') return { kind: 'initial' };
  const match = /^(\d{1,19})_(\d{1,39})$/.exec(text ?? '');
  if (!match) return null;
  const n = BigInt(match[1] as string);
  const m = BigInt(match[2] as string);
  if (n > INT8_MAX || m > UUID_SPACE) return null;
  return m === 0n ? { kind: 'log', pos: n } : { kind: 'snapshot', base: n, after: uuidFromBigInt(m - 1n) };
}

export function logOffset(pos: bigint): string {
  return `${pos}_0`;
}

export function snapshotOffset(base: bigint, lastId: string): string {
  return `${base}_${uuidToBigInt(lastId) + 1n}`;
}

export function uuidToBigInt(id: string): bigint {
  return BigInt(`0x${id.replace(/-/g, '')}`);
}

export function uuidFromBigInt(value: bigint): string {
  const hex = value.toString(16).padStart(32, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export interface Handle {
  tag: string;
  epoch: number;
  base: bigint;
}

export function handleTag(gymId: string, table: string): string {
  return createHash('sha256').update(`${gymId}:${table}`).digest('hex').slice(0, 12);
}

export function formatHandle(handle: Handle): string {
  return `${handle.tag}-${handle.epoch}-${handle.base}`;
}

export function parseHandle(text: string | undefined): Handle | null {
  const match = /^([0-9a-f]{12})-(\d{1,9})-(\d{1,19})$/.exec(text ?? '');
  if (!match) return null;
  const base = BigInt(match[3] as string);
  return base > INT8_MAX ? null : { tag: match[1] as string, epoch: Number(match[2]), base };
}

/** Electric's row key: `"public"."members"/"<id>"`. */
export function rowKey(table: string, id: string): string {
  return `"public"."${table}"/"${id.replace(/"/g, '""')}"`;
}

export const UP_TO_DATE = { headers: { control: 'up-to-date' } } as const;
export const MUST_REFETCH = { headers: { control: 'must-refetch' } } as const;

/**
 * The next live cursor: Electric's 20-second interval number, always past the client's own, so a live
 * response never repeats the cursor of the request (caches and the client's replay check rely on it).
 */
export function nextCursor(clientCursor: string | undefined, now = Date.now()): string {
  const interval = BigInt(Math.floor(now / 20_000));
  const given = /^\d{1,19}$/.test(clientCursor ?? '') ? BigInt(clientCursor as string) : -1n;
  return String(interval > given ? interval : given + 1n);
}
