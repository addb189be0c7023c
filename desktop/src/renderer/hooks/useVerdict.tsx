import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { denyReasonText, type Checkin } from '@gymstack/shared';
import type { HandlerResult, MemberStatus } from '../../core/contract';
import { api } from '../api';
import { playVerdictTone } from '../lib/tones';

export interface Verdict {
  checkinId: string;
  verdict: Checkin['verdict'];
  reasonText: string | null;
  at: string;
  member: { id: string; name: string; code: string | null } | null;
  /** Known when this desk made the check-in; otherwise the panel looks it up. */
  status: MemberStatus | null;
}

const reasonTextOf = (checkin: Checkin, reasonText: string | null) =>
  reasonText ?? (checkin.reason ? denyReasonText[checkin.reason] : null);

export function verdictFromCheckin({ checkin, member, reasonText }: HandlerResult<'checkins/create'>): Verdict {
  return {
    checkinId: checkin.id,
    verdict: checkin.verdict,
    reasonText: reasonTextOf(checkin, reasonText),
    at: checkin.at,
    member: member && { id: member.id, name: member.fullName, code: member.code },
    status: member?.status ?? null,
  };
}

/** How long a verdict stays up before the panel returns to "ready". */
const SHOW_FOR_MS = 30_000;

interface VerdictState {
  current: Verdict | null;
  show: (verdict: Verdict) => void;
}

const VerdictContext = createContext<VerdictState | null>(null);

/**
 * The latest check-in verdict, from this desk or any scanner (the core's 'checkin' events).
 * Each check-in sounds once, on whichever screen the desk is showing.
 */
export function VerdictProvider({ children }: { children: ReactNode }) {
  const [current, setCurrent] = useState<Verdict | null>(null);
  const seen = useRef(new Set<string>());

  const show = useCallback((verdict: Verdict) => {
    if (seen.current.has(verdict.checkinId)) {
      // Our own check-in arrives twice (the reply and the event): fill in what the first copy lacked.
      setCurrent((prev) => (prev?.checkinId === verdict.checkinId ? { ...prev, status: prev.status ?? verdict.status } : prev));
      return;
    }
    seen.current.add(verdict.checkinId);
    if (seen.current.size > 100) seen.current.delete(seen.current.values().next().value ?? '');
    setCurrent(verdict);
    playVerdictTone(verdict.verdict);
  }, []);

  useEffect(
    () =>
      api.onEvent((event) => {
        if (event.type !== 'checkin') return;
        const { checkin, reasonText } = event;
        show({
          checkinId: checkin.id,
          verdict: checkin.verdict,
          reasonText: reasonTextOf(checkin, reasonText),
          at: checkin.at,
          member: checkin.memberId ? { id: checkin.memberId, name: checkin.memberName ?? 'Member', code: checkin.memberCode } : null,
          status: null,
        });
      }),
    [show],
  );

  useEffect(() => {
    if (!current) return;
    const timer = window.setTimeout(() => setCurrent(null), SHOW_FOR_MS);
    return () => window.clearTimeout(timer);
  }, [current]);

  const value = useMemo(() => ({ current, show }), [current, show]);
  return <VerdictContext value={value}>{children}</VerdictContext>;
}

export function useVerdict(): VerdictState {
  const state = useContext(VerdictContext);
  if (!state) throw new Error('useVerdict outside VerdictProvider');
  return state;
}
