import { ErrorCode, type ErrorPayload } from '@gymstack/shared';
import { z } from 'zod';

/** The seed's response envelope (DESIGN 5): `{success: true, data, meta?}` or `{success: false, error}`. */
export interface Ok<T, M = undefined> {
  success: true;
  data: T;
  meta?: M;
}

export function ok<T>(data: T): Ok<T>;
export function ok<T, M>(data: T, meta: M): Ok<T, M>;
export function ok<T, M>(data: T, meta?: M): Ok<T, M> {
  return meta === undefined ? { success: true, data } : { success: true, data, meta };
}

export interface Failure {
  success: false;
  error: ErrorPayload & { status: number };
}

export function failure(status: number, error: ErrorPayload): Failure {
  return { success: false, error: { ...error, status } };
}

/** Response schema of a success, for a route's `schema.response` (and so for OpenAPI); `.extend({ meta })` for lists. */
export const okSchema = <D extends z.ZodType>(data: D) => z.object({ success: z.literal(true), data });

/** Response schema of every failure. */
export const failureSchema = z.object({
  success: z.literal(false),
  error: z.object({
    code: z.enum(Object.values(ErrorCode) as [ErrorCode, ...ErrorCode[]]),
    message: z.string(),
    status: z.number().int(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});
