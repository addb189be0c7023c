import { z } from 'zod';
import { type MessageProvider, type OutboundMessage, ProviderError, type SentMessage, digitsOf, postJson } from './provider.js';

export const GRAPH_API_URL = 'https://graph.facebook.com/v21.0';

export interface WhatsAppCloudOptions {
  accessToken: string;
  /** The sending number's id in the Meta business account, unless the gym has its own. */
  phoneNumberId: string;
  /** Graph API base; tests point it at a local server. */
  apiUrl?: string;
  timeoutMs?: number;
}

const sentSchema = z.object({ messages: z.array(z.object({ id: z.string().min(1) })).min(1) });

/** The Meta WhatsApp Cloud API: `POST /{phone-number-id}/messages` with a template message. */
export class WhatsAppCloudProvider implements MessageProvider {
  readonly name = 'whatsapp_cloud' as const;

  constructor(private readonly options: WhatsAppCloudOptions) {}

  async send(message: OutboundMessage): Promise<SentMessage> {
    const { accessToken, phoneNumberId, apiUrl = GRAPH_API_URL, timeoutMs = 10_000 } = this.options;
    const body = {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: digitsOf(message.to),
      type: 'template',
      template: {
        name: message.template,
        language: { code: message.language },
        components: [{ type: 'body', parameters: message.parameters.map((text) => ({ type: 'text', text })) }],
      },
    };
    const answer = await postJson(
      `${apiUrl}/${encodeURIComponent(message.phoneNumberId ?? phoneNumberId)}/messages`,
      { headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) },
      timeoutMs,
    );
    const parsed = sentSchema.safeParse(answer);
    if (!parsed.success) throw new ProviderError('WhatsApp answered without a message id');
    return { provider: this.name, messageId: (parsed.data.messages[0] as { id: string }).id };
  }
}
