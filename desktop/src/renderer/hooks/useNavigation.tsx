import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import type { NotificationStatus, NotificationTemplate } from '@gymstack/shared';
import type { MemberFilter } from '../lib/member-filters';

export type Route =
  | { screen: 'checkin' }
  | { screen: 'members'; filter: MemberFilter; page: number }
  | { screen: 'member'; memberId: string }
  | { screen: 'sell'; memberId?: string }
  | { screen: 'dashboard' }
  | { screen: 'plans' }
  | { screen: 'settings' }
  | { screen: 'sync' }
  | { screen: 'messages'; status: NotificationStatus | null; template: NotificationTemplate | null; page: number }
  | { screen: 'devices' };

export type Screen = Route['screen'];

interface Navigation {
  route: Route;
  navigate: (route: Route, options?: { replace?: boolean }) => void;
  back: () => void;
}

const NavigationContext = createContext<Navigation | null>(null);
const HOME: Route = { screen: 'checkin' };

/** In-memory screen history: the desk has no address bar, and the URL fragment carries the launch token. */
export function NavigationProvider({ children }: { children: ReactNode }) {
  const [stack, setStack] = useState<readonly Route[]>([HOME]);
  const navigate = useCallback((route: Route, options?: { replace?: boolean }) => {
    setStack((s) => (options?.replace ? [...s.slice(0, -1), route] : [...s.slice(-20), route]));
  }, []);
  const back = useCallback(() => setStack((s) => (s.length > 1 ? s.slice(0, -1) : [HOME])), []);
  const route = stack.at(-1) ?? HOME;
  const value = useMemo(() => ({ route, navigate, back }), [route, navigate, back]);
  return <NavigationContext value={value}>{children}</NavigationContext>;
}

export function useNavigation(): Navigation {
  const navigation = useContext(NavigationContext);
  if (!navigation) throw new Error('useNavigation outside NavigationProvider');
  return navigation;
}
