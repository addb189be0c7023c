import { fields } from '@gymstack/shared';
import { z } from 'zod';
import { pageQuery } from '../domain/schemas.js';
import { templateNames } from './templates.js';

export const notificationStatuses = ['queued', 'sent', 'delivered', 'read', 'failed', 'dead', 'simulated', 'cancelled', 'skipped'] as const;
export type NotificationStatus = (typeof notificationStatuses)[number];

const template = z.enum(templateNames as [string, ...string[]]);

export const notificationSchema = z.object({
  id: z.string(),
  memberId: z.string(),
  memberName: z.string(),
  template,
  /** The local date the message is for. */
  dueOn: z.string(),
  status: z.enum(notificationStatuses),
  /** Why it failed, was cancelled or skipped. */
  error: z.string().nullable(),
  attempts: z.number().int(),
  /** When it goes out (or is next tried). */
  sendAfter: z.string(),
  provider: z.string().nullable(),
  providerMessageId: z.string().nullable(),
  /** The text as sent, or as a simulated send would have said it. */
  body: z.string().nullable(),
  sentAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  readAt: z.string().nullable(),
  createdAt: z.string(),
});
export type NotificationView = z.infer<typeof notificationSchema>;

export const notificationListQuery = pageQuery.extend({
  status: z.enum(notificationStatuses).optional(),
  template: template.optional(),
  memberId: fields.id.optional(),
  /** Due on or after this local date. */
  from: fields.localDate.optional(),
  /** Due on or before this local date. */
  to: fields.localDate.optional(),
});
export type NotificationListQuery = z.infer<typeof notificationListQuery>;

/** A gym's messaging settings as the owner edits them. */
export const notificationSettingsSchema = z.object({
  /** Quiet hours, local `HH:MM`: nothing is sent from `quietStart` until `quietEnd`, when the daily scan runs. */
  quietStart: fields.hhmm,
  quietEnd: fields.hhmm,
  /** The gym's own WhatsApp number id with Meta; null sends from the cloud's number. */
  whatsappPhoneNumberId: z.string().trim().min(1).max(64).nullable(),
  /** The language code the templates are approved in, e.g. `en` or `hi`. */
  language: z.string().regex(/^[a-z]{2}(_[A-Z]{2})?$/, 'Must be a language code such as en or en_US'),
});
export type NotificationSettings = z.infer<typeof notificationSettingsSchema>;
// A misspelt field is an error, not a silent no-op.
export const notificationSettingsPatchSchema = notificationSettingsSchema.partial().strict();
