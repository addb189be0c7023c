import { defineHandlers } from './types.js';

export const auditHandlers = defineHandlers({
  'audit/list': {
    access: 'manager',
    run(ctx, { limit }) {
      const { store } = ctx;
      return store
        .all(
          store.db
            .selectFrom('audit_log as a')
            .leftJoin('staff as s', 's.id', 'a.staff_id')
            .select(['a.id', 'a.at', 'a.staff_id', 's.name as staff_name', 'a.action', 'a.entity', 'a.entity_id', 'a.summary'])
            .orderBy('a.at', 'desc')
            .orderBy('a.id', 'desc')
            .limit(limit),
        )
        .map((r) => ({ id: r.id, at: r.at, staffId: r.staff_id, staffName: r.staff_name, action: r.action, entity: r.entity, entityId: r.entity_id, summary: r.summary }));
    },
  },
});
