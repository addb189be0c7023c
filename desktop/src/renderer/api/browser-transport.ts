import type { DeskEvent, DeskReply, HandlerName, SyncStatus } from '../../core/contract';
import type { Transport } from './transport';

const TOKEN_KEY = 'gymstack.token';
const MAX_BACKOFF_MS = 10_000;
const ALL_ENTITIES = ['members', 'plans', 'memberships', 'payments', 'checkins', 'settings', 'staff', 'gym'] as const;

/** Reads the per-launch token from `#token=…` once, keeps it for this tab, and strips it from the URL. */
function takeToken(): string {
  const fragment = new URLSearchParams(window.location.hash.slice(1));
  const fromUrl = fragment.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    window.history.replaceState(null, '', window.location.pathname + window.location.search);
  }
  return fromUrl ?? sessionStorage.getItem(TOKEN_KEY) ?? '';
}

const transportError = (message: string): DeskReply => ({ ok: false, error: { code: 'INTERNAL', message } });

/** Browser mode: HTTP for calls, a WebSocket for events, both on 127.0.0.1 with the launch token. */
export function createBrowserTransport(): Transport {
  const token = takeToken();
  const listeners = new Set<(event: DeskEvent) => void>();
  const emit = (event: DeskEvent) => listeners.forEach((listener) => listener(event));

  let socket: WebSocket | null = null;
  let backoffMs = 500;
  let everConnected = false;

  function connect() {
    const url = new URL('/api/events', window.location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    socket = new WebSocket(url, [`gymstack.${token}`]);
    socket.onopen = () => {
      backoffMs = 500;
      // Events may have been missed while disconnected: let every screen refetch.
      if (everConnected) {
        emit({ type: 'changed', entities: [...ALL_ENTITIES] });
        void resendSyncStatus();
      }
      everConnected = true;
    };
    socket.onmessage = (message) => {
      if (typeof message.data === 'string') emit(JSON.parse(message.data) as DeskEvent);
    };
    socket.onclose = () => {
      socket = null;
      if (listeners.size === 0) return;
      window.setTimeout(() => listeners.size > 0 && socket === null && connect(), backoffMs);
      backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
    };
  }

  async function call(name: HandlerName, args: unknown): Promise<DeskReply> {
    try {
      const response = await fetch(`/api/call/${name}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify(args ?? {}),
      });
      return (await response.json()) as DeskReply;
    } catch {
      return transportError('Cannot reach the desk core');
    }
  }

  /** The sync status arrives only as events, so one missed while disconnected is read afresh. */
  async function resendSyncStatus() {
    const reply = await call('sync/status', {});
    if (reply.ok) emit({ type: 'sync', status: reply.data as SyncStatus });
  }

  return {
    call,
    onEvent(listener) {
      listeners.add(listener);
      if (socket === null) connect();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) socket?.close();
      };
    },
  };
}
