import { useMemo } from 'react';
import { useDeskQuery } from './useDesk';

const FALLBACK = { locale: 'en-IN', timeZone: 'Asia/Kolkata' };

/** The gym, branch, settings and the gym's "today", as the core sees them. */
export function useDeskInfo() {
  return useDeskQuery('desk/info', {}, { staleTime: 60_000 });
}

/** Dates and times in the gym's locale and time zone (not the PC's). */
export function useFormat() {
  const gym = useDeskInfo().data?.gym;
  const locale = gym?.locale ?? FALLBACK.locale;
  const timeZone = gym?.timeZone ?? FALLBACK.timeZone;
  return useMemo(() => {
    // Business dates are calendar dates: format them at UTC midnight so no zone can shift the day.
    const dateFmt = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
    const timeFmt = new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit', timeZone });
    const clockFmt = new Intl.DateTimeFormat(locale, { weekday: 'short', day: 'numeric', month: 'short', hour: 'numeric', minute: '2-digit', second: '2-digit', timeZone });
    const dateTimeFmt = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', hour: 'numeric', minute: '2-digit', timeZone });
    return {
      /** `2025-04-01` → `1 Apr 2025`. */
      date: (localDate: string) => dateFmt.format(new Date(`${localDate}T00:00:00Z`)),
      time: (instant: string | Date) => timeFmt.format(new Date(instant)),
      dateTime: (instant: string | Date) => dateTimeFmt.format(new Date(instant)),
      clock: (now: Date) => clockFmt.format(now),
    };
  }, [locale, timeZone]);
}
