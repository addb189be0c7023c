import { Paper, SimpleGrid, TextInput, Title } from '@mantine/core';
import { rupeesToPaise } from '@gymstack/shared';
import type { Settings } from '../../core/contract';
import { useDeskMutation } from '../hooks/useDesk';
import { useFormValues } from '../hooks/useFormValues';
import { fieldErrors } from '../lib/field-errors';
import { paiseToInput, rupeesError } from '../lib/money';
import { notifyDone } from '../lib/notify';
import { FormFrame } from './FormFrame';

const FIELDS = ['antiPassbackMinutes', 'autoCheckoutHours', 'duesBlockPaise', 'graceDays', 'expiringWithinDays', 'invoicePrefix'];

const valuesOf = (s: Settings) => ({
  antiPassbackMinutes: String(s.antiPassbackMinutes),
  autoCheckoutHours: String(s.autoCheckoutHours),
  duesBlock: s.duesBlockPaise === null ? '' : paiseToInput(s.duesBlockPaise),
  graceDays: String(s.graceDays),
  expiringWithinDays: String(s.expiringWithinDays),
  invoicePrefix: s.invoicePrefix,
});
type Values = ReturnType<typeof valuesOf>;

const settingsOf = (v: Values): Settings => ({
  antiPassbackMinutes: Number(v.antiPassbackMinutes),
  autoCheckoutHours: Number(v.autoCheckoutHours),
  duesBlockPaise: v.duesBlock.trim() === '' ? null : (rupeesToPaise(v.duesBlock) ?? Number.NaN),
  graceDays: Number(v.graceDays),
  expiringWithinDays: Number(v.expiringWithinDays),
  invoicePrefix: v.invoicePrefix.trim().toUpperCase(),
});

/** How this desk decides check-ins and numbers its invoices. */
export function DeskSettingsForm({ settings }: { settings: Settings }) {
  const { values, text } = useFormValues(() => valuesOf(settings));
  const update = useDeskMutation('settings/update');
  const errors = fieldErrors(update.error, FIELDS);
  return (
    <Paper withBorder p="md" radius="md">
      <Title order={3} size="h4" mb="sm">
        Check-in and invoices
      </Title>
      <FormFrame
        onSubmit={() => update.mutate(settingsOf(values), { onSuccess: () => notifyDone('Desk settings saved') })}
        submitLabel="Save desk settings"
        submitTestId="settings-save"
        pending={update.isPending}
        error={errors.form}
      >
        <SimpleGrid cols={3} spacing="sm">
          <TextInput label="Repeat check-in block (minutes)" inputMode="numeric" {...text('antiPassbackMinutes')} error={errors.field('antiPassbackMinutes')} />
          <TextInput label="Auto check-out after (hours)" inputMode="numeric" {...text('autoCheckoutHours')} error={errors.field('autoCheckoutHours')} />
          <TextInput
            label="Stop check-in at dues of (₹)"
            description="Blank: never stop"
            inputMode="decimal"
            {...text('duesBlock')}
            error={rupeesError(values.duesBlock, { optional: true }) ?? errors.field('duesBlockPaise')}
          />
          <TextInput label="Grace days after expiry" inputMode="numeric" {...text('graceDays')} error={errors.field('graceDays')} />
          <TextInput label="Warn of expiry within (days)" inputMode="numeric" {...text('expiringWithinDays')} error={errors.field('expiringWithinDays')} />
          <TextInput label="Invoice prefix" description="Unique to this desk" {...text('invoicePrefix')} error={errors.field('invoicePrefix')} />
        </SimpleGrid>
      </FormFrame>
    </Paper>
  );
}
