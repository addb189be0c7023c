import type { ErrorCode, ErrorPayload, FieldIssue } from '@gymstack/shared';

/** A handler's `ok:false` reply, thrown by `api.call`. */
export class DeskApiError extends Error {
  readonly code: ErrorCode;
  readonly issues: readonly FieldIssue[];

  constructor({ code, message, issues }: ErrorPayload) {
    super(message);
    this.name = 'DeskApiError';
    this.code = code;
    this.issues = issues ?? [];
  }
}

export const isDeskApiError = (e: unknown): e is DeskApiError => e instanceof DeskApiError;

/** The message to show for any error a call can raise. */
export const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : 'Something went wrong');
