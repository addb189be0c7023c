import type { Route } from './app-types.js';
import { getHealth } from './get-health.js';
import { getMetrics } from './get-metrics.js';
import { getReady } from './get-ready.js';
import { postAuthLogin } from './post-auth-login.js';
import { postAuthLogout } from './post-auth-logout.js';
import { postAuthOtpSend } from './post-auth-otp-send.js';
import { postAuthOtpVerify } from './post-auth-otp-verify.js';
import { postAuthPassword } from './post-auth-password.js';
import { postAuthRefresh } from './post-auth-refresh.js';
import { postDevicesPair } from './post-devices-pair.js';
import { postDevicesPairingCodes } from './post-devices-pairing-codes.js';
import { postDevicesRevoke } from './post-devices-revoke.js';
import { postDevicesToken } from './post-devices-token.js';
import { getDevicesKeys } from './get-devices-keys.js';
import { getGymConfig } from './get-gym-config.js';
import { putGymConfig } from './put-gym-config.js';
import { getBranches } from './get-branches.js';
import { postBranches } from './post-branches.js';
import { putBranch } from './put-branch.js';
import { getStaff } from './get-staff.js';
import { postStaff } from './post-staff.js';
import { putStaffMember } from './put-staff-member.js';
import { postStaffDeactivate } from './post-staff-deactivate.js';
import { getTrainerAssignments } from './get-trainer-assignments.js';
import { postTrainerAssignments } from './post-trainer-assignments.js';
import { deleteInvoiceShareLinks } from './delete-invoice-share-links.js';
import { deleteTrainerAssignment } from './delete-trainer-assignment.js';
import { getMembers } from './get-members.js';
import { postMembers } from './post-members.js';
import { getMember } from './get-member.js';
import { putMember } from './put-member.js';
import { deleteMember } from './delete-member.js';
import { getMemberCheckIns } from './get-member-check-ins.js';
import { getMemberPayments } from './get-member-payments.js';
import { getMemberMemberships } from './get-member-memberships.js';
import { postMemberErase } from './post-member-erase.js';
import { getPlans } from './get-plans.js';
import { getPlan } from './get-plan.js';
import { postPlans } from './post-plans.js';
import { putPlan } from './put-plan.js';
import { postPlanArchive } from './post-plan-archive.js';
import { deletePlan } from './delete-plan.js';
import { postMemberships } from './post-memberships.js';
import { postMembershipRenewal } from './post-membership-renewal.js';
import { postMembershipFreeze } from './post-membership-freeze.js';
import { postMembershipUnfreeze } from './post-membership-unfreeze.js';
import { postMembershipCancel } from './post-membership-cancel.js';
import { postPaymentsRecordOffline } from './post-payments-record-offline.js';
import { postPaymentsWebhook } from './post-payments-webhook.js';
import { putPaymentsRazorpayAccount } from './put-payments-razorpay-account.js';
import { postPaymentsOrders } from './post-payments-orders.js';
import { postMemberPaymentLinks } from './post-member-payment-links.js';
import { postPaymentRefunds } from './post-payment-refunds.js';
import { getPaymentReviews } from './get-payment-reviews.js';
import { getPayments } from './get-payments.js';
import { getInvoices } from './get-invoices.js';
import { getInvoicePdf } from './get-invoice-pdf.js';
import { postInvoiceShareLinks } from './post-invoice-share-links.js';
import { getSharedInvoice } from './get-shared-invoice.js';
import { getRefunds } from './get-refunds.js';
import { getReportsReconciliation } from './get-reports-reconciliation.js';
import { postCheckIns } from './post-check-ins.js';
import { getCheckInsToday } from './get-check-ins-today.js';
import { getCheckInsOccupancy } from './get-check-ins-occupancy.js';
import { getAuditLog } from './get-audit-log.js';
import { getMemberExport } from './get-member-export.js';
import { getMemberPass } from './get-member-pass.js';
import { postGyms } from './post-gyms.js';
import { postSyncPush } from './post-sync-push.js';
import { getShape } from './get-shape.js';
import { getNotifications } from './get-notifications.js';
import { postNotificationRetry } from './post-notification-retry.js';
import { getNotificationSettings } from './get-notification-settings.js';
import { putNotificationSettings } from './put-notification-settings.js';
import { getWebhooksWhatsapp } from './get-webhooks-whatsapp.js';
import { postWebhooksWhatsapp } from './post-webhooks-whatsapp.js';
import { postWebhooksGupshup } from './post-webhooks-gupshup.js';

/** Routes outside /api/v1 and outside any tenant: operations, and later public sign-up and login. */
export const publicRoutes: Route[] = [
  getHealth,
  getReady,
  getMetrics,
  // Auth before a caller exists (full /api/v1 paths): each rate-limited per IP and per account.
  postAuthLogin,
  postAuthRefresh,
  postAuthLogout,
  postAuthOtpSend,
  postAuthOtpVerify,
  postDevicesPair,
  postDevicesToken,
  // Onboarding: public sign-up, rate-limited per IP.
  postGyms,
  // Razorpay's webhook (issue 6): per gym, authenticated by its signature.
  postPaymentsWebhook,
  // Sync down (DESIGN 6): GET /v1/shape, outside /api/v1; authenticates the desk itself, since a long
  // poll must not hold a tenant transaction open.
  getShape,
  // An invoice PDF behind a signed share link: the link, not a login, names the gym and the invoice.
  getSharedInvoice,
  // WhatsApp's webhook (issue 6): Meta's handshake, and statuses and STOP replies signed with the app secret.
  getWebhooksWhatsapp,
  postWebhooksWhatsapp,
  // Gupshup's callbacks: statuses and STOP replies, behind a secret token in the URL.
  postWebhooksGupshup,
];

/**
 * Routes under /api/v1 that act for an authenticated caller: each runs in the caller's tenant
 * transaction (`request.db`, see plugins/tenancy.ts). Add `post-members.ts` and the like here.
 */
export const tenantRoutes: Route[] = [
  postAuthPassword,
  postDevicesPairingCodes,
  postDevicesRevoke,
  getDevicesKeys,
  // The REST API (each declares its permission; auth/permissions.ts).
  getGymConfig,
  putGymConfig,
  getBranches,
  postBranches,
  putBranch,
  getStaff,
  postStaff,
  putStaffMember,
  postStaffDeactivate,
  getTrainerAssignments,
  postTrainerAssignments,
  deleteTrainerAssignment,
  getMembers,
  postMembers,
  getMember,
  putMember,
  deleteMember,
  getMemberCheckIns,
  getMemberPayments,
  getMemberMemberships,
  getMemberPass,
  getMemberExport,
  postMemberErase,
  getPlans,
  getPlan,
  postPlans,
  putPlan,
  postPlanArchive,
  deletePlan,
  postMemberships,
  postMembershipRenewal,
  postMembershipFreeze,
  postMembershipUnfreeze,
  postMembershipCancel,
  postPaymentsRecordOffline,
  putPaymentsRazorpayAccount,
  postPaymentsOrders,
  postMemberPaymentLinks,
  postPaymentRefunds,
  getRefunds,
  getPaymentReviews,
  getPayments,
  getInvoices,
  getInvoicePdf,
  postInvoiceShareLinks,
  deleteInvoiceShareLinks,
  getReportsReconciliation,
  postCheckIns,
  getCheckInsToday,
  getCheckInsOccupancy,
  getAuditLog,
  // Sync (DESIGN 6)
  postSyncPush,
  // WhatsApp notifications (issue 6)
  getNotifications,
  postNotificationRetry,
  getNotificationSettings,
  putNotificationSettings,
];
