import { useDeskQuery } from './useDesk';

/** Whether this desk is paired with the cloud: then plans, staff and desk rules are changed there. */
export function usePaired(): boolean {
  const sync = useDeskQuery('sync/status', {}, { staleTime: Infinity });
  return sync.data !== undefined && sync.data.state !== 'unpaired';
}
