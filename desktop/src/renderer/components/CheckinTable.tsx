import { Anchor, Badge, Table, Text } from '@mantine/core';
import { denyReasonText, type Checkin } from '@gymstack/shared';
import { useFormat } from '../hooks/useDeskInfo';
import { useNavigation } from '../hooks/useNavigation';

const METHOD_LABEL: Record<Checkin['method'], string> = { finger: 'Finger', qr: 'QR', card: 'Card', manual: 'Desk' };

type Row = Checkin & { memberName?: string | null; memberCode?: string | null };

interface CheckinTableProps {
  checkins: readonly Row[];
  label: string;
  /** The live list names each member; a profile's own list does not. */
  withMember?: boolean;
  testId?: string;
}

/** Check-ins with when, how and the verdict (the reason when denied). */
export function CheckinTable({ checkins, label, withMember = false, testId }: CheckinTableProps) {
  const format = useFormat();
  const { navigate } = useNavigation();
  if (checkins.length === 0) return <Text c="dimmed">No check-ins yet.</Text>;
  return (
    <Table stickyHeader striped aria-label={label} data-testid={testId}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>When</Table.Th>
          {withMember && <Table.Th>Member</Table.Th>}
          <Table.Th>How</Table.Th>
          <Table.Th>Result</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {checkins.map(({ id, at, memberId, memberName, memberCode, method, verdict, reason }) => (
          <Table.Tr key={id}>
            <Table.Td>{withMember ? format.time(at) : format.dateTime(at)}</Table.Td>
            {withMember && (
              <Table.Td>
                {memberId ? (
                  <Anchor component="button" onClick={() => navigate({ screen: 'member', memberId })}>
                    {memberName ?? memberCode}
                  </Anchor>
                ) : (
                  <Text c="dimmed">Unknown</Text>
                )}
              </Table.Td>
            )}
            <Table.Td>{METHOD_LABEL[method]}</Table.Td>
            <Table.Td>
              <Badge color={verdict === 'allow' ? 'green' : 'red'} variant="light">
                {reason ? denyReasonText[reason] : 'Allowed'}
              </Badge>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
