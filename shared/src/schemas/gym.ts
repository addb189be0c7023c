import { z } from 'zod';
import { gstin, id, nonEmpty, stateCode } from './common.js';

export const gymSchema = z.object({
  id,
  name: nonEmpty('Name'),
  legalName: nonEmpty('Legal name', 200),
  gstin: gstin.nullable(),
  address: nonEmpty('Address', 400),
  stateCode,
  phone: z.string().nullable(),
  timeZone: z.string().min(1),
  currency: z.string().length(3),
  locale: z.string().min(2),
});
export type Gym = z.infer<typeof gymSchema>;

export const branchSchema = z.object({
  id,
  gymId: id,
  name: nonEmpty('Branch name'),
  address: z.string().max(400).nullable(),
});
export type Branch = z.infer<typeof branchSchema>;
