import { Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { MembershipView } from '@gymstack/shared';
import { useDeskMutation } from '../hooks/useDesk';
import { fieldErrors } from '../lib/field-errors';
import { ModalForm } from './ModalForm';

/** Ends a membership for good, with the reason on record. */
export function CancelMembershipModal({ membership, onClose }: { membership: MembershipView; onClose: () => void }) {
  const [reason, setReason] = useState('');
  const cancel = useDeskMutation('memberships/cancel');
  const errors = fieldErrors(cancel.error, ['reason']);
  return (
    <ModalForm
      title={`Cancel ${membership.plan.name}`}
      onClose={onClose}
      onSubmit={() => cancel.mutate({ membershipId: membership.id, reason }, { onSuccess: onClose })}
      submitLabel="Cancel membership"
      submitColor="red"
      submitTestId="cancel-confirm"
      pending={cancel.isPending}
      error={errors.form}
    >
      <Text>The member will be denied at check-in from now on. This cannot be undone.</Text>
      <TextInput label="Reason" required value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={errors.field('reason')} data-autofocus />
    </ModalForm>
  );
}
