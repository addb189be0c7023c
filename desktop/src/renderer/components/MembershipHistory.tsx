import { Button, Group, Stack, Table, Text } from '@mantine/core';
import type { MembershipView } from '@gymstack/shared';
import { useDeskMutation } from '../hooks/useDesk';
import { useFormat } from '../hooks/useDeskInfo';
import { notifyError } from '../lib/notify';
import { Money } from './Money';
import { StateBadge } from './StateBadge';

export type MembershipAction = 'pay' | 'freeze' | 'cancel';

const isOver = (m: MembershipView) => m.state === 'cancelled' || m.state === 'expired';

/** Every term the member bought, newest first, with what can still be done to each. */
export function MembershipHistory({ memberships, onAction }: { memberships: readonly MembershipView[]; onAction: (action: MembershipAction, membership: MembershipView) => void }) {
  const format = useFormat();
  const unfreeze = useDeskMutation('memberships/unfreeze');
  if (memberships.length === 0) return <Text c="dimmed">No memberships yet.</Text>;
  return (
    <Table striped aria-label="Membership history" data-testid="membership-history">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Plan</Table.Th>
          <Table.Th>Period</Table.Th>
          <Table.Th>State</Table.Th>
          <Table.Th ta="right">Price</Table.Th>
          <Table.Th ta="right">Due</Table.Th>
          <Table.Th>Actions</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {memberships.map((m) => (
          <Table.Tr key={m.id}>
            <Table.Td>
              <Stack gap={2}>
                <Text fw={600}>{m.plan.name}</Text>
                {m.freezes.map((f) => (
                  <Text key={f.id} size="sm" c="cyan.8">
                    Frozen {format.date(f.from)} – {format.date(f.to)}
                    {f.reason && ` · ${f.reason}`}
                  </Text>
                ))}
                {m.cancelReason && (
                  <Text size="sm" c="dimmed">
                    Cancelled: {m.cancelReason}
                  </Text>
                )}
              </Stack>
            </Table.Td>
            <Table.Td>
              {format.date(m.start)} – {format.date(m.end)}
            </Table.Td>
            <Table.Td>
              <StateBadge state={m.state} />
            </Table.Td>
            <Table.Td ta="right">
              <Money paise={m.pricePaise} />
            </Table.Td>
            <Table.Td ta="right">{m.duePaise > 0 ? <Money paise={m.duePaise} c="red" fw={600} /> : '—'}</Table.Td>
            <Table.Td>
              <Group gap={6}>
                {m.duePaise > 0 && m.state !== 'cancelled' && (
                  <Button size="compact-sm" onClick={() => onAction('pay', m)}>
                    Take payment
                  </Button>
                )}
                {m.state === 'frozen' ? (
                  <Button size="compact-sm" variant="light" loading={unfreeze.isPending} onClick={() => unfreeze.mutate({ membershipId: m.id }, { onError: notifyError })}>
                    Unfreeze
                  </Button>
                ) : (
                  !isOver(m) &&
                  m.plan.maxFreezeDays > m.freezeDaysUsed && (
                    <Button size="compact-sm" variant="light" onClick={() => onAction('freeze', m)}>
                      Freeze
                    </Button>
                  )
                )}
                {!isOver(m) && (
                  <Button size="compact-sm" variant="subtle" color="red" onClick={() => onAction('cancel', m)}>
                    Cancel
                  </Button>
                )}
              </Group>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
