import { z } from 'zod';
import { ErrorCode } from '../errors.js';
import { instant } from '../schemas/common.js';

/** At most this many entries in one push. */
export const MAX_PUSH_ENTRIES = 500;

/** One outbox entry as pushed: `seq` grows by exactly 1 per desk; `createdAt` is the desk's clock, never used for ordering. */
export const pushEntrySchema = z.object({
  seq: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  mutationId: z.uuid(),
  /** Checked against the registry entry by entry: an unknown name stops the push there (UNKNOWN_MUTATION). */
  name: z.string().min(1).max(100),
  args: z.unknown(),
  createdAt: instant,
});
export type PushEntry = z.infer<typeof pushEntrySchema>;

/** `POST /api/v1/sync/push`: a batch of a desk's outbox, in seq order. */
export const pushRequestSchema = z
  .object({
    deviceId: z.uuid(),
    schemaVersion: z.number().int().positive(),
    entries: z.array(pushEntrySchema).max(MAX_PUSH_ENTRIES, `At most ${MAX_PUSH_ENTRIES} entries in one push`),
  })
  .superRefine((batch, ctx) => {
    const ids = new Set<string>();
    batch.entries.forEach((entry, i) => {
      const previous = batch.entries[i - 1];
      if (previous && entry.seq <= previous.seq) ctx.addIssue({ code: 'custom', path: ['entries', i, 'seq'], message: 'Entries must be in increasing seq order' });
      if (ids.has(entry.mutationId)) ctx.addIssue({ code: 'custom', path: ['entries', i, 'mutationId'], message: 'A mutation id appears twice in the batch' });
      ids.add(entry.mutationId);
    });
  });
export type PushRequest = z.infer<typeof pushRequestSchema>;

export const pushStatuses = ['applied', 'duplicate', 'rejected'] as const;
export type PushStatus = (typeof pushStatuses)[number];

const errorPayload = z.object({ code: z.enum(Object.values(ErrorCode) as [ErrorCode, ...ErrorCode[]]), message: z.string() });

export const pushResultSchema = z.object({
  seq: z.number().int(),
  mutationId: z.string(),
  status: z.enum(pushStatuses),
  /** Why a mutation was rejected (a business rule): shown at the desk; the queue went on past it. */
  error: errorPayload.optional(),
});
export type PushResult = z.infer<typeof pushResultSchema>;

/**
 * How far the server got and why it stopped: `lastSeq` is the device's high-water mark after this push
 * (everything at or below it is settled), `results` one per entry handled, `stopped` the entry it could
 * not take (SEQ_GAP, UNKNOWN_MUTATION, VALIDATION_ERROR, INTERNAL) with nothing after it applied.
 */
export const pushResponseSchema = z.object({
  lastSeq: z.number().int().nonnegative(),
  results: z.array(pushResultSchema),
  stopped: z.object({ seq: z.number().int(), code: errorPayload.shape.code, message: z.string() }).nullable(),
});
export type PushResponse = z.infer<typeof pushResponseSchema>;
