import { Alert, Button, Center, Fieldset, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { ErrorCode } from '@gymstack/shared';
import type { HandlerResult } from '../../core/contract';
import type { DeskApiError } from '../api';
import { useDeskMutation } from '../hooks/useDesk';
import { useFormValues } from '../hooks/useFormValues';
import { fieldErrors } from '../lib/field-errors';

export type PairResult = HandlerResult<'setup/pair'>;

const FIELDS = ['cloudUrl', 'code', 'deskName'] as const;
type Field = (typeof FIELDS)[number];

/** What the core's codes mean to someone at a fresh desk with a code in hand. */
const MESSAGES: Partial<Record<ErrorCode, string>> = {
  UNAUTHENTICATED: 'That code is wrong, used or expired: ask the owner for a new one',
  UNAVAILABLE: "Can't reach the cloud at that address",
};

/** Where to put the cursor after a failed attempt, so the fix is one keystroke away. */
function fieldToFix(error: DeskApiError): Field {
  if (error.code === 'UNAUTHENTICATED') return 'code';
  if (error.code === 'VALIDATION_ERROR') return FIELDS.find((f) => error.issues.some((issue) => issue.path === f)) ?? 'cloudUrl';
  return 'cloudUrl';
}

/** The owner often types just the host: `cloud.gymstack.in` means `https://cloud.gymstack.in`. */
const withScheme = (url: string): string => {
  const trimmed = url.trim();
  return trimmed === '' || /^[a-z][a-z\d+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
};

function Paired({ result, onContinue }: { result: PairResult; onContinue: () => Promise<unknown> }) {
  const [leaving, setLeaving] = useState(false);
  return (
    <Stack gap="md">
      <Alert color="green" title="This desk is paired" role="status" data-testid="pair-done">
        Paired with {result.gymName}, {result.branchName} as desk {result.deskCode}
      </Alert>
      <Button
        size="lg"
        autoFocus
        loading={leaving}
        onClick={() => {
          setLeaving(true);
          void onContinue().finally(() => setLeaving(false));
        }}
        data-testid="pair-continue"
      >
        Continue to staff login
      </Button>
    </Stack>
  );
}

/**
 * First run: the owner reads a pairing code off the cloud dashboard; the desk pairs with it and
 * downloads the gym before the first shift can start.
 */
export function PairingScreen({ paired, onPaired, onContinue }: { paired: PairResult | null; onPaired: (result: PairResult) => void; onContinue: () => Promise<unknown> }) {
  const { values, set, text } = useFormValues(() => ({ cloudUrl: '', code: '', deskName: 'Front desk' }));
  const pair = useDeskMutation('setup/pair');
  const refs = { cloudUrl: useRef<HTMLInputElement>(null), code: useRef<HTMLInputElement>(null), deskName: useRef<HTMLInputElement>(null) };
  const errors = fieldErrors(pair.error, FIELDS);
  const formError = pair.error && (pair.error.code === 'VALIDATION_ERROR' ? errors.form : (MESSAGES[pair.error.code] ?? pair.error.message));

  // The fields are disabled while pairing, so focus can move only once the error has rendered (the refs are stable).
  const failed = pair.error;
  useEffect(() => {
    if (failed) refs[fieldToFix(failed)].current?.focus();
  }, [failed]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (pair.isPending) return;
    const cloudUrl = withScheme(values.cloudUrl);
    set('cloudUrl', cloudUrl);
    pair.mutate({ cloudUrl, code: values.code.trim(), deskName: values.deskName }, { onSuccess: onPaired });
  };

  return (
    <Center mih="100vh" p="md" bg="var(--mantine-color-gray-1)">
      <Paper shadow="sm" p="xl" w={560} withBorder>
        <Stack gap="lg">
          <div>
            <Title order={1}>Set up this desk</Title>
            <Text c="dimmed">Pair it with your gym's GymStack cloud, using a pairing code from the owner's dashboard.</Text>
          </div>
          {paired ? (
            <Paired result={paired} onContinue={onContinue} />
          ) : (
            <form noValidate onSubmit={submit} aria-label="Pair this desk" aria-busy={pair.isPending}>
              <Stack gap="sm">
                <Fieldset variant="unstyled" disabled={pair.isPending}>
                  <Stack gap="sm">
                    <TextInput
                      label="Cloud address"
                      type="url"
                      placeholder="https://cloud.gymstack.in"
                      required
                      autoFocus
                      autoComplete="url"
                      spellCheck={false}
                      ref={refs.cloudUrl}
                      {...text('cloudUrl')}
                      error={errors.field('cloudUrl')}
                      data-testid="pair-url"
                    />
                    <TextInput
                      label="Pairing code"
                      description="As it shows on the owner's dashboard, e.g. K7PQ-M2XD"
                      required
                      autoComplete="off"
                      autoCapitalize="characters"
                      spellCheck={false}
                      maxLength={32}
                      styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', letterSpacing: '0.1em' } }}
                      ref={refs.code}
                      value={values.code}
                      onChange={(e) => set('code', e.currentTarget.value.toUpperCase())}
                      error={errors.field('code')}
                      data-testid="pair-code"
                    />
                    <TextInput label="Desk name" description="How this desk shows in the cloud" required ref={refs.deskName} {...text('deskName')} error={errors.field('deskName')} data-testid="pair-name" />
                  </Stack>
                </Fieldset>
                {formError && (
                  <Alert color="red" role="alert" data-testid="pair-error">
                    {formError}
                  </Alert>
                )}
                {pair.isPending && (
                  <Text size="sm" c="dimmed" role="status">
                    Pairing and downloading the gym: this can take a few seconds…
                  </Text>
                )}
                <Button type="submit" size="lg" loading={pair.isPending} data-testid="pair-submit">
                  Pair this desk
                </Button>
              </Stack>
            </form>
          )}
        </Stack>
      </Paper>
    </Center>
  );
}
