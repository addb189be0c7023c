import { z } from 'zod';
import { id, nonEmpty } from './common.js';

/** Desk roles in rising order of power; trainers and members never log in at the desk. */
export const staffRoles = ['frontdesk', 'manager', 'owner'] as const;
export const staffRole = z.enum(staffRoles);
export type StaffRole = z.infer<typeof staffRole>;

export const roleRank = (role: StaffRole): number => staffRoles.indexOf(role);
export const hasRole = (role: StaffRole, atLeast: StaffRole): boolean => roleRank(role) >= roleRank(atLeast);

export const pin = z.string().regex(/^\d{4,8}$/, 'PIN must be 4 to 8 digits');

export const staffSchema = z.object({
  id,
  name: nonEmpty('Name'),
  role: staffRole,
  active: z.boolean(),
});
export type Staff = z.infer<typeof staffSchema>;

export const staffInputSchema = z.object({ name: nonEmpty('Name'), role: staffRole, pin });
export type StaffInput = z.infer<typeof staffInputSchema>;
