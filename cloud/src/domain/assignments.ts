import { errors } from '@gymstack/shared';
import type { Selectable, Transaction } from 'kysely';
import { v7 as uuid } from 'uuid';
import type { Access } from '../auth/permissions.js';
import type { Database, TrainerAssignmentTable } from '../db/schema.js';
import { appendAudit } from './audit.js';
import { findMember } from './members.js';
import { type Page, type PageRequest, paginate } from './page.js';
import type { Assignment } from './schemas.js';
import { inScope } from './scope.js';
import { unique } from './unique.js';

const toAssignment = (r: Selectable<TrainerAssignmentTable>): Assignment => ({
  id: r.id,
  trainerId: r.trainer_id,
  memberId: r.member_id,
  startedAt: r.started_at.toISOString(),
  endedAt: r.ended_at?.toISOString() ?? null,
});

/** Current assignments whose member the caller's grant reaches (a trainer: their own clients). */
const scopedAssignments = (trx: Transaction<Database>, access: Access) =>
  trx
    .selectFrom('trainer_assignments as ta')
    .innerJoin('members as m', (join) => join.onRef('m.gym_id', '=', 'ta.gym_id').onRef('m.id', '=', 'ta.member_id'))
    .selectAll('ta')
    .where('ta.ended_at', 'is', null)
    .where('ta.deleted_at', 'is', null)
    .where('m.deleted_at', 'is', null)
    .where(inScope(access, { member: 'ta.member_id', branch: 'm.branch_id' }));

export async function listAssignments(
  trx: Transaction<Database>,
  access: Access,
  query: PageRequest & { trainerId?: string | undefined; memberId?: string | undefined },
): Promise<Page<Assignment>> {
  const rows = scopedAssignments(trx, access)
    .$if(query.trainerId !== undefined, (q) => q.where('ta.trainer_id', '=', query.trainerId as string))
    .$if(query.memberId !== undefined, (q) => q.where('ta.member_id', '=', query.memberId as string))
    .orderBy('ta.started_at', 'desc')
    .orderBy('ta.id', 'desc');
  const page = await paginate(trx, rows, query);
  return { items: page.items.map(toAssignment), meta: page.meta };
}

/** Makes `trainerId` (an active trainer) the trainer of a member, which puts the member in the trainer's scope. */
export async function assignTrainer(trx: Transaction<Database>, access: Access, input: { trainerId: string; memberId: string }): Promise<Assignment> {
  await findMember(trx, access, input.memberId);
  const trainer = await trx
    .selectFrom('staff')
    .select('id')
    .where('id', '=', input.trainerId)
    .where('role', '=', 'trainer')
    .where('active', '=', true)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!trainer) throw errors.notFound('Trainer');
  const row = await unique(
    trx
      .insertInto('trainer_assignments')
      .values({ gym_id: access.caller.gymId, id: uuid(), trainer_id: input.trainerId, member_id: input.memberId, ended_at: null, deleted_at: null })
      .returningAll()
      .executeTakeFirstOrThrow(),
    { trainer_assignments_current: () => errors.conflict('This trainer already trains this member') },
  );
  const assignment = toAssignment(row);
  await appendAudit(trx, access.caller, { action: 'trainer.assign', entity: 'trainer_assignment', entityId: assignment.id, old: null, new: assignment });
  return assignment;
}

/** Ends an assignment; the row stays as history. */
export async function unassignTrainer(trx: Transaction<Database>, access: Access, assignmentId: string): Promise<Assignment> {
  const before = await scopedAssignments(trx, access).where('ta.id', '=', assignmentId).executeTakeFirst();
  if (!before) throw errors.notFound('Trainer assignment');
  const now = new Date();
  const row = await trx.updateTable('trainer_assignments').set({ ended_at: now, updated_at: now }).where('id', '=', assignmentId).returningAll().executeTakeFirstOrThrow();
  const assignment = toAssignment(row);
  await appendAudit(trx, access.caller, { action: 'trainer.unassign', entity: 'trainer_assignment', entityId: assignmentId, old: toAssignment(before), new: assignment });
  return assignment;
}
