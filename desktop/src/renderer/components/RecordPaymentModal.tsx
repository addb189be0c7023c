import { Text } from '@mantine/core';
import { useState } from 'react';
import type { MembershipView } from '@gymstack/shared';
import { useDeskMutation } from '../hooks/useDesk';
import { fieldErrors } from '../lib/field-errors';
import { ModalForm } from './ModalForm';
import { Money } from './Money';
import { PaymentFields, paymentDraft, paymentInputOf } from './PaymentFields';

const FIELDS = ['method', 'amountPaise', 'reference'];

/** Takes a payment against a membership's dues, then hands back the new invoice. */
export function RecordPaymentModal({ membership, onClose, onPaid }: { membership: MembershipView; onClose: () => void; onPaid: (invoiceId: string) => void }) {
  const [draft, setDraft] = useState(() => paymentDraft(membership.duePaise));
  const record = useDeskMutation('payments/record');
  const errors = fieldErrors(record.error, FIELDS);
  const submit = () => {
    const payment = paymentInputOf(draft);
    if (payment) record.mutate({ membershipId: membership.id, ...payment }, { onSuccess: ({ invoice }) => onPaid(invoice.id) });
  };
  return (
    <ModalForm title="Record payment" onClose={onClose} onSubmit={submit} submitLabel="Record payment" submitTestId="payment-confirm" pending={record.isPending} error={errors.form}>
      <Text>
        {membership.plan.name}: <Money paise={membership.duePaise} fw={700} /> due of <Money paise={membership.pricePaise} />
      </Text>
      <PaymentFields value={draft} onChange={setDraft} error={errors.field} />
    </ModalForm>
  );
}
