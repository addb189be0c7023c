import { ErrorCode, errors } from '@gymstack/shared';
import type { Unsubscribe } from '../device.js';
import type { DeskLink } from '../mqtt/desk-link.js';
import { assertPulseMs, RelayBase } from './relay-base.js';

export interface MqttDoorRelayOptions {
  /** The door id in `doors/{id}/cmd`. */
  id: string;
  link: DeskLink;
  /** The controller's device id, whose retained presence says whether the door can be reached. */
  controllerId: string;
}

/** A door controller on the LAN speaking GymStack's own topics: commands acked by request id, presence retained. */
export class MqttDoorRelay extends RelayBase {
  readonly #options: MqttDoorRelayOptions;
  #unsubscribes: Unsubscribe[] = [];

  constructor(options: MqttDoorRelayOptions) {
    super(options.id);
    this.#options = options;
  }

  async open(): Promise<void> {
    if (this.#unsubscribes.length > 0) return;
    const { link, controllerId } = this.#options;
    this.setStatus({ state: 'connecting' });
    this.#unsubscribes = [
      link.onPresence(controllerId, (presence) =>
        this.setStatus(
          presence === 'online'
            ? { state: 'connected' }
            : { state: 'disconnected', error: errors.device(ErrorCode.DeviceNotFound, `Door controller ${controllerId} is offline`).toPayload() },
        ),
      ),
      link.onDoorState(this.id, (state) => {
        if (this.status.state === 'connected') this.setDoor(state.door);
      }),
    ];
  }

  async close(): Promise<void> {
    for (const unsubscribe of this.#unsubscribes) unsubscribe();
    this.#unsubscribes = [];
    this.setStatus({ state: 'disconnected' });
  }

  /** Resolves once the controller acks; its door state arrives through the state topic. */
  async pulse(ms: number): Promise<void> {
    assertPulseMs(ms);
    await this.#options.link.commandDoor(this.id, { action: 'pulse', ms });
  }
}
