import type { StaffRole } from '@gymstack/shared';
import type { HandlerInput, HandlerName, HandlerResult } from '../contract.js';
import type { Context } from '../context.js';

/** Who may call a handler: `public` needs no session; a role means that role or higher. */
export type Access = 'public' | StaffRole;

export interface Handler<N extends HandlerName> {
  access: Access;
  /**
   * `cloud`: on a paired desk this is the owner's to do in the cloud (the cloud refuses it from a desk
   * token), so the desk refuses it at once instead of queueing a change the cloud would turn down.
   */
  whenPaired?: 'cloud';
  /** Receives arguments already validated by the contract's schema; its result is validated too. */
  run(ctx: Context, input: HandlerInput<N>): HandlerResult<N> | Promise<HandlerResult<N>>;
}

export type HandlerMap<K extends HandlerName> = { [N in K]: Handler<N> };

/** Declares one area's handlers; the names are checked against the contract and each `input` is typed. */
export const defineHandlers = <K extends HandlerName>(map: HandlerMap<K>): HandlerMap<K> => map;
