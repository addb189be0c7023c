import type { Branch, Gym } from '@gymstack/shared';
import type { Settings } from './contract.js';
import { toBranch, toGym, toSettings } from './db/rows.js';
import type { Store } from './db/store.js';

/** Who this desk is and how it is set up; read on every check-in, so it is cached in memory. */
export interface DeskState {
  gym: Gym;
  branch: Branch;
  deviceId: string;
  settings: Settings;
  /** The code the cloud gave this desk when it was paired (its member-code prefix); null when standalone. */
  deskCode: string | null;
}

/** The desk's state, or null when the database has not been initialised yet. */
export function loadDesk(store: Store): DeskState | null {
  const settings = store.first(store.db.selectFrom('settings').selectAll().where('deleted_at', 'is', null));
  if (!settings) return null;
  const gym = store.first(store.db.selectFrom('gym').selectAll().where('id', '=', settings.gym_id));
  const branch = store.first(store.db.selectFrom('branches').selectAll().where('id', '=', settings.branch_id));
  if (!gym || !branch) throw new Error('Desk settings point at a missing gym or branch');
  const link = store.first(store.db.selectFrom('sync_link').select('desk_code'));
  return { gym: toGym(gym), branch: toBranch(branch), deviceId: settings.device_id, settings: toSettings(settings), deskCode: link?.desk_code ?? null };
}
