import { SimpleGrid, TextInput } from '@mantine/core';
import { paymentMethods, rupeesToPaise, type PaymentInput, type PaymentMethod, type ReceivedPaymentMethod } from '@gymstack/shared';
import { paiseToInput, rupeesError } from '../lib/money';
import { RadioCards } from './RadioCards';

export interface PaymentDraft {
  method: PaymentMethod;
  /** Rupees as typed, e.g. `1500` or `1500.50`. */
  amount: string;
  reference: string;
}

/** `reference` hints where to find it; null where none is needed. */
export const PAYMENT_METHOD: Record<ReceivedPaymentMethod, { label: string; reference: string | null }> = {
  cash: { label: 'Cash', reference: null },
  upi_offline: { label: 'UPI', reference: 'UPI transaction ID from the payer’s app' },
  card_terminal: { label: 'Card', reference: 'Approval code from the card slip' },
  razorpay: { label: 'Online (Razorpay)', reference: 'Razorpay payment ID' },
};

export const paymentDraft = (amountPaise: number): PaymentDraft => ({ method: 'cash', amount: paiseToInput(amountPaise), reference: '' });

/** The payment to send, or null while the amount is not a rupee amount. */
export function paymentInputOf(draft: PaymentDraft): PaymentInput | null {
  const amountPaise = rupeesToPaise(draft.amount);
  if (amountPaise === null) return null;
  return { method: draft.method, amountPaise, reference: PAYMENT_METHOD[draft.method].reference ? draft.reference.trim() || null : null };
}

interface PaymentFieldsProps {
  value: PaymentDraft;
  onChange: (draft: PaymentDraft) => void;
  /** The core's message for `amountPaise`, `reference` or `method`. */
  error: (field: string) => string | undefined;
}

/** Method (cash, UPI or card with its reference) and amount; partial amounts are fine. */
export function PaymentFields({ value, onChange, error }: PaymentFieldsProps) {
  const referenceHint = PAYMENT_METHOD[value.method].reference;
  return (
    <SimpleGrid cols={2} spacing="sm">
      <div style={{ gridColumn: '1 / -1' }}>
        <RadioCards
          label="Payment method"
          cols={3}
          options={paymentMethods.map((m) => ({ value: m, label: PAYMENT_METHOD[m].label }))}
          value={value.method}
          onChange={(method) => onChange({ ...value, method })}
          error={error('method')}
          testId="payment-method"
        />
      </div>
      <TextInput
        label="Amount (₹)"
        inputMode="decimal"
        value={value.amount}
        onChange={(e) => onChange({ ...value, amount: e.currentTarget.value })}
        error={rupeesError(value.amount) ?? error('amountPaise')}
        data-testid="payment-amount"
      />
      {referenceHint && (
        <TextInput
          label="Reference"
          description={referenceHint}
          required
          value={value.reference}
          onChange={(e) => onChange({ ...value, reference: e.currentTarget.value })}
          error={error('reference')}
          data-testid="payment-reference"
        />
      )}
    </SimpleGrid>
  );
}
