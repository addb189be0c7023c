import { GupshupProvider, type GupshupTemplateIds } from './gupshup.js';
import type { MessageProvider } from './provider.js';
import { SimulatedProvider } from './simulated.js';
import { WhatsAppCloudProvider } from './whatsapp-cloud.js';

/** The messaging part of the cloud's configuration (config.ts). */
export interface MessagingConfig {
  /** The member app: where `{link}` and `{pay_link}` point. */
  memberAppUrl: string;
  /** The cloud's public address; set, a receipt's `{link}` is a share link to its invoice there. */
  cloudPublicUrl: string | undefined;
  whatsapp: {
    accessToken: string | undefined;
    phoneNumberId: string | undefined;
    apiUrl: string;
    /** Signs the webhook's POSTs. */
    appSecret: string | undefined;
    /** Answers Meta's subscription handshake. */
    verifyToken: string | undefined;
  };
  gupshup: {
    apiKey: string | undefined;
    appName: string | undefined;
    source: string | undefined;
    /** Set whenever the three above are (config.ts refuses to start without it). */
    templateIds: GupshupTemplateIds | undefined;
    apiUrl: string;
    /** The secret in the callback URL Gupshup posts statuses and replies to. */
    webhookToken: string | undefined;
  };
}

/** Meta's Cloud API when it has credentials, else Gupshup when it has, else recorded as `simulated` (DESIGN 5). */
export function chooseProvider({ whatsapp, gupshup }: MessagingConfig): MessageProvider {
  if (whatsapp.accessToken && whatsapp.phoneNumberId) {
    return new WhatsAppCloudProvider({ accessToken: whatsapp.accessToken, phoneNumberId: whatsapp.phoneNumberId, apiUrl: whatsapp.apiUrl });
  }
  if (gupshup.apiKey && gupshup.appName && gupshup.source && gupshup.templateIds) {
    return new GupshupProvider({ apiKey: gupshup.apiKey, appName: gupshup.appName, source: gupshup.source, templateIds: gupshup.templateIds, apiUrl: gupshup.apiUrl });
  }
  return new SimulatedProvider();
}
