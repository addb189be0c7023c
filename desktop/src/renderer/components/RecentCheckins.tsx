import { Alert, ScrollArea } from '@mantine/core';
import { useDeskQuery } from '../hooks/useDesk';
import { CheckinTable } from './CheckinTable';

/** The live list of the latest check-ins at this branch, newest first. */
export function RecentCheckins({ height }: { height: number }) {
  const recent = useDeskQuery('checkins/recent', { limit: 30 });
  if (recent.error) return <Alert color="red">{recent.error.message}</Alert>;
  return (
    <ScrollArea h={height} type="auto">
      <CheckinTable checkins={recent.data ?? []} label="Recent check-ins" withMember testId="recent-checkins" />
    </ScrollArea>
  );
}
