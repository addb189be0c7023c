import { Badge, Grid, Group, Stack, Title } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useRef } from 'react';
import type { HandlerArgs } from '../../core/contract';
import { MemberSearchBox } from '../components/MemberSearchBox';
import { RecentCheckins } from '../components/RecentCheckins';
import { VerdictPanel } from '../components/VerdictPanel';
import { useDeskMutation, useDeskQuery } from '../hooks/useDesk';
import { useVerdict, verdictFromCheckin } from '../hooks/useVerdict';
import { notifyError } from '../lib/notify';

function Occupancy() {
  const occupancy = useDeskQuery('checkins/occupancy', {});
  return (
    <Badge size="xl" variant="light" data-testid="occupancy" aria-label={`${occupancy.data?.count ?? 0} members in the gym now`}>
      In the gym: {occupancy.data?.count ?? '–'}
    </Badge>
  );
}

type Target = Pick<HandlerArgs<'checkins/create'>, 'memberId' | 'memberCode'>;

/** The home screen: the verdict panel, manual check-in by search, and who came in lately. */
export function CheckinScreen() {
  const searchRef = useRef<HTMLInputElement>(null);
  useHotkeys([['/', () => searchRef.current?.focus()]]);
  const { current, show } = useVerdict();
  const checkin = useDeskMutation('checkins/create');
  const checkIn = (target: Target) =>
    checkin.mutate({ method: 'manual', ...target }, { onSuccess: (result) => show(verdictFromCheckin(result)), onError: notifyError });

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>Check-in</Title>
        <Occupancy />
      </Group>
      <VerdictPanel verdict={current} />
      <Grid gap="lg">
        <Grid.Col span={5}>
          <MemberSearchBox
            label="Search members"
            inputRef={searchRef}
            autoFocus
            onPick={(member) => checkIn({ memberId: member.id })}
            onCode={(memberCode) => checkIn({ memberCode })}
            testId="checkin-search"
          />
        </Grid.Col>
        <Grid.Col span={7}>
          <RecentCheckins height={300} />
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
