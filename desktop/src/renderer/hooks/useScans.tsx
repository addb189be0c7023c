import { createContext, useCallback, useContext, useEffectEvent, useLayoutEffect, useRef, useState, type ReactNode, type RefCallback, type RefObject } from 'react';
import type { HandlerResult } from '../../core/contract';
import { notifyFailure } from '../lib/notify';
import { useDeskMutation } from './useDesk';
import { useNavigation } from './useNavigation';
import { useVerdict, verdictFromCheckin } from './useVerdict';
import { useWedgeScan } from './useWedgeScan';

type OnScan = (code: string) => void;
type ScanFields = Map<Element, RefObject<OnScan>>;

const ScanFieldsContext = createContext<ScanFields | null>(null);
const notifyNotCheckedIn = notifyFailure('Scan not checked in');

/**
 * Every keyboard-wedge scan in the desk window checks the member in (a pass QR, member code or card
 * number), and the check-in screen shows the verdict, as for a check-in from the profile. A field that
 * takes scans itself (see `useScanField`) gets the code instead while it has focus.
 */
export function ScanProvider({ children }: { children: ReactNode }) {
  const [fields] = useState<ScanFields>(() => new Map());
  const { route, navigate } = useNavigation();
  const { show } = useVerdict();
  const scan = useDeskMutation('checkins/scan');

  const checkedIn = useEffectEvent((result: HandlerResult<'checkins/scan'>) => {
    show(verdictFromCheckin(result));
    if (route.screen !== 'checkin') navigate({ screen: 'checkin' });
  });

  useWedgeScan((code) => {
    const field = document.activeElement && fields.get(document.activeElement);
    if (field) field.current(code);
    // mutateAsync: each scan's own reply, even when a second scan comes before the first answers.
    else scan.mutateAsync({ code }).then(checkedIn, notifyNotCheckedIn);
  });

  return <ScanFieldsContext value={fields}>{children}</ScanFieldsContext>;
}

/** A ref for a field that takes a scan itself (a card number being assigned) instead of checking someone in. */
export function useScanField(onScan: OnScan): RefCallback<Element> {
  const fields = useContext(ScanFieldsContext);
  const latest = useRef(onScan);
  useLayoutEffect(() => {
    latest.current = onScan;
  });
  return useCallback(
    (element: Element | null) => {
      if (!element || !fields) return;
      fields.set(element, latest);
      return () => {
        fields.delete(element);
      };
    },
    [fields],
  );
}
