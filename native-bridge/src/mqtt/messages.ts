import { z } from 'zod';
import { pulseLimits } from '../door/relay-base.js';
import { checkinMethod, credentialSchema, denyReasons, fields, memberCode, type ErrorPayload } from '@gymstack/shared';

/** The payload of every message on `checkins`: one check-in verdict as the desk recorded it. */
export const checkinMessageSchema = z.object({
  id: fields.id,
  /** null when the credential matched no member. */
  memberId: fields.id.nullable(),
  memberCode: memberCode.nullable(),
  memberName: z.string().max(200).optional(),
  verdict: z.enum(['allow', 'deny']),
  reason: z.enum(denyReasons).nullable(),
  method: checkinMethod,
  at: fields.instant,
  /** The desk that recorded it. */
  deviceId: z.string().min(1),
});
export type CheckinMessage = z.infer<typeof checkinMessageSchema>;

const requestId = z.uuid();

/** `doors/{id}/cmd`: what the desk asks a door controller to do. */
export const doorCommandSchema = z.object({
  requestId,
  action: z.literal('pulse'),
  ms: z.number().int().min(pulseLimits.minMs).max(pulseLimits.maxMs),
});
export type DoorCommandMessage = z.infer<typeof doorCommandSchema>;
/** A command as the desk gives it; the request id is added when it is sent. */
export type DoorCommand = Omit<DoorCommandMessage, 'requestId'>;

/** `doors/{id}/state`: the door as the controller sees it; `requestId` acks the command that caused it. */
export const doorStateSchema = z.object({
  door: z.enum(['open', 'closed']),
  requestId: requestId.optional(),
  at: fields.instant,
});
export type DoorStateMessage = z.infer<typeof doorStateSchema>;

/** `bridges/{id}/identify`: a bridge PC names a member it identified, or passes on what its reader read. */
export const bridgeIdentifySchema = z.union([
  z.strictObject({ requestId, memberId: fields.id }),
  z.strictObject({ requestId, credential: credentialSchema }),
]);
export type BridgeIdentify = z.infer<typeof bridgeIdentifySchema>;

/** `bridges/{id}/result`: the check-in the identify became, or why it was refused (`requestId` null when unreadable). */
export type BridgeResult =
  | { requestId: string; ok: true; checkin: CheckinMessage }
  | { requestId: string | null; ok: false; error: ErrorPayload };

/** A payload as JSON, or undefined when it is not JSON: a bad message is answered or dropped, never thrown. */
export function parseJsonPayload(payload: Buffer): unknown {
  try {
    return JSON.parse(payload.toString()) as unknown;
  } catch {
    return undefined;
  }
}
