import { Alert, Anchor, Group, Loader, Paper, ScrollArea, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { formatInr, receivedPaymentMethods } from '@gymstack/shared';
import type { ReactNode } from 'react';
import type { MemberSummary } from '../../core/contract';
import { Money } from '../components/Money';
import { PAYMENT_METHOD } from '../components/PaymentFields';
import { useDeskQuery } from '../hooks/useDesk';
import { useFormat } from '../hooks/useDeskInfo';
import { useNavigation } from '../hooks/useNavigation';

function Stat({ label, value, testId, children }: { label: string; value: ReactNode; testId: string; children?: ReactNode }) {
  return (
    <Paper withBorder p="md" radius="md">
      <Text c="dimmed" size="sm" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fz={36} fw={800} data-testid={testId}>
        {value}
      </Text>
      {children}
    </Paper>
  );
}

function MemberList({ title, members, detail, empty, testId }: { title: string; members: readonly MemberSummary[]; detail: (m: MemberSummary) => ReactNode; empty: string; testId: string }) {
  const { navigate } = useNavigation();
  return (
    <Paper withBorder p="md" radius="md">
      <Title order={3} size="h4" mb="xs">
        {title}
      </Title>
      <ScrollArea h={250} type="auto">
        {members.length === 0 ? (
          <Text c="dimmed">{empty}</Text>
        ) : (
          <Stack gap={6} component="ul" p={0} m={0} style={{ listStyle: 'none' }} data-testid={testId}>
            {members.map((m) => (
              <Group key={m.id} component="li" justify="space-between" wrap="nowrap">
                <Anchor component="button" onClick={() => navigate({ screen: 'member', memberId: m.id })} truncate>
                  {m.fullName}
                </Anchor>
                <Text size="sm">{detail(m)}</Text>
              </Group>
            ))}
          </Stack>
        )}
      </ScrollArea>
    </Paper>
  );
}

/** Today at this branch: who came, what was taken, who to call. */
export function DashboardScreen() {
  const today = useDeskQuery('dashboard/today', {});
  const format = useFormat();
  if (today.error) return <Alert color="red">{today.error.message}</Alert>;
  if (!today.data) return <Loader aria-label="Loading today's figures" />;
  const { date, checkins, occupancy, revenue, expiringSoon, dues, birthdays } = today.data;

  return (
    <Stack gap="md">
      <Title order={2}>Today · {format.date(date)}</Title>
      <SimpleGrid cols={4} spacing="md">
        <Stat label="Check-ins allowed" value={checkins.allowed} testId="dash-allowed">
          <Text size="sm" c="dimmed">
            {checkins.uniqueMembers} members
          </Text>
        </Stat>
        <Stat label="Denied" value={checkins.denied} testId="dash-denied" />
        <Stat label="In the gym now" value={occupancy} testId="dash-occupancy" />
        <Stat label="Revenue" value={<Money paise={revenue.total} />} testId="dash-revenue">
          {receivedPaymentMethods.map((method) => (
            <Group key={method} justify="space-between">
              <Text size="sm" c="dimmed">
                {PAYMENT_METHOD[method].label}
              </Text>
              <Money paise={revenue[method]} size="sm" />
            </Group>
          ))}
        </Stat>
      </SimpleGrid>
      <SimpleGrid cols={3} spacing="md">
        <MemberList
          title={`Expiring in 7 days (${expiringSoon.length})`}
          members={expiringSoon}
          detail={(m) => (m.status.end ? format.date(m.status.end) : '')}
          empty="Nobody expires this week."
          testId="dash-expiring"
        />
        <MemberList title={`Dues (${dues.count}) · ${formatInr(dues.totalPaise)}`} members={dues.members} detail={(m) => <Money paise={m.status.duePaise} c="red" />} empty="No dues." testId="dash-dues" />
        <MemberList title={`Birthdays today (${birthdays.length})`} members={birthdays} detail={(m) => m.phone} empty="No birthdays today." testId="dash-birthdays" />
      </SimpleGrid>
    </Stack>
  );
}
