import type { StaffRole } from '@gymstack/shared';
import type { Route, Screen } from '../hooks/useNavigation';

export interface NavItem {
  label: string;
  hotkey: string;
  route: Route;
  /** Screens that light this item up (a member's profile belongs to Members). */
  screens: readonly Screen[];
  minRole?: StaffRole;
}

/** F5 stays free for the browser's reload. */
export const NAV_ITEMS: readonly NavItem[] = [
  { label: 'Check-in', hotkey: 'F1', route: { screen: 'checkin' }, screens: ['checkin'] },
  { label: 'Members', hotkey: 'F2', route: { screen: 'members', filter: 'all', page: 1 }, screens: ['members', 'member'] },
  { label: 'Sell / renew', hotkey: 'F3', route: { screen: 'sell' }, screens: ['sell'] },
  { label: 'Today', hotkey: 'F4', route: { screen: 'dashboard' }, screens: ['dashboard'] },
  { label: 'Plans', hotkey: 'F6', route: { screen: 'plans' }, screens: ['plans'], minRole: 'manager' },
  { label: 'Settings', hotkey: 'F7', route: { screen: 'settings' }, screens: ['settings'], minRole: 'manager' },
  { label: 'Sync issues', hotkey: 'F8', route: { screen: 'sync' }, screens: ['sync'], minRole: 'manager' },
  { label: 'Devices', hotkey: 'F9', route: { screen: 'devices' }, screens: ['devices'] },
  { label: 'Messages', hotkey: 'F10', route: { screen: 'messages', status: null, template: null, page: 1 }, screens: ['messages'], minRole: 'manager' },
];
