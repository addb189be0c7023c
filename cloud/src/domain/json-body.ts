import { AppError, ErrorCode } from '@gymstack/shared';

/** A webhook's raw body parsed as JSON, once its signature or token has checked out; a 400 when it is not JSON. */
export function jsonOf(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new AppError(ErrorCode.BadRequest, 'The body is not JSON');
  }
}
