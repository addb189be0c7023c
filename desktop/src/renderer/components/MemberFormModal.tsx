import { NativeSelect, SimpleGrid, Textarea, TextInput } from '@mantine/core';
import { genders, memberGoals, memberSources, type Member, type MemberInput } from '@gymstack/shared';
import { useDeskMutation } from '../hooks/useDesk';
import { useFormValues } from '../hooks/useFormValues';
import { fieldErrors } from '../lib/field-errors';
import { blankToNull, enumOptions } from '../lib/text';
import { ModalForm } from './ModalForm';

type Values = Record<'fullName' | 'phone' | 'email' | 'dateOfBirth' | 'gender' | 'goal' | 'source' | 'stateCode' | 'medicalNotes' | 'contactName' | 'contactPhone', string>;

const FIELDS = ['fullName', 'phone', 'email', 'dateOfBirth', 'gender', 'goal', 'source', 'stateCode', 'medicalNotes', 'emergencyContact', 'emergencyContact.name', 'emergencyContact.phone'];

const valuesOf = (m: Member | undefined): Values => ({
  fullName: m?.fullName ?? '',
  phone: m?.phone ?? '',
  email: m?.email ?? '',
  dateOfBirth: m?.dateOfBirth ?? '',
  gender: m?.gender ?? '',
  goal: m?.goal ?? '',
  source: m?.source ?? '',
  stateCode: m?.stateCode ?? '',
  medicalNotes: m?.medicalNotes ?? '',
  contactName: m?.emergencyContact?.name ?? '',
  contactPhone: m?.emergencyContact?.phone ?? '',
});

/** What the core validates; blank optional fields go as null so the core reports only real mistakes. */
const inputOf = (v: Values): MemberInput => ({
  fullName: v.fullName,
  phone: v.phone,
  email: blankToNull(v.email),
  dateOfBirth: blankToNull(v.dateOfBirth),
  gender: (v.gender || null) as MemberInput['gender'],
  goal: (v.goal || null) as MemberInput['goal'],
  source: (v.source || null) as MemberInput['source'],
  stateCode: blankToNull(v.stateCode),
  medicalNotes: blankToNull(v.medicalNotes),
  emergencyContact: v.contactName.trim() || v.contactPhone.trim() ? { name: v.contactName, phone: v.contactPhone } : null,
});

const withBlank = (values: readonly string[]) => [{ value: '', label: '—' }, ...enumOptions(values)];

interface MemberFormModalProps {
  /** Edit this member; omitted for a new one. */
  member?: Member;
  onClose: () => void;
  onSaved: (member: Member) => void;
}

/** New-member and edit form. The core's validation issues appear beside their fields, and nothing is saved. */
export function MemberFormModal({ member, onClose, onSaved }: MemberFormModalProps) {
  const { values, text } = useFormValues(() => valuesOf(member));
  const create = useDeskMutation('members/create');
  const update = useDeskMutation('members/update');
  const saving = member ? update : create;
  const errors = fieldErrors(saving.error, FIELDS, member ? 'patch.' : '');

  const save = () => {
    const input = inputOf(values);
    if (member) update.mutate({ memberId: member.id, patch: input }, { onSuccess: onSaved });
    else create.mutate(input, { onSuccess: onSaved });
  };

  return (
    <ModalForm
      title={member ? `Edit ${member.fullName}` : 'New member'}
      size={760}
      onClose={onClose}
      onSubmit={save}
      submitLabel="Save"
      submitTestId="member-save"
      pending={saving.isPending}
      error={errors.form}
    >
      <SimpleGrid cols={2} spacing="sm" verticalSpacing="xs">
        <TextInput label="Full name" required data-autofocus {...text('fullName')} error={errors.field('fullName')} />
        <TextInput label="Phone" required type="tel" {...text('phone')} error={errors.field('phone')} />
        <TextInput label="Email" type="email" {...text('email')} error={errors.field('email')} />
        <TextInput label="Date of birth" type="date" {...text('dateOfBirth')} error={errors.field('dateOfBirth')} />
        <NativeSelect label="Gender" data={withBlank(genders)} {...text('gender')} error={errors.field('gender')} />
        <NativeSelect label="Goal" data={withBlank(memberGoals)} {...text('goal')} error={errors.field('goal')} />
        <NativeSelect label="How they found us" data={withBlank(memberSources)} {...text('source')} error={errors.field('source')} />
        <TextInput label="GST state code" description="Blank: the gym's state" maxLength={2} {...text('stateCode')} error={errors.field('stateCode')} />
        <TextInput label="Emergency contact name" {...text('contactName')} error={errors.field('emergencyContact.name') ?? errors.field('emergencyContact')} />
        <TextInput label="Emergency contact phone" type="tel" {...text('contactPhone')} error={errors.field('emergencyContact.phone')} />
      </SimpleGrid>
      <Textarea label="Medical notes" autosize minRows={2} maxRows={4} {...text('medicalNotes')} error={errors.field('medicalNotes')} />
    </ModalForm>
  );
}
