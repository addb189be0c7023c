import { Text } from '@mantine/core';
import { formatInr, type Plan } from '@gymstack/shared';
import { durationText } from '../lib/text';
import { RadioCards } from './RadioCards';

export const taxNote = (plan: Pick<Plan, 'taxInclusive' | 'gstRateBps'>): string =>
  `${plan.taxInclusive ? 'incl.' : '+'} ${plan.gstRateBps / 100}% GST`;

interface PlanPickerProps {
  plans: readonly Plan[];
  value: string | null;
  onChange: (planId: string) => void;
  error?: string;
}

/** The plans on sale as cards: name, length, price and how GST applies. */
export function PlanPicker({ plans, value, onChange, error }: PlanPickerProps) {
  return (
    <RadioCards
      label="Plan"
      cols={2}
      value={value}
      onChange={onChange}
      error={error}
      testId="plan-picker"
      options={plans.map((plan) => ({
        value: plan.id,
        label: plan.name,
        detail: (
          <>
            <Text size="sm" c="dimmed">
              {durationText(plan.duration)} · {taxNote(plan)}
            </Text>
            <Text fw={600}>{formatInr(plan.pricePaise)}</Text>
          </>
        ),
      }))}
    />
  );
}
