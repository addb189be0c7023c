import type { Transaction } from 'kysely';
import type { z } from 'zod';
import type { Database } from '../db/schema.js';
import type { gymRefSchema, staffUserSchema } from './schemas.js';

/** What a staff login answers besides the tokens: who is signed in, and to which gym. */
export async function staffProfile(trx: Transaction<Database>, staffId: string): Promise<{ user: z.infer<typeof staffUserSchema>; gym: z.infer<typeof gymRefSchema> }> {
  const user = await trx
    .selectFrom('staff')
    .select(['id', 'name', 'email', 'phone', 'role', 'branch_ids as branchIds'])
    .where('id', '=', staffId)
    .executeTakeFirstOrThrow();
  // RLS shows exactly one gym: the scope's.
  const gym = await trx.selectFrom('gyms').select(['id', 'name']).executeTakeFirstOrThrow();
  return { user, gym };
}
