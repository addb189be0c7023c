import { keepPreviousData } from '@tanstack/react-query';
import { useDebouncedValue } from '@mantine/hooks';
import { useDeskQuery } from './useDesk';

/** Member search as you type, lightly debounced; `settled` once the results match what is typed. */
export function useMemberSearch(query: string, limit = 8) {
  const typed = query.trim();
  const [debounced] = useDebouncedValue(typed, 120);
  const search = useDeskQuery(
    'members/search',
    { query: debounced, limit },
    { enabled: debounced.length > 0, placeholderData: keepPreviousData, staleTime: 5_000 },
  );
  return {
    results: typed && search.data ? search.data : [],
    settled: debounced === typed && !search.isPlaceholderData && !search.isFetching,
    error: search.error,
  };
}
