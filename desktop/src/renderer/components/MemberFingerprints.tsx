import { Alert, Badge, Button, Group, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import type { FingerprintView } from '../../core/contract';
import { useDeskMutation, useDeskQuery } from '../hooks/useDesk';
import { useFormat } from '../hooks/useDeskInfo';
import { EnrollFingerprintModal } from './EnrollFingerprintModal';
import { ModalForm } from './ModalForm';
import { RowRemoveButton } from './RowRemoveButton';

type Member = { id: string; fullName: string };
type Dialog = { kind: 'enroll' } | { kind: 'remove'; fingerprint: FingerprintView; index: number };

function RemoveModal({ member, fingerprint, index, onClose }: { member: Member; fingerprint: FingerprintView; index: number; onClose: () => void }) {
  const remove = useDeskMutation('fingerprints/remove');
  return (
    <ModalForm
      title={`Remove finger ${index} of ${member.fullName}?`}
      onClose={onClose}
      onSubmit={() => remove.mutate({ memberId: member.id, fingerprintId: fingerprint.id }, { onSuccess: onClose })}
      submitLabel="Remove fingerprint"
      submitColor="red"
      submitTestId="fingerprint-remove-confirm"
      pending={remove.isPending}
      error={remove.error?.message ?? null}
    >
      <Text>The template is deleted from this desk, the reader and the cloud. The member can no longer check in with this finger until it is enrolled again.</Text>
    </ModalForm>
  );
}

/** The member's enrolled fingers, each with Remove, and the enrollment wizard. */
export function MemberFingerprints({ member }: { member: Member }) {
  const format = useFormat();
  const fingerprints = useDeskQuery('fingerprints/list', { memberId: member.id });
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const close = () => setDialog(null);

  return (
    <Stack gap="md" maw={640}>
      {fingerprints.error && <Alert color="red">{fingerprints.error.message}</Alert>}
      {fingerprints.data?.length === 0 && <Text c="dimmed">No fingerprints yet.</Text>}
      {fingerprints.data && fingerprints.data.length > 0 && (
        <Table striped aria-label="Fingerprints" data-testid="fingerprint-list">
          <Table.Tbody>
            {fingerprints.data.map((fingerprint, i) => (
              <Table.Tr key={fingerprint.id} data-testid="fingerprint-row">
                <Table.Td fw={600}>Finger {i + 1}</Table.Td>
                <Table.Td>Enrolled {format.dateTime(fingerprint.enrolledAt)}</Table.Td>
                <Table.Td>
                  <Badge color={fingerprint.onReader ? 'green' : 'yellow'} variant="light" data-testid="fingerprint-on-reader">
                    {fingerprint.onReader ? 'On this reader' : 'Waiting to load'}
                  </Badge>
                </Table.Td>
                <Table.Td ta="right">
                  <RowRemoveButton label={`Remove finger ${i + 1}`} testId="fingerprint-remove" onClick={() => setDialog({ kind: 'remove', fingerprint, index: i + 1 })} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Group>
        <Button onClick={() => setDialog({ kind: 'enroll' })} data-testid="fingerprint-enroll">
          Enroll a finger
        </Button>
      </Group>
      {dialog?.kind === 'enroll' && <EnrollFingerprintModal member={member} onClose={close} />}
      {dialog?.kind === 'remove' && <RemoveModal member={member} fingerprint={dialog.fingerprint} index={dialog.index} onClose={close} />}
    </Stack>
  );
}
