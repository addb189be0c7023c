import type { Migration } from 'kysely';
import * as initial from './2026_11_21_0001_initial.js';
import * as gymSettings from './2026_11_22_0001_gym_settings.js';
import * as auth from './2026_11_22_0002_auth.js';
import * as auditRedaction from './2026_11_22_0003_audit_redaction.js';
import * as rlsInitplan from './2026_11_22_0004_rls_initplan.js';
import * as changeLog from './2026_11_22_0005_change_log.js';
import * as syncPush from './2026_11_22_0006_sync_push.js';
import * as deskCodes from './2026_11_23_0001_desk_codes.js';
import * as changeLogTableNotify from './2026_11_23_0002_change_log_table_notify.js';
import * as gymKeys from './2026_11_24_0001_gym_keys.js';
import * as invoiceDocuments from './2026_11_25_0003_invoice_documents.js';
import * as onlinePayments from './2026_11_25_0001_online_payments.js';
import * as notifications from './2026_11_25_0002_notifications.js';
import * as syncLogRedaction from './2026_11_26_0001_sync_log_redaction.js';
import * as gupshupWebhook from './2026_11_27_0001_gupshup_webhook.js';
import * as notificationInserts from './2026_11_27_0002_notification_inserts.js';
import * as refundRequests from './2026_11_28_0001_refund_requests.js';
import * as invoiceLinkGenerations from './2026_11_28_0002_invoice_link_generations.js';
import * as orderPlanSnapshots from './2026_11_28_0003_order_plan_snapshots.js';
import * as voidedInvoiceNumbers from './2026_11_28_0004_voided_invoice_numbers.js';

/**
 * Every migration, imported statically so a bundle carries them (Kysely's FileMigrationProvider reads a
 * folder at run time). Names sort in the order they apply; a landed migration is never edited.
 */
export const migrations: Record<string, Migration> = {
  '2026_11_21_0001_initial': initial,
  '2026_11_22_0001_gym_settings': gymSettings,
  '2026_11_22_0002_auth': auth,
  '2026_11_22_0003_audit_redaction': auditRedaction,
  '2026_11_22_0004_rls_initplan': rlsInitplan,
  '2026_11_22_0005_change_log': changeLog,
  '2026_11_22_0006_sync_push': syncPush,
  '2026_11_23_0001_desk_codes': deskCodes,
  '2026_11_23_0002_change_log_table_notify': changeLogTableNotify,
  '2026_11_24_0001_gym_keys': gymKeys,
  '2026_11_25_0003_invoice_documents': invoiceDocuments,
  '2026_11_25_0001_online_payments': onlinePayments,
  '2026_11_25_0002_notifications': notifications,
  '2026_11_26_0001_sync_log_redaction': syncLogRedaction,
  '2026_11_27_0001_gupshup_webhook': gupshupWebhook,
  '2026_11_27_0002_notification_inserts': notificationInserts,
  '2026_11_28_0001_refund_requests': refundRequests,
  '2026_11_28_0002_invoice_link_generations': invoiceLinkGenerations,
  '2026_11_28_0003_order_plan_snapshots': orderPlanSnapshots,
  '2026_11_28_0004_voided_invoice_numbers': voidedInvoiceNumbers,
};
