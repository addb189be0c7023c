import { v7 as uuid } from 'uuid';
import type { MessageProvider, OutboundMessage, SentMessage } from './provider.js';

/**
 * Without provider credentials (DESIGN 5) nothing leaves the cloud: each message is recorded as
 * `simulated`, with the text it would have carried, for the dashboard and the demo.
 */
export class SimulatedProvider implements MessageProvider {
  readonly name = 'simulated' as const;

  async send(_message: OutboundMessage): Promise<SentMessage> {
    return { provider: this.name, messageId: `simulated-${uuid()}` };
  }
}
