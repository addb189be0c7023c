/**
 * Stable error codes. They cross every boundary (desk handler API, REST envelope, sync results)
 * as `{ code, message }`, so a code, once shipped, keeps its meaning.
 */
export const ErrorCode = {
  ValidationError: 'VALIDATION_ERROR',
  UnknownHandler: 'UNKNOWN_HANDLER',
  Unauthenticated: 'UNAUTHENTICATED',
  Forbidden: 'FORBIDDEN',
  InvalidPin: 'INVALID_PIN',
  PinLocked: 'PIN_LOCKED',
  NotFound: 'NOT_FOUND',
  Conflict: 'CONFLICT',
  DuplicatePhone: 'DUPLICATE_PHONE',
  PlanInactive: 'PLAN_INACTIVE',
  MembershipCancelled: 'MEMBERSHIP_CANCELLED',
  FreezeLimitExceeded: 'FREEZE_LIMIT_EXCEEDED',
  FreezeInvalidRange: 'FREEZE_INVALID_RANGE',
  NotFrozen: 'NOT_FROZEN',
  Overpayment: 'OVERPAYMENT',
  InvoiceSeriesExhausted: 'INVOICE_SERIES_EXHAUSTED',
  /** A shared invoice link past its expiry. */
  InvoiceLinkExpired: 'INVOICE_LINK_EXPIRED',
  /** A shared invoice link that is not one the cloud signed (tampered, truncated, made up). */
  InvoiceLinkInvalid: 'INVOICE_LINK_INVALID',
  /** A shared invoice link whose invoice's links were revoked since it was made. */
  InvoiceLinkRevoked: 'INVOICE_LINK_REVOKED',
  Internal: 'INTERNAL',
  BadRequest: 'BAD_REQUEST',
  RateLimited: 'RATE_LIMITED',
  Unavailable: 'UNAVAILABLE',
  // Sync (DESIGN 6)
  SchemaVersionMismatch: 'SCHEMA_VERSION_MISMATCH',
  SeqGap: 'SEQ_GAP',
  UnknownMutation: 'UNKNOWN_MUTATION',
  /** A desk that is neither paired nor set up yet: only the first-run screen works. */
  NotSetUp: 'NOT_SET_UP',
  // Devices (DESIGN 7): what a reader, scanner or relay answered, in words the desk can show.
  DeviceNotFound: 'DEVICE_NOT_FOUND',
  DevicePermission: 'DEVICE_PERMISSION',
  DeviceTimeout: 'DEVICE_TIMEOUT',
  DeviceWrongBaud: 'DEVICE_WRONG_BAUD',
  DeviceBadChecksum: 'DEVICE_BAD_CHECKSUM',
  DeviceProtocol: 'DEVICE_PROTOCOL',
  DeviceWrongPassword: 'DEVICE_WRONG_PASSWORD',
  DeviceFailed: 'DEVICE_FAILED',
  FingerNotDetected: 'FINGER_NOT_DETECTED',
  FingerImagePoor: 'FINGER_IMAGE_POOR',
  FingerNoMatch: 'FINGER_NO_MATCH',
  FingerEnrollMismatch: 'FINGER_ENROLL_MISMATCH',
  FingerLibraryFull: 'FINGER_LIBRARY_FULL',
  FingerPageInvalid: 'FINGER_PAGE_INVALID',
  // Online payments (issue 6)
  /** A webhook whose signature does not verify with the gym's webhook secret. */
  InvalidSignature: 'INVALID_SIGNATURE',
  /** Razorpay refused or did not answer a request; nothing was stored. */
  PaymentProviderFailed: 'PAYMENT_PROVIDER_FAILED',
  RefundExceedsPayment: 'REFUND_EXCEEDS_PAYMENT',
  NotRefundable: 'NOT_REFUNDABLE',
  /** What only the cloud has (its WhatsApp messages), asked of a desk that has no cloud to ask: standalone, or revoked. */
  NotPaired: 'NOT_PAIRED',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface FieldIssue {
  /** Dotted path into the arguments, e.g. `phone` or `payment.amountPaise`. */
  path: string;
  message: string;
}

/** What crosses a process or network boundary: never a stack trace. */
export interface ErrorPayload {
  code: ErrorCode;
  message: string;
  issues?: FieldIssue[];
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly issues: FieldIssue[] | undefined;

  constructor(code: ErrorCode, message: string, issues?: FieldIssue[]) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.issues = issues;
  }

  toPayload(): ErrorPayload {
    return this.issues ? { code: this.code, message: this.message, issues: this.issues } : { code: this.code, message: this.message };
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

/** Factories keep messages consistent wherever an error is raised. */
export const errors = {
  validation: (issues: FieldIssue[]) =>
    new AppError(ErrorCode.ValidationError, issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; '), issues),
  unknownHandler: (name: string) => new AppError(ErrorCode.UnknownHandler, `No handler named '${name}'`),
  unauthenticated: () => new AppError(ErrorCode.Unauthenticated, 'Log in with your PIN first'),
  forbidden: (need: string) => new AppError(ErrorCode.Forbidden, `This needs the ${need} role or higher`),
  invalidPin: () => new AppError(ErrorCode.InvalidPin, 'Wrong PIN'),
  pinLocked: (minutes: number) => new AppError(ErrorCode.PinLocked, `Too many wrong PINs; try again in ${minutes} min`),
  notFound: (what: string) => new AppError(ErrorCode.NotFound, `${what} not found`),
  conflict: (message: string) => new AppError(ErrorCode.Conflict, message),
  duplicatePhone: (phone: string) => new AppError(ErrorCode.DuplicatePhone, `A member with phone ${phone} already exists`),
  planInactive: () => new AppError(ErrorCode.PlanInactive, 'This plan is archived and cannot be sold'),
  membershipCancelled: () => new AppError(ErrorCode.MembershipCancelled, 'This membership is cancelled'),
  notFrozen: () => new AppError(ErrorCode.NotFrozen, 'This membership is not frozen'),
  overpayment: (dueText: string) => new AppError(ErrorCode.Overpayment, `Amount is more than the ${dueText} due`),
  invoiceSeriesExhausted: (prefix: string, startYear: number) =>
    new AppError(ErrorCode.InvoiceSeriesExhausted, `Invoice series ${prefix} is full for ${startYear}-${startYear + 1}; set a new prefix`),
  invoiceLinkExpired: () => new AppError(ErrorCode.InvoiceLinkExpired, 'This invoice link has expired; ask the gym for a new one'),
  invoiceLinkInvalid: () => new AppError(ErrorCode.InvoiceLinkInvalid, 'This is not a valid invoice link'),
  invoiceLinkRevoked: () => new AppError(ErrorCode.InvoiceLinkRevoked, 'The gym has stopped sharing this invoice; ask the gym for a new link'),
  internal: () => new AppError(ErrorCode.Internal, 'Something went wrong; the action was not saved'),
  notSetUp: () => new AppError(ErrorCode.NotSetUp, 'This desk is not set up yet: pair it with the cloud first'),
  /** A device failure; `code` is one of the device codes above. */
  device: (code: ErrorCode, message: string) => new AppError(code, message),
  invalidSignature: () => new AppError(ErrorCode.InvalidSignature, 'The webhook signature does not verify'),
  refundExceedsPayment: (leftText: string) => new AppError(ErrorCode.RefundExceedsPayment, `Refund is more than the ${leftText} left of the payment`),
  notRefundable: () => new AppError(ErrorCode.NotRefundable, 'Only online (Razorpay) payments are refunded here; offline money goes back over the counter'),
  notPaired: (message = 'This needs the cloud, and this desk is not paired with one') => new AppError(ErrorCode.NotPaired, message),
  doneInCloud: () => new AppError(ErrorCode.Forbidden, 'This desk is paired with the cloud: the owner changes this in the cloud dashboard, and it reaches every desk'),
};

/** Turns a zod error's issues into field paths the UI can put beside inputs. */
export function issuesFromZod(issues: readonly { path: readonly PropertyKey[]; message: string }[]): FieldIssue[] {
  return issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}
