import { Alert, Button, Checkbox, Group, Modal, Stack, Stepper, Text } from '@mantine/core';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { api } from '../api';
import { useDeskMutation, useDeskQuery } from '../hooks/useDesk';
import { useEnrollProgress, type EnrollProgress } from '../hooks/useEnrollProgress';
import { notifyFailure } from '../lib/notify';
import { ErrorAlert } from './ErrorAlert';
import { FormFrame } from './FormFrame';

const PRESSES = [1, 2, 3] as const;
const STEP_TEXT: Record<EnrollProgress['step'], string> = { place: 'Place the finger', lift: 'Lift the finger', captured: 'Captured' };

const notifyNotCancelled = notifyFailure('Enrollment not cancelled');
const notifyNotPressed = notifyFailure('Simulated finger not pressed');

/** Presses done so far: the stepper's active step (3 once every press is captured). */
const pressesDone = (progress: EnrollProgress | null) => (progress ? (progress.step === 'captured' ? progress.press : progress.press - 1) : 0);

function pressText(press: number, progress: EnrollProgress | null): string {
  if (press <= pressesDone(progress)) return STEP_TEXT.captured;
  if (progress && press === progress.press) return STEP_TEXT[progress.step];
  return press === pressesDone(progress) + 1 ? STEP_TEXT.place : 'Waiting';
}

/** Step 1: the member hears what is stored and agrees before anything is taken. */
function Consent({ name, onAgreed, onClose }: { name: string; onAgreed: () => void; onClose: () => void }) {
  const [agreed, setAgreed] = useState(false);
  const [unticked, setUnticked] = useState(false);
  return (
    <FormFrame onSubmit={() => (agreed ? onAgreed() : setUnticked(true))} submitLabel="Start" submitTestId="enroll-start" pending={false} error={null} onClose={onClose}>
      <Text fw={600}>Read this to {name}:</Text>
      <Text data-testid="enroll-consent-text">
        “We store a template of your fingerprint, not a picture of it. It is encrypted and used only to check you in at this gym. We delete it
        whenever you ask, or when your data is erased.”
      </Text>
      <Checkbox
        label={`I read this to ${name} and they agree`}
        checked={agreed}
        onChange={(e) => {
          setAgreed(e.currentTarget.checked);
          setUnticked(false);
        }}
        error={unticked ? 'Tick this once the member has agreed' : undefined}
        data-autofocus
        data-testid="enroll-consent"
      />
    </FormFrame>
  );
}

/** Step 2: three presses of the same finger, followed from the reader's progress events. */
function Presses({ memberId, progress, onCancel }: { memberId: string; progress: EnrollProgress | null; onCancel: () => void }) {
  const simulated = useDeskQuery('devices/list', {}).data?.simulated ?? false;
  const simulate = useDeskMutation('devices/simulate');
  const current = progress ? `Press ${progress.press} of 3: ${STEP_TEXT[progress.step]}` : `Press 1 of 3: ${STEP_TEXT.place}`;
  return (
    <Stack gap="md">
      <Stepper active={pressesDone(progress)} size="sm" allowNextStepsSelect={false} aria-label="Presses" data-testid="enroll-stepper">
        {PRESSES.map((press) => (
          <Stepper.Step key={press} label={`Press ${press}`} description={pressText(press, progress)} />
        ))}
      </Stepper>
      <Text fz={26} fw={700} role="status" aria-live="polite" data-testid="enroll-instruction">
        {current}
      </Text>
      <Text c="dimmed">Use the same finger each time, flat on the reader.</Text>
      <Group justify="flex-end">
        {simulated && (
          <Button
            variant="light"
            loading={simulate.isPending}
            onClick={() => simulate.mutate({ action: 'finger', memberId }, { onError: notifyNotPressed })}
            data-testid="enroll-simulate-finger"
          >
            Press simulated finger
          </Button>
        )}
        <Button variant="default" onClick={onCancel} data-testid="enroll-cancel">
          Cancel
        </Button>
      </Group>
    </Stack>
  );
}

/**
 * Enrolls one of the member's fingers: consent first, then three presses on the reader. The core's
 * call returns once the third press is stored (or fails, say the presses did not match).
 */
export function EnrollFingerprintModal({ member, onClose }: { member: { id: string; fullName: string }; onClose: () => void }) {
  const enroll = useDeskMutation('fingerprints/enroll');
  const { progress, reset } = useEnrollProgress(member.id);
  const start = () => {
    reset();
    enroll.mutate({ memberId: member.id, consent: true });
  };
  // However the wizard goes mid-enrollment (Cancel, closed, or the desk moved to another screen), the
  // reader is freed; the enroll call then fails, unseen.
  const pending = useRef(false);
  useLayoutEffect(() => {
    pending.current = enroll.isPending;
  });
  useEffect(
    () => () => {
      if (pending.current) api.call('fingerprints/cancel', {}).catch(notifyNotCancelled);
    },
    [],
  );

  return (
    <Modal opened onClose={onClose} title={`Enroll a finger for ${member.fullName}`} size="lg" closeOnClickOutside={!enroll.isPending}>
      {enroll.isIdle && <Consent name={member.fullName} onAgreed={start} onClose={onClose} />}
      {enroll.isPending && <Presses memberId={member.id} progress={progress} onCancel={onClose} />}
      {enroll.isSuccess && (
        <Stack gap="md">
          <Alert color="green" role="status" title="Fingerprint enrolled" data-testid="enroll-done">
            {member.fullName} can now check in with this finger.
          </Alert>
          <Group justify="flex-end">
            <Button onClick={onClose} data-autofocus>
              Done
            </Button>
          </Group>
        </Stack>
      )}
      {enroll.error && (
        <Stack gap="md">
          <ErrorAlert title="Not enrolled" error={enroll.error} testId="enroll-error" />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Close
            </Button>
            <Button onClick={start} data-autofocus data-testid="enroll-retry">
              Try again
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
