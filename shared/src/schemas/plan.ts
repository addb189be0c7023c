import { z } from 'zod';
import { hhmm, id, nonEmpty, paise } from './common.js';

export const planDurationSchema = z.object({
  unit: z.enum(['days', 'months']),
  count: z.number().int().min(1, 'At least 1').max(120, 'Too long'),
});

export const accessWindowSchema = z.object({
  days: z.array(z.number().int().min(0).max(6)).min(1).optional(),
  from: hhmm,
  to: hhmm,
});

export const accessRulesSchema = z.object({
  /** null = every branch of the gym. */
  allowedBranchIds: z.array(id).min(1).nullable(),
  /** null = any time the desk is open. */
  hours: z.array(accessWindowSchema).min(1).nullable(),
});

export const planInputSchema = z.object({
  name: nonEmpty('Plan name', 80),
  duration: planDurationSchema,
  pricePaise: paise,
  taxInclusive: z.boolean(),
  gstRateBps: z.number().int().min(0).max(2800),
  sac: z.string().regex(/^\d{6}$/, 'SAC is 6 digits'),
  access: accessRulesSchema,
  maxFreezeDays: z.number().int().min(0).max(365),
  ptSessions: z.number().int().min(0).max(500),
});
export type PlanInput = z.infer<typeof planInputSchema>;

export const planSchema = planInputSchema.extend({ id, active: z.boolean() });
export type Plan = z.infer<typeof planSchema>;

/** What a membership keeps of its plan at the moment of sale; later plan edits never change it. */
export const planSnapshotSchema = planInputSchema;
export type PlanSnapshot = z.infer<typeof planSnapshotSchema>;

/** The plan as a sale keeps it: everything but its identity and whether it is still on sale. */
export function planSnapshotOf({ id: _id, active: _active, ...snapshot }: Plan): PlanSnapshot {
  return snapshot;
}
