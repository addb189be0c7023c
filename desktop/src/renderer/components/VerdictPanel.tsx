import { Group, Paper, Stack, Text, Title } from '@mantine/core';
import { formatInr } from '@gymstack/shared';
import type { MemberStatus } from '../../core/contract';
import { useDeskQuery } from '../hooks/useDesk';
import { useFormat } from '../hooks/useDeskInfo';
import type { Verdict } from '../hooks/useVerdict';
import { MemberPhoto } from './MemberPhoto';

/** Where the member's term stands, in words: days left while it runs, the end date once over. */
function termText({ state, daysLeft, end }: MemberStatus, date: (d: string) => string): string {
  switch (state) {
    case 'none':
      return 'No membership';
    case 'pending':
      return 'Not started yet';
    case 'cancelled':
      return 'Cancelled';
    case 'grace':
    case 'expired':
      return end ? `Ended ${date(end)}` : 'Ended';
    default:
      return daysLeft === 0 ? 'Last day today' : `${daysLeft} ${daysLeft === 1 ? 'day' : 'days'} left`;
  }
}

function StatusLine({ memberId, known }: { memberId: string; known: MemberStatus | null }) {
  const format = useFormat();
  const fetched = useDeskQuery('members/get', { memberId }, { enabled: known === null });
  const status = known ?? fetched.data?.status;
  if (!status) return null;
  return (
    <Group gap="xl">
      <Text fz={26} fw={600} data-testid="verdict-days-left">
        {termText(status, format.date)}
      </Text>
      {status.duePaise > 0 && (
        <Text fz={26} fw={700} data-testid="verdict-dues">
          Dues {formatInr(status.duePaise)}
        </Text>
      )}
    </Group>
  );
}

/** Fixed, so the screen below never jumps as verdicts come and go. */
const PANEL_HEIGHT = 300;

/** The check-in result, readable across the room: full green or red, photo, name, reason, days left, dues. */
export function VerdictPanel({ verdict }: { verdict: Verdict | null }) {
  const format = useFormat();
  if (!verdict) {
    return (
      <Paper p="xl" radius="lg" bg="gray.1" h={PANEL_HEIGHT} withBorder data-testid="verdict-idle" role="status">
        <Stack justify="center" h="100%" gap="xs">
          <Title order={2} fz={40}>
            Ready
          </Title>
          <Text fz="xl" c="dimmed">
            Scan a card, QR or finger — or press / to search by name, phone or member code.
          </Text>
        </Stack>
      </Paper>
    );
  }
  const allowed = verdict.verdict === 'allow';
  const name = verdict.member?.name ?? 'Unknown';
  return (
    <Paper
      p="xl"
      radius="lg"
      h={PANEL_HEIGHT}
      bg={allowed ? 'green.7' : 'red.8'}
      c="white"
      role="status"
      aria-live="assertive"
      data-testid="verdict"
      data-verdict={verdict.verdict}
    >
      <Group gap="xl" wrap="nowrap" align="center" h="100%">
        {verdict.member && <MemberPhoto memberId={verdict.member.id} name={name} size={180} radius="lg" color="white" />}
        <Stack gap={6} miw={0}>
          <Text fz={28} fw={800} tt="uppercase" lts={2}>
            {allowed ? 'Welcome in' : 'Denied'} · {format.time(verdict.at)}
          </Text>
          <Title order={2} fz={52} lh={1.05} c="white" data-testid="verdict-name" lineClamp={1}>
            {name}
          </Title>
          {verdict.member?.code && (
            <Text fz="xl" opacity={0.85}>
              {verdict.member.code}
            </Text>
          )}
          {verdict.reasonText && (
            <Text fz={32} fw={700} data-testid="verdict-reason">
              {verdict.reasonText}
            </Text>
          )}
          {verdict.member && <StatusLine memberId={verdict.member.id} known={verdict.status} />}
        </Stack>
      </Group>
    </Paper>
  );
}
