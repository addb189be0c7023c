import { useCallback, useEffect, useState } from 'react';
import type { DeskEvent } from '../../core/contract';
import { api } from '../api';

export type EnrollProgress = Extract<DeskEvent, { type: 'enroll' }>['progress'];

/** The reader's latest enrollment step for this member, from the core's `enroll` events; `reset` before another try. */
export function useEnrollProgress(memberId: string): { progress: EnrollProgress | null; reset: () => void } {
  const [progress, setProgress] = useState<EnrollProgress | null>(null);
  useEffect(
    () =>
      api.onEvent((event) => {
        if (event.type === 'enroll' && event.progress.memberId === memberId) setProgress(event.progress);
      }),
    [memberId],
  );
  const reset = useCallback(() => setProgress(null), []);
  return { progress, reset };
}
