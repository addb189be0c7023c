import { Alert, Button, Center, Paper, PasswordInput, SimpleGrid, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { Staff } from '@gymstack/shared';
import { errorMessage } from '../api';
import { PinPad } from '../components/PinPad';
import { useDeskMutation, useDeskQuery } from '../hooks/useDesk';
import { queryClient, sessionKey } from '../lib/query-client';

const PIN_MAX = 8;

function StaffPicker({ selected, onSelect }: { selected: Staff | null; onSelect: (staff: Staff) => void }) {
  const staff = useDeskQuery('auth/staff', {});
  if (staff.error) return <Alert color="red">{staff.error.message}</Alert>;
  return (
    <SimpleGrid cols={2} spacing="sm" role="group" aria-label="Who is on shift" style={{ alignContent: 'start' }}>
      {staff.data
        ?.filter((s) => s.active)
        .map((s) => (
          <UnstyledButton
            key={s.id}
            aria-pressed={selected?.id === s.id}
            onClick={() => onSelect(s)}
            data-testid="login-staff"
            p="md"
            bd={`2px solid ${selected?.id === s.id ? 'var(--mantine-primary-color-filled)' : 'var(--mantine-color-default-border)'}`}
            bg={selected?.id === s.id ? 'var(--mantine-primary-color-light)' : undefined}
            style={{ borderRadius: 'var(--mantine-radius-md)' }}
          >
            <Text fw={700} size="lg">
              {s.name}
            </Text>
            <Text size="sm" c="dimmed" tt="capitalize">
              {s.role}
            </Text>
          </UnstyledButton>
        ))}
    </SimpleGrid>
  );
}

/** Start of every shift: pick yourself, enter your PIN. */
export function LoginScreen() {
  const [staff, setStaff] = useState<Staff | null>(null);
  const [pin, setPin] = useState('');
  const login = useDeskMutation('auth/login');
  const pinRef = useRef<HTMLInputElement>(null);
  useEffect(() => pinRef.current?.focus(), [staff]);

  const choose = (s: Staff) => {
    setStaff(s);
    setPin('');
    login.reset();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!staff || pin.length === 0) return;
    login.mutate(
      { staffId: staff.id, pin },
      {
        onSuccess: (session) => queryClient.setQueryData(sessionKey, session),
        onError: () => setPin(''),
      },
    );
  };

  return (
    <Center mih="100vh" p="md" bg="var(--mantine-color-gray-1)">
      <Paper shadow="sm" p="xl" w={720} withBorder>
        <Stack gap="lg">
          <Title order={1}>Start your shift</Title>
          <SimpleGrid cols={2} spacing="xl">
            <StaffPicker selected={staff} onSelect={choose} />
            <form onSubmit={submit} aria-label="PIN login">
              <Stack gap="sm">
                <PasswordInput
                  label="PIN"
                  description={staff ? `PIN for ${staff.name}` : 'Choose your name first'}
                  inputMode="numeric"
                  autoComplete="off"
                  maxLength={PIN_MAX}
                  value={pin}
                  onChange={(e) => setPin(e.currentTarget.value.replace(/\D/g, ''))}
                  disabled={!staff}
                  ref={pinRef}
                  data-testid="pin-input"
                />
                <PinPad value={pin} onChange={setPin} maxLength={PIN_MAX} disabled={!staff} />
                {login.error && (
                  <Alert color="red" role="alert" data-testid="login-error">
                    {errorMessage(login.error)}
                  </Alert>
                )}
                <Button type="submit" size="lg" disabled={!staff || pin.length === 0} loading={login.isPending} data-testid="login-submit">
                  Log in
                </Button>
              </Stack>
            </form>
          </SimpleGrid>
        </Stack>
      </Paper>
    </Center>
  );
}
