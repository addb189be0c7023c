import type { HandlerName } from '../contract.js';
import { auditHandlers } from './audit.js';
import { authHandlers } from './auth.js';
import { cardHandlers } from './cards.js';
import { checkinHandlers } from './checkins.js';
import { dashboardHandlers } from './dashboard.js';
import { deskHandlers } from './desk.js';
import { memberHandlers } from './members.js';
import { membershipHandlers } from './memberships.js';
import { messageHandlers } from './messages.js';
import { paymentHandlers } from './payments.js';
import { planHandlers } from './plans.js';
import { receiptHandlers } from './receipts.js';
import { settingsHandlers } from './settings.js';
import { staffHandlers } from './staff.js';
import { syncHandlers } from './sync.js';
import { deviceHandlers } from './devices.js';
import type { HandlerMap } from './types.js';

/** The first-run handlers, which the core answers itself: they run before there is a desk to run on. */
export type SetupHandlerName = 'setup/status' | 'setup/pair';
export type DeskHandlerName = Exclude<HandlerName, SetupHandlerName>;

/** Every other handler of the contract, one file per area; a missing or misspelt name fails to compile. */
export const handlers: HandlerMap<DeskHandlerName> = {
  ...deskHandlers,
  ...authHandlers,
  ...staffHandlers,
  ...settingsHandlers,
  ...memberHandlers,
  ...cardHandlers,
  ...planHandlers,
  ...membershipHandlers,
  ...paymentHandlers,
  ...receiptHandlers,
  ...checkinHandlers,
  ...dashboardHandlers,
  ...messageHandlers,
  ...auditHandlers,
  ...syncHandlers,
  ...deviceHandlers,
};
