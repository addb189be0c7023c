import { z } from 'zod';
import { id, instant, localDate } from './common.js';

// The WhatsApp messages the cloud sends (DESIGN 5), as its API lists them: shared so a desk can show them.

/** `simulated`: recorded with its text, not sent, as the cloud does without provider credentials. */
export const notificationStatuses = ['queued', 'sent', 'delivered', 'read', 'failed', 'dead', 'simulated', 'cancelled', 'skipped'] as const;
export type NotificationStatus = (typeof notificationStatuses)[number];

/** The templates approved with Meta, by name. */
export const notificationTemplates = [
  'welcome_member',
  'renewal_reminder_7d',
  'renewal_reminder_3d',
  'renewal_reminder_1d',
  'renewal_reminder_0d',
  'expiry_notice',
  'expired_7d',
  'payment_receipt',
  'payment_link',
  'birthday_wish',
] as const;
export type NotificationTemplate = (typeof notificationTemplates)[number];

/** Each template in plain words, for staff. */
export const notificationTemplateText: Record<NotificationTemplate, string> = {
  welcome_member: 'Welcome',
  renewal_reminder_7d: 'Renewal reminder, 7 days before',
  renewal_reminder_3d: 'Renewal reminder, 3 days before',
  renewal_reminder_1d: 'Renewal reminder, the day before',
  renewal_reminder_0d: 'Renewal reminder, last day',
  expiry_notice: 'Membership expired',
  expired_7d: 'Expired a week ago',
  payment_receipt: 'Payment receipt',
  payment_link: 'Payment link',
  birthday_wish: 'Birthday wish',
};

/** One message, as `GET /api/v1/notifications` answers it. */
export const notificationSchema = z.object({
  id,
  memberId: id,
  memberName: z.string(),
  template: z.enum(notificationTemplates),
  /** The local date the message is for. */
  dueOn: localDate,
  status: z.enum(notificationStatuses),
  /** Why it failed, was cancelled or skipped. */
  error: z.string().nullable(),
  attempts: z.number().int(),
  /** When it goes out (or is next tried): a message due in quiet hours waits for their end. */
  sendAfter: instant,
  provider: z.string().nullable(),
  providerMessageId: z.string().nullable(),
  /** The text as sent, or as a simulated send would have said it. */
  body: z.string().nullable(),
  sentAt: instant.nullable(),
  deliveredAt: instant.nullable(),
  readAt: instant.nullable(),
  createdAt: instant,
});
export type NotificationView = z.infer<typeof notificationSchema>;

/** The filters of `GET /api/v1/notifications` (its page comes beside them). */
export const notificationFilters = z.object({
  status: z.enum(notificationStatuses).optional(),
  template: z.enum(notificationTemplates).optional(),
  memberId: id.optional(),
  /** Due on or after this local date. */
  from: localDate.optional(),
  /** Due on or before this local date. */
  to: localDate.optional(),
});
export type NotificationFilters = z.infer<typeof notificationFilters>;
