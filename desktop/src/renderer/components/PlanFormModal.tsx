import { NativeSelect, SimpleGrid, Switch, TextInput } from '@mantine/core';
import { DEFAULT_GST_RATE_BPS, DEFAULT_SAC, rupeesToPaise, type Plan, type PlanInput } from '@gymstack/shared';
import { useDeskMutation } from '../hooks/useDesk';
import { useFormValues } from '../hooks/useFormValues';
import { fieldErrors } from '../lib/field-errors';
import { paiseToInput, rupeesError } from '../lib/money';
import { ModalForm } from './ModalForm';

const GST_RATES = ['0', '5', '12', '18', '28'];
const FIELDS = ['name', 'duration.count', 'duration.unit', 'pricePaise', 'taxInclusive', 'gstRateBps', 'sac', 'maxFreezeDays', 'ptSessions', 'access.hours.0.from', 'access.hours.0.to'];

interface Values {
  name: string;
  count: string;
  unit: 'days' | 'months';
  price: string;
  taxInclusive: boolean;
  gstPercent: string;
  sac: string;
  maxFreezeDays: string;
  ptSessions: string;
  from: string;
  to: string;
}

const valuesOf = (plan: Plan | undefined): Values => ({
  name: plan?.name ?? '',
  count: String(plan?.duration.count ?? 1),
  unit: plan?.duration.unit ?? 'months',
  price: plan ? paiseToInput(plan.pricePaise) : '',
  taxInclusive: plan?.taxInclusive ?? true,
  gstPercent: String((plan?.gstRateBps ?? DEFAULT_GST_RATE_BPS) / 100),
  sac: plan?.sac ?? DEFAULT_SAC,
  maxFreezeDays: String(plan?.maxFreezeDays ?? 0),
  ptSessions: String(plan?.ptSessions ?? 0),
  from: plan?.access.hours?.[0]?.from ?? '',
  to: plan?.access.hours?.[0]?.to ?? '',
});

/** Blank hours mean any time; further windows of an existing plan are kept as they are. */
function inputOf(v: Values, plan: Plan | undefined): PlanInput {
  const [first, ...rest] = plan?.access.hours ?? [];
  return {
    name: v.name,
    duration: { unit: v.unit, count: Number(v.count) },
    pricePaise: rupeesToPaise(v.price) ?? Number.NaN,
    taxInclusive: v.taxInclusive,
    gstRateBps: Number(v.gstPercent) * 100,
    sac: v.sac.trim(),
    maxFreezeDays: Number(v.maxFreezeDays),
    ptSessions: Number(v.ptSessions),
    access: {
      allowedBranchIds: plan?.access.allowedBranchIds ?? null,
      hours: v.from || v.to ? [{ ...first, from: v.from, to: v.to }, ...rest] : null,
    },
  };
}

/** Create or edit a plan; edits never change memberships already sold (they keep a snapshot). */
export function PlanFormModal({ plan, onClose }: { plan?: Plan; onClose: () => void }) {
  const { values, set, text } = useFormValues(() => valuesOf(plan));
  const create = useDeskMutation('plans/create');
  const update = useDeskMutation('plans/update');
  const saving = plan ? update : create;
  const errors = fieldErrors(saving.error, FIELDS, plan ? 'patch.' : '');
  const save = () => {
    const input = inputOf(values, plan);
    if (plan) update.mutate({ planId: plan.id, patch: input }, { onSuccess: onClose });
    else create.mutate(input, { onSuccess: onClose });
  };

  return (
    <ModalForm title={plan ? `Edit ${plan.name}` : 'New plan'} size={720} onClose={onClose} onSubmit={save} submitLabel="Save plan" submitTestId="plan-save" pending={saving.isPending} error={errors.form}>
      <TextInput label="Plan name" required data-autofocus {...text('name')} error={errors.field('name')} />
      <SimpleGrid cols={3} spacing="sm">
        <TextInput label="Length" inputMode="numeric" required {...text('count')} error={errors.field('duration.count')} />
        <NativeSelect
          label="Unit"
          data={[
            { value: 'months', label: 'Months' },
            { value: 'days', label: 'Days' },
          ]}
          value={values.unit}
          onChange={(e) => set('unit', e.currentTarget.value as Values['unit'])}
          error={errors.field('duration.unit')}
        />
        <TextInput label="Price (₹)" inputMode="decimal" required {...text('price')} error={rupeesError(values.price, { optional: true }) ?? errors.field('pricePaise')} />
        <NativeSelect label="GST rate" data={GST_RATES.map((r) => ({ value: r, label: `${r}%` }))} {...text('gstPercent')} error={errors.field('gstRateBps')} />
        <TextInput label="SAC" {...text('sac')} error={errors.field('sac')} />
        <Switch
          label="Price includes GST"
          mt="xl"
          checked={values.taxInclusive}
          onChange={(e) => set('taxInclusive', e.currentTarget.checked)}
        />
        <TextInput label="Freeze days per term" inputMode="numeric" {...text('maxFreezeDays')} error={errors.field('maxFreezeDays')} />
        <TextInput label="PT sessions included" inputMode="numeric" {...text('ptSessions')} error={errors.field('ptSessions')} />
        <div />
        <TextInput label="Access from (blank: any time)" type="time" {...text('from')} error={errors.field('access.hours.0.from')} />
        <TextInput label="Access until" type="time" {...text('to')} error={errors.field('access.hours.0.to')} />
      </SimpleGrid>
    </ModalForm>
  );
}
