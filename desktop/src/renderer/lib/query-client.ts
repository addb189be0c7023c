import { QueryCache, QueryClient } from '@tanstack/react-query';
import type { DeskEvent, HandlerName } from '../../core/contract';
import { isDeskApiError } from '../api';

type Entity = Extract<DeskEvent, { type: 'changed' }>['entities'][number];

/** The core runs on this PC: never wait for "online", and let the core's events, not focus, drive refetching. */
export const queryClient = new QueryClient({
  queryCache: new QueryCache({
    // A lapsed session surfaces as UNAUTHENTICATED on any query: send the desk back to the PIN screen.
    onError: (error) => {
      if (isDeskApiError(error) && error.code === 'UNAUTHENTICATED') queryClient.setQueryData(sessionKey, null);
    },
  }),
  defaultOptions: {
    queries: { networkMode: 'always', refetchOnWindowFocus: false, retry: false, staleTime: 30_000 },
    mutations: { networkMode: 'always' },
  },
});

export const deskQueryKey = (name: HandlerName, args: unknown) => [name, args] as const;
export const sessionKey = deskQueryKey('auth/session', {});
export const setupKey = deskQueryKey('setup/status', {});
export const syncStatusKey = deskQueryKey('sync/status', {});
export const deviceConfigKey = deskQueryKey('devices/config', {});

/** Which handlers' answers a change to each entity can alter. */
const readersOf: Record<Entity, readonly string[]> = {
  // A member's fingerprints are written as member changes (enrolled or removed here, or synced in).
  members: ['members/', 'checkins/', 'dashboard/', 'fingerprints/'],
  plans: ['plans/'],
  memberships: ['members/', 'dashboard/'],
  payments: ['members/', 'dashboard/'],
  checkins: ['checkins/', 'members/', 'dashboard/'],
  settings: ['settings/', 'desk/'],
  staff: ['auth/staff'],
  // The gym and branch (a rename at the cloud, or the first download after pairing) and whether the desk is set up.
  gym: ['desk/', 'setup/'],
};

/** What each handler family writes, for invalidating right after our own successful mutation. */
const writesOf: Partial<Record<string, readonly Entity[]>> = {
  members: ['members'],
  cards: ['members'],
  fingerprints: ['members'],
  plans: ['plans'],
  memberships: ['memberships'],
  payments: ['payments'],
  checkins: ['checkins'],
  settings: ['settings'],
  gym: ['gym'],
  staff: ['staff'],
};

/** Refetches every cached answer of the handlers whose names start with one of `prefixes`. */
export function invalidatePrefixes(prefixes: readonly string[]): Promise<void> {
  return queryClient.invalidateQueries({
    predicate: ({ queryKey: [name] }) => typeof name === 'string' && prefixes.some((prefix) => name.startsWith(prefix)),
  });
}

export function invalidateEntities(entities: readonly Entity[]): Promise<void> {
  return invalidatePrefixes(entities.flatMap((entity) => readersOf[entity]));
}

/** `name` is a handler's, or a synced mutation's registry name (the same names, e.g. `memberships/renew`). */
export function invalidateAfter(name: string): Promise<void> {
  const family = name.slice(0, name.indexOf('/'));
  return invalidateEntities(writesOf[family] ?? []);
}
