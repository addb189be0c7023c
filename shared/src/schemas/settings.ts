import { z } from 'zod';
import { paise } from './common.js';

/** The front-desk rules a gym sets once and every desk applies at check-in and on the dashboard. */
export const deskRulesSchema = z.object({
  antiPassbackMinutes: z.number().int().min(0).max(24 * 60),
  autoCheckoutHours: z.number().int().min(1).max(24),
  /** Deny check-in when dues exceed this; null never blocks. */
  duesBlockPaise: paise.nullable(),
  graceDays: z.number().int().min(0).max(60),
  expiringWithinDays: z.number().int().min(1).max(60),
});
export type DeskRules = z.infer<typeof deskRulesSchema>;
