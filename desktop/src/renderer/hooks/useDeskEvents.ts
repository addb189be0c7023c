import { useEffect } from 'react';
import { api } from '../api';
import { invalidateEntities, invalidatePrefixes, queryClient, sessionKey, syncStatusKey } from '../lib/query-client';

/** Keeps every cached answer current from the core's pushed events. */
export function useDeskEvents(): void {
  useEffect(
    () =>
      api.onEvent((event) => {
        switch (event.type) {
          case 'changed':
            void invalidateEntities(event.entities);
            break;
          case 'checkin':
            void invalidateEntities(['checkins']);
            break;
          case 'session':
            queryClient.setQueryData(sessionKey, event.staff);
            break;
          case 'sync':
            // The event carries the whole status: no refetch. Refused changes may have come or gone with it.
            queryClient.setQueryData(syncStatusKey, event.status);
            void invalidatePrefixes(['sync/rejections']);
            break;
          case 'devices':
            // Whether a fingerprint sits on the reader changes as the reader loads templates.
            void invalidatePrefixes(['devices/list', 'fingerprints/']);
            break;
        }
      }),
    [],
  );
}
