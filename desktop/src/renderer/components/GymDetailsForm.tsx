import { Paper, SimpleGrid, Textarea, TextInput, Title } from '@mantine/core';
import type { Gym } from '@gymstack/shared';
import { useDeskMutation } from '../hooks/useDesk';
import { useFormValues } from '../hooks/useFormValues';
import { fieldErrors } from '../lib/field-errors';
import { notifyDone } from '../lib/notify';
import { blankToNull } from '../lib/text';
import { FormFrame } from './FormFrame';

const FIELDS = ['name', 'legalName', 'gstin', 'address', 'stateCode', 'phone'];

/** What prints at the top of every tax invoice. */
export function GymDetailsForm({ gym }: { gym: Gym }) {
  const { values, text } = useFormValues(() => ({
    name: gym.name,
    legalName: gym.legalName,
    gstin: gym.gstin ?? '',
    address: gym.address,
    stateCode: gym.stateCode,
    phone: gym.phone ?? '',
  }));
  const update = useDeskMutation('gym/update');
  const errors = fieldErrors(update.error, FIELDS);
  const save = () =>
    update.mutate({ ...values, gstin: blankToNull(values.gstin), phone: blankToNull(values.phone) }, { onSuccess: () => notifyDone('Gym details saved') });
  return (
    <Paper withBorder p="md" radius="md">
      <Title order={3} size="h4" mb="sm">
        Gym details
      </Title>
      <FormFrame onSubmit={save} submitLabel="Save gym details" submitTestId="gym-save" pending={update.isPending} error={errors.form}>
        <SimpleGrid cols={3} spacing="sm">
          <TextInput label="Gym name" {...text('name')} error={errors.field('name')} />
          <TextInput label="Legal name" {...text('legalName')} error={errors.field('legalName')} />
          <TextInput label="GSTIN" {...text('gstin')} error={errors.field('gstin')} />
          <TextInput label="GST state code" maxLength={2} {...text('stateCode')} error={errors.field('stateCode')} />
          <TextInput label="Phone" type="tel" {...text('phone')} error={errors.field('phone')} />
        </SimpleGrid>
        <Textarea label="Address" autosize minRows={2} {...text('address')} error={errors.field('address')} />
      </FormFrame>
    </Paper>
  );
}
