import { Alert, Badge, Button, Group, Stack, Switch, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { Plan } from '@gymstack/shared';
import { CloudManaged } from '../components/CloudManaged';
import { ModalForm } from '../components/ModalForm';
import { Money } from '../components/Money';
import { PlanFormModal } from '../components/PlanFormModal';
import { taxNote } from '../components/PlanPicker';
import { useDeskMutation, useDeskQuery } from '../hooks/useDesk';
import { usePaired } from '../hooks/usePaired';
import { useHasRole } from '../hooks/useStaff';
import { durationText } from '../lib/text';

type Dialog = { kind: 'new' } | { kind: 'edit' | 'archive'; plan: Plan };

const hoursText = (plan: Plan) => plan.access.hours?.map((h) => `${h.from}–${h.to}`).join(', ') ?? 'Any time';

function ArchivePlanModal({ plan, onClose }: { plan: Plan; onClose: () => void }) {
  const archive = useDeskMutation('plans/archive');
  return (
    <ModalForm
      title={`Archive ${plan.name}?`}
      onClose={onClose}
      onSubmit={() => archive.mutate({ planId: plan.id }, { onSuccess: onClose })}
      submitLabel="Archive plan"
      submitColor="red"
      pending={archive.isPending}
      error={archive.error?.message ?? null}
    >
      <Text>It can no longer be sold. Members who bought it keep their terms.</Text>
    </ModalForm>
  );
}

/** Managers set what the desk sells. */
export function PlansScreen() {
  const manager = useHasRole('manager');
  const paired = usePaired();
  const [includeArchived, setIncludeArchived] = useState(false);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const plans = useDeskQuery('plans/list', { includeArchived });
  const close = () => setDialog(null);

  if (!manager) return <Alert color="yellow">Plans are managed by a manager or the owner.</Alert>;
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>Plans</Title>
        <Group>
          <Switch label="Show archived" checked={includeArchived} onChange={(e) => setIncludeArchived(e.currentTarget.checked)} />
          {!paired && (
            <Button onClick={() => setDialog({ kind: 'new' })} data-testid="new-plan">
              New plan
            </Button>
          )}
        </Group>
      </Group>
      {paired && <CloudManaged what="plans" />}
      {plans.error && <Alert color="red">{plans.error.message}</Alert>}
      <Table striped aria-label="Plans" data-testid="plans-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Plan</Table.Th>
            <Table.Th>Length</Table.Th>
            <Table.Th ta="right">Price</Table.Th>
            <Table.Th>GST</Table.Th>
            <Table.Th>Freeze days</Table.Th>
            <Table.Th>PT</Table.Th>
            <Table.Th>Hours</Table.Th>
            <Table.Th>Actions</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {plans.data?.map((plan) => (
            <Table.Tr key={plan.id}>
              <Table.Td>
                <Group gap="xs">
                  <Text fw={600}>{plan.name}</Text>
                  {!plan.active && <Badge color="gray">Archived</Badge>}
                </Group>
              </Table.Td>
              <Table.Td>{durationText(plan.duration)}</Table.Td>
              <Table.Td ta="right">
                <Money paise={plan.pricePaise} />
              </Table.Td>
              <Table.Td>{taxNote(plan)}</Table.Td>
              <Table.Td>{plan.maxFreezeDays}</Table.Td>
              <Table.Td>{plan.ptSessions}</Table.Td>
              <Table.Td>{hoursText(plan)}</Table.Td>
              <Table.Td>
                {plan.active && !paired && (
                  <Group gap={6}>
                    <Button size="compact-sm" variant="light" onClick={() => setDialog({ kind: 'edit', plan })} aria-label={`Edit ${plan.name}`}>
                      Edit
                    </Button>
                    <Button size="compact-sm" variant="subtle" color="red" onClick={() => setDialog({ kind: 'archive', plan })} aria-label={`Archive ${plan.name}`}>
                      Archive
                    </Button>
                  </Group>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {dialog?.kind === 'new' && <PlanFormModal onClose={close} />}
      {dialog?.kind === 'edit' && <PlanFormModal plan={dialog.plan} onClose={close} />}
      {dialog?.kind === 'archive' && <ArchivePlanModal plan={dialog.plan} onClose={close} />}
    </Stack>
  );
}
