import { Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import type { HandlerArgs, MemberSummary } from '../../core/contract';
import { useDeskMutation } from '../hooks/useDesk';
import { useVerdict } from '../hooks/useVerdict';
import { notifyFailure } from '../lib/notify';
import { FormFrame } from './FormFrame';
import { MemberSearchBox } from './MemberSearchBox';

const notifyNotSimulated = notifyFailure('Simulator did not run');

/** The latest verdict in one line, so a simulated press shows its result without leaving this screen. */
function LatestVerdict() {
  const { current } = useVerdict();
  if (!current) return null;
  const outcome = current.verdict === 'allow' ? 'allowed in' : `denied${current.reasonText ? `: ${current.reasonText}` : ''}`;
  return (
    <Text fw={600} c={current.verdict === 'allow' ? 'green.8' : 'red.8'} role="status" data-testid="simulator-verdict" data-verdict={current.verdict}>
      Latest check-in: {current.member?.name ?? 'Unknown'} — {outcome}
    </Text>
  );
}

/** Drives the desk's simulated devices (demo and tests): a member's or a stranger's finger on the reader, a code at the scanner. */
export function DeviceSimulators() {
  const [member, setMember] = useState<MemberSummary | null>(null);
  const [code, setCode] = useState('');
  const simulate = useDeskMutation('devices/simulate');
  const run = (args: HandlerArgs<'devices/simulate'>, onSuccess?: () => void) => simulate.mutate(args, { onSuccess, onError: notifyNotSimulated });
  const running = (action: HandlerArgs<'devices/simulate'>['action']) => simulate.isPending && simulate.variables.action === action;

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-label="Simulators" data-testid="simulators">
      <Stack gap="sm">
        <Title order={3} size="h4">
          Simulators
        </Title>
        <Text c="dimmed">This desk runs simulated devices. What they do checks members in as real ones would; the verdict shows on the Check-in screen.</Text>
        <LatestVerdict />
        <MemberSearchBox label="Member at the reader" onPick={setMember} testId="simulator-member" />
        <Text data-testid="simulator-member-picked">{member ? `${member.fullName} (${member.code})` : 'Pick a member to press their finger.'}</Text>
        <Group>
          <Button disabled={!member} loading={running('finger')} onClick={() => member && run({ action: 'finger', memberId: member.id })} data-testid="simulate-finger">
            Press their finger
          </Button>
          <Button variant="light" loading={running('stranger')} onClick={() => run({ action: 'stranger' })} data-testid="simulate-stranger">
            A stranger's finger
          </Button>
        </Group>
        <FormFrame onSubmit={() => run({ action: 'scan', code }, () => setCode(''))} submitLabel="Scan" submitTestId="simulate-scan" pending={running('scan')} error={null}>
          <TextInput
            label="Code at the scanner"
            description="A member code, card number or pass"
            autoComplete="off"
            value={code}
            onChange={(e) => setCode(e.currentTarget.value)}
            data-testid="simulate-code"
          />
        </FormFrame>
      </Stack>
    </Paper>
  );
}
