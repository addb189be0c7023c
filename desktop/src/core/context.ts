import { type LocalDate, type Staff, errors, localDateAt } from '@gymstack/shared';
import type { Store } from './db/store.js';
import { type DeskState, loadDesk } from './desk.js';
import type { NameVocabulary } from './domain/vocabulary.js';
import type { Events } from './events.js';
import type { DeviceHub } from './devices/hub.js';
import type { GymKeys } from './devices/gym-keys.js';
import type { SyncEngine } from './sync/engine.js';

/** What every handler runs with: the database, the clock, the cached desk state and the session. */
export class Context {
  /** The staff member at the desk; a shift change is a login as someone else. */
  session: Staff | null = null;
  /** Sync with the cloud; null on a standalone desk. */
  sync: SyncEngine | null = null;
  /** The gym's template and pass keys; null on a paired desk until the cloud has handed them over. */
  gymKeys: GymKeys | null = null;
  /** The readers, scanners, door relay and MQTT link this desk drives. */
  devices: DeviceHub | null = null;
  #desk: DeskState;

  constructor(
    readonly store: Store,
    readonly clock: () => Date,
    readonly events: Events,
    readonly vocabulary: NameVocabulary,
    desk: DeskState,
  ) {
    this.#desk = desk;
  }

  get desk(): DeskState {
    return this.#desk;
  }

  /** Re-reads gym, branch and settings after a write changed them. */
  reloadDesk(): void {
    const desk = loadDesk(this.store);
    if (!desk) throw new Error('Desk state disappeared');
    this.#desk = desk;
  }

  /** Today in the gym's time zone: the business date for terms, dues and the dashboard. */
  today(now = this.clock()): LocalDate {
    return localDateAt(now, this.#desk.gym.timeZone);
  }

  get staff(): Staff {
    if (!this.session) throw errors.unauthenticated();
    return this.session;
  }
}
