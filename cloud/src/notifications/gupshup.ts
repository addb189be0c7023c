import { z } from 'zod';
import { type MessageProvider, type OutboundMessage, ProviderError, type SentMessage, digitsOf, postJson } from './provider.js';
import type { TemplateName } from './templates.js';

export const GUPSHUP_API_URL = 'https://api.gupshup.io';

/** The id Gupshup gave each of our templates when it approved it (a UUID), by our name for it. */
export type GupshupTemplateIds = Record<TemplateName, string>;

export interface GupshupOptions {
  apiKey: string;
  /** The Gupshup app the templates are approved under. */
  appName: string;
  /** The sending WhatsApp number, E.164. */
  source: string;
  templateIds: GupshupTemplateIds;
  apiUrl?: string;
  timeoutMs?: number;
}

const sentSchema = z.object({ status: z.literal('submitted'), messageId: z.string().min(1) });

/**
 * Gupshup's template API (the seed's provider in India): a form POST naming the template by the id
 * Gupshup assigned it, not by its name (the templates are registered there under the same names as with Meta).
 */
export class GupshupProvider implements MessageProvider {
  readonly name = 'gupshup' as const;

  constructor(private readonly options: GupshupOptions) {}

  async send(message: OutboundMessage): Promise<SentMessage> {
    const { apiKey, appName, source, templateIds, apiUrl = GUPSHUP_API_URL, timeoutMs = 10_000 } = this.options;
    const form = new URLSearchParams({
      channel: 'whatsapp',
      source: digitsOf(source),
      destination: digitsOf(message.to),
      'src.name': appName,
      template: JSON.stringify({ id: templateIds[message.template], params: message.parameters }),
    });
    const answer = await postJson(
      `${apiUrl}/wa/api/v1/template/msg`,
      { headers: { apikey: apiKey, 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() },
      timeoutMs,
    );
    const parsed = sentSchema.safeParse(answer);
    if (!parsed.success) throw new ProviderError('Gupshup did not accept the message');
    return { provider: this.name, messageId: parsed.data.messageId };
  }
}
