import type { TemplateName } from './templates.js';

/** One WhatsApp template message, as every adapter takes it. */
export interface OutboundMessage {
  /** E.164, e.g. `+919800000002`. */
  to: string;
  template: TemplateName;
  /** The template's language code as approved, e.g. `en`. */
  language: string;
  /** The body variables, in the template's order. */
  parameters: string[];
  /** The gym's own WhatsApp number, when it has one; else the adapter's default. */
  phoneNumberId: string | null;
}

export type ProviderName = 'whatsapp_cloud' | 'gupshup' | 'simulated';

export interface SentMessage {
  provider: ProviderName;
  /** The provider's id for the message: delivery statuses name it. */
  messageId: string;
}

/** A WhatsApp provider behind the small interface DESIGN 5 asks for; a rejection is a failed attempt. */
export interface MessageProvider {
  readonly name: ProviderName;
  send(message: OutboundMessage): Promise<SentMessage>;
}

/** A provider's refusal or an unreachable provider, with what it said, for the notification's error. */
export class ProviderError extends Error {
  override name = 'ProviderError';
}

/** The number without `+`, as both providers' APIs take it. */
export const digitsOf = (phone: string): string => phone.replace(/^\+/, '');

/** POSTs and reads the JSON answer, throwing a ProviderError with the provider's own message on a non-2xx. */
export async function postJson(url: string, init: { headers: Record<string, string>; body: string }, timeoutMs: number): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', headers: init.headers, body: init.body, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new ProviderError(`Provider unreachable: ${(error as Error).message}`);
  }
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text === '' ? null : JSON.parse(text);
  } catch {
    // A proxy's HTML error page: the status says enough.
  }
  if (!response.ok) {
    const said = (json as { error?: { message?: string }; message?: string } | null)?.error?.message ?? (json as { message?: string } | null)?.message;
    throw new ProviderError(`Provider answered ${response.status}${said ? `: ${said}` : ''}`);
  }
  return json;
}
