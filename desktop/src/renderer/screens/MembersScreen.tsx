import { Alert, Anchor, Button, Grid, Group, Pagination, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { keepPreviousData } from '@tanstack/react-query';
import { MemberFormModal } from '../components/MemberFormModal';
import { MemberSearchBox } from '../components/MemberSearchBox';
import { Money } from '../components/Money';
import { StateBadge } from '../components/StateBadge';
import { useDeskQuery } from '../hooks/useDesk';
import { useFormat } from '../hooks/useDeskInfo';
import { useNavigation } from '../hooks/useNavigation';
import { MEMBER_FILTERS, type MemberFilter } from '../lib/member-filters';

const PAGE_SIZE = 25;

/** All members, filtered by state, a page at a time; search jumps straight to a profile. */
export function MembersScreen({ filter, page }: { filter: MemberFilter; page: number }) {
  const { navigate } = useNavigation();
  const format = useFormat();
  const [creating, createModal] = useDisclosure(false);
  const list = useDeskQuery('members/list', { filter, offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE }, { placeholderData: keepPreviousData });
  const openProfile = (memberId: string) => navigate({ screen: 'member', memberId });
  const show = (next: { filter?: MemberFilter; page?: number }) =>
    navigate({ screen: 'members', filter: next.filter ?? filter, page: next.page ?? 1 }, { replace: true });

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>Members</Title>
        <Button onClick={createModal.open} data-testid="new-member">
          New member
        </Button>
      </Group>
      <Grid align="flex-end">
        <Grid.Col span={5}>
          <MemberSearchBox label="Find a member" onPick={(m) => openProfile(m.id)} testId="members-search" />
        </Grid.Col>
        <Grid.Col span={7}>
          <SegmentedControl
            aria-label="Show members"
            fullWidth
            data={MEMBER_FILTERS.map((f) => ({ value: f.value, label: f.label }))}
            value={filter}
            onChange={(value) => show({ filter: value as MemberFilter })}
            data-testid="members-filter"
          />
        </Grid.Col>
      </Grid>
      {list.error && <Alert color="red">{list.error.message}</Alert>}
      <Table striped highlightOnHover aria-label="Members" data-testid="members-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Code</Table.Th>
            <Table.Th>Phone</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Ends</Table.Th>
            <Table.Th ta="right">Dues</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {list.data?.items.map((m) => (
            <Table.Tr key={m.id}>
              <Table.Td>
                <Anchor component="button" fw={600} onClick={() => openProfile(m.id)}>
                  {m.fullName}
                </Anchor>
              </Table.Td>
              <Table.Td>{m.code}</Table.Td>
              <Table.Td>{m.phone}</Table.Td>
              <Table.Td>
                <StateBadge state={m.status.state} />
              </Table.Td>
              <Table.Td>{m.status.end ? format.date(m.status.end) : '—'}</Table.Td>
              <Table.Td ta="right">{m.status.duePaise > 0 ? <Money paise={m.status.duePaise} c="red" fw={600} /> : '—'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {list.data && (
        <Group justify="space-between">
          <Text c="dimmed">
            {list.data.total} {list.data.total === 1 ? 'member' : 'members'}
          </Text>
          <Pagination
            total={Math.max(1, Math.ceil(list.data.total / PAGE_SIZE))}
            value={page}
            onChange={(next) => show({ page: next })}
            getControlProps={(control) => ({ 'aria-label': `${control} page` })}
          />
        </Group>
      )}
      {creating && (
        <MemberFormModal
          onClose={createModal.close}
          onSaved={(member) => {
            createModal.close();
            openProfile(member.id);
          }}
        />
      )}
    </Stack>
  );
}
