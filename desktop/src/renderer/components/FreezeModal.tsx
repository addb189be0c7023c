import { Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { addDays, type MembershipView } from '@gymstack/shared';
import { useDeskMutation } from '../hooks/useDesk';
import { useDeskInfo } from '../hooks/useDeskInfo';
import { fieldErrors } from '../lib/field-errors';
import { ModalForm } from './ModalForm';

const FIELDS = ['from', 'to', 'reason'];

/** Pauses a membership for a date range; the core extends the end within the plan's freeze allowance. */
export function FreezeModal({ membership, onClose }: { membership: MembershipView; onClose: () => void }) {
  const left = membership.plan.maxFreezeDays - membership.freezeDaysUsed;
  const today = useDeskInfo().data?.today ?? '';
  const [from, setFrom] = useState(today);
  // A week by default, or what is left of the allowance.
  const [to, setTo] = useState(today && addDays(today, Math.max(Math.min(7, left), 1) - 1));
  const [reason, setReason] = useState('');
  const freeze = useDeskMutation('memberships/freeze');
  const errors = fieldErrors(freeze.error, FIELDS);

  return (
    <ModalForm
      title={`Freeze ${membership.plan.name}`}
      onClose={onClose}
      onSubmit={() => freeze.mutate({ membershipId: membership.id, from, to, reason: reason.trim() || null }, { onSuccess: onClose })}
      submitLabel="Freeze"
      submitTestId="freeze-confirm"
      pending={freeze.isPending}
      error={errors.form}
    >
      <Text c="dimmed">
        {left > 0 ? `${left} of ${membership.plan.maxFreezeDays} freeze days left on this term.` : 'No freeze days left on this term.'}
      </Text>
      <TextInput label="From" type="date" required value={from} onChange={(e) => setFrom(e.currentTarget.value)} error={errors.field('from')} data-autofocus />
      <TextInput label="To (last frozen day)" type="date" required value={to} onChange={(e) => setTo(e.currentTarget.value)} error={errors.field('to')} />
      <TextInput label="Reason" value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={errors.field('reason')} />
    </ModalForm>
  );
}
