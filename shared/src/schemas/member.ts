import { z } from 'zod';
import { email, id, instant, localDate, nonEmpty, phone, stateCode } from './common.js';

export const genders = ['female', 'male', 'other'] as const;
export const memberSources = ['walk_in', 'referral', 'instagram', 'google', 'facebook', 'flyer', 'corporate', 'other'] as const;
export const memberGoals = ['weight_loss', 'muscle_gain', 'general_fitness', 'strength', 'endurance', 'rehab', 'other'] as const;

/**
 * Short code printed on the member card and typed at the desk, e.g. `GS1042`, or `D2-1001` from a desk
 * working offline (its desk code, a dash, its own counter): 3 to 12 characters, uppercase letters and
 * digits with at most one dash between two of them.
 */
export const memberCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^(?=.{3,12}$)[A-Z0-9]+(?:-[A-Z0-9]+)?$/, 'Member code is 3 to 12 letters or digits, with at most one dash between them (e.g. GS1001 or D2-1001)');

export const emergencyContactSchema = z.object({ name: nonEmpty('Contact name'), phone });

/** What the front desk types when enrolling or editing a member. */
export const memberInputSchema = z.object({
  fullName: nonEmpty('Name'),
  phone,
  email: email.nullish(),
  dateOfBirth: localDate.nullish(),
  gender: z.enum(genders).nullish(),
  emergencyContact: emergencyContactSchema.nullish(),
  medicalNotes: z.string().trim().max(2000).nullish(),
  goal: z.enum(memberGoals).nullish(),
  source: z.enum(memberSources).nullish(),
  /** GST place of supply; the gym's state is used when unknown. */
  stateCode: stateCode.nullish(),
  /** Assigned by the desk when omitted. */
  code: memberCode.optional(),
});
export type MemberInput = z.input<typeof memberInputSchema>;
export type MemberInputParsed = z.output<typeof memberInputSchema>;

export const memberSchema = z.object({
  id,
  branchId: id,
  code: z.string(),
  fullName: z.string(),
  phone: z.string(),
  email: z.string().nullable(),
  dateOfBirth: z.string().nullable(),
  gender: z.enum(genders).nullable(),
  emergencyContact: z.object({ name: z.string(), phone: z.string() }).nullable(),
  medicalNotes: z.string().nullable(),
  goal: z.enum(memberGoals).nullable(),
  source: z.enum(memberSources).nullable(),
  stateCode: z.string().nullable(),
  hasPhoto: z.boolean(),
  createdAt: instant,
  updatedAt: instant,
});
export type Member = z.infer<typeof memberSchema>;
