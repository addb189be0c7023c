import { useMutation, useQuery, type UseQueryOptions } from '@tanstack/react-query';
import type { HandlerArgs, HandlerName, HandlerResult } from '../../core/contract';
import { api, type DeskApiError } from '../api';
import { deskQueryKey, invalidateAfter } from '../lib/query-client';

type QueryOptions<N extends HandlerName> = Omit<UseQueryOptions<HandlerResult<N>, DeskApiError>, 'queryKey' | 'queryFn'>;

/** A handler read, cached under `[name, args]`. */
export function useDeskQuery<N extends HandlerName>(name: N, args: HandlerArgs<N>, options?: QueryOptions<N>) {
  return useQuery<HandlerResult<N>, DeskApiError>({
    queryKey: deskQueryKey(name, args),
    queryFn: () => api.call(name, args),
    ...options,
  });
}

/** A handler write; what it touches is refetched once it succeeds. */
export function useDeskMutation<N extends HandlerName>(name: N) {
  return useMutation<HandlerResult<N>, DeskApiError, HandlerArgs<N>>({
    mutationFn: (args) => api.call(name, args),
    onSuccess: () => {
      void invalidateAfter(name);
    },
  });
}
