import { Badge, Button, Group, NativeSelect, PasswordInput, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { staffRoles, type Staff, type StaffRole } from '@gymstack/shared';
import { useDeskMutation, useDeskQuery } from '../hooks/useDesk';
import { useFormValues } from '../hooks/useFormValues';
import { useStaff } from '../hooks/useStaff';
import { fieldErrors } from '../lib/field-errors';
import { enumOptions } from '../lib/text';
import { ModalForm } from './ModalForm';

type Dialog = { kind: 'new' } | { kind: 'pin' | 'deactivate'; staff: Staff };

function pinProps(value: string, onChange: (pin: string) => void) {
  return {
    inputMode: 'numeric' as const,
    autoComplete: 'new-password',
    maxLength: 8,
    value,
    onChange: (e: { currentTarget: { value: string } }) => onChange(e.currentTarget.value.replace(/\D/g, '')),
  };
}

function NewStaffModal({ onClose }: { onClose: () => void }) {
  const { values, set, text } = useFormValues(() => ({ name: '', role: 'frontdesk' as StaffRole, pin: '' }));
  const create = useDeskMutation('staff/create');
  const errors = fieldErrors(create.error, ['name', 'role', 'pin']);
  return (
    <ModalForm title="Add staff" onClose={onClose} onSubmit={() => create.mutate(values, { onSuccess: onClose })} submitLabel="Add staff" pending={create.isPending} error={errors.form}>
      <TextInput label="Name" data-autofocus {...text('name')} error={errors.field('name')} />
      <NativeSelect label="Role" data={enumOptions(staffRoles)} value={values.role} onChange={(e) => set('role', e.currentTarget.value as StaffRole)} error={errors.field('role')} />
      <PasswordInput label="PIN" description="4 to 8 digits" {...pinProps(values.pin, (pin) => set('pin', pin))} error={errors.field('pin')} />
    </ModalForm>
  );
}

function SetPinModal({ staff, onClose }: { staff: Staff; onClose: () => void }) {
  const [pin, setPin] = useState('');
  const setStaffPin = useDeskMutation('staff/setPin');
  const errors = fieldErrors(setStaffPin.error, ['pin']);
  return (
    <ModalForm
      title={`New PIN for ${staff.name}`}
      onClose={onClose}
      onSubmit={() => setStaffPin.mutate({ staffId: staff.id, pin }, { onSuccess: onClose })}
      submitLabel="Set PIN"
      pending={setStaffPin.isPending}
      error={errors.form}
    >
      <PasswordInput label="New PIN" description="4 to 8 digits" data-autofocus {...pinProps(pin, setPin)} error={errors.field('pin')} />
    </ModalForm>
  );
}

function DeactivateModal({ staff, onClose }: { staff: Staff; onClose: () => void }) {
  const deactivate = useDeskMutation('staff/deactivate');
  return (
    <ModalForm
      title={`Deactivate ${staff.name}?`}
      onClose={onClose}
      onSubmit={() => deactivate.mutate({ staffId: staff.id }, { onSuccess: onClose })}
      submitLabel="Deactivate"
      submitColor="red"
      pending={deactivate.isPending}
      error={deactivate.error?.message ?? null}
    >
      <Text>They will no longer be able to log in at this desk. Their past work stays on record.</Text>
    </ModalForm>
  );
}

/** The owner adds staff, resets PINs and deactivates leavers. */
export function StaffAdmin() {
  const me = useStaff();
  const staff = useDeskQuery('auth/staff', {});
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const close = () => setDialog(null);
  return (
    <Stack gap="sm">
      <Group justify="flex-end">
        <Button onClick={() => setDialog({ kind: 'new' })} data-testid="new-staff">
          Add staff
        </Button>
      </Group>
      <Table striped aria-label="Staff" data-testid="staff-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Role</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Actions</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {staff.data?.map((s) => (
            <Table.Tr key={s.id}>
              <Table.Td>{s.name}</Table.Td>
              <Table.Td tt="capitalize">{s.role}</Table.Td>
              <Table.Td>
                <Badge color={s.active ? 'green' : 'gray'} variant="light">
                  {s.active ? 'Active' : 'Inactive'}
                </Badge>
              </Table.Td>
              <Table.Td>
                {s.active && (
                  <Group gap={6}>
                    <Button size="compact-sm" variant="light" onClick={() => setDialog({ kind: 'pin', staff: s })} aria-label={`Set PIN for ${s.name}`}>
                      Set PIN
                    </Button>
                    {s.id !== me.id && (
                      <Button size="compact-sm" variant="subtle" color="red" onClick={() => setDialog({ kind: 'deactivate', staff: s })} aria-label={`Deactivate ${s.name}`}>
                        Deactivate
                      </Button>
                    )}
                  </Group>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {dialog?.kind === 'new' && <NewStaffModal onClose={close} />}
      {dialog?.kind === 'pin' && <SetPinModal staff={dialog.staff} onClose={close} />}
      {dialog?.kind === 'deactivate' && <DeactivateModal staff={dialog.staff} onClose={close} />}
    </Stack>
  );
}
