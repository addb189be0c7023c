import { Button, Loader, Modal, Progress, Stack, Text } from '@mantine/core';
import { useInterval } from '@mantine/hooks';
import { useState } from 'react';
import { useDeskQuery } from '../hooks/useDesk';
import { ErrorAlert } from './ErrorAlert';
import { QrCode } from './QrCode';

/** A pass lives a minute; a new one replaces it this long before it lapses, so a scan never meets an expiring code. */
const REISSUE_BEFORE_MS = 5_000;
/** However the desk's and the core's clocks disagree, never re-issue faster than this. */
const MIN_REISSUE_MS = 5_000;
const PASS_LIFE_MS = 60_000;

function Countdown({ expiresAt }: { expiresAt: string }) {
  const [now, setNow] = useState(() => Date.now());
  useInterval(() => setNow(Date.now()), 1000, { autoInvoke: true });
  const leftMs = Math.max(0, Date.parse(expiresAt) - now);
  return (
    <Stack gap={4} w="100%">
      <Text ta="center" fw={600} data-testid="pass-countdown">
        Valid for {Math.ceil(leftMs / 1000)} s
      </Text>
      <Progress value={(leftMs / PASS_LIFE_MS) * 100} aria-hidden />
    </Stack>
  );
}

/** The member's signed pass as a QR, for the door scanner or their phone's camera; renewed while it is shown. */
export function PassQrModal({ member, onClose }: { member: { id: string; fullName: string }; onClose: () => void }) {
  const pass = useDeskQuery(
    'passes/issue',
    { memberId: member.id },
    {
      staleTime: 0,
      gcTime: 0,
      refetchIntervalInBackground: true,
      refetchInterval: ({ state: { data } }) => data && Math.max(Date.parse(data.expiresAt) - Date.now() - REISSUE_BEFORE_MS, MIN_REISSUE_MS),
    },
  );
  return (
    <Modal opened onClose={onClose} title={`Pass for ${member.fullName}`}>
      <Stack align="center" gap="sm">
        {pass.error && (
          <>
            <ErrorAlert title="No pass issued" error={pass.error} testId="pass-error" />
            <Button onClick={() => void pass.refetch()} loading={pass.isFetching}>
              Try again
            </Button>
          </>
        )}
        {!pass.data && !pass.error && <Loader aria-label="Issuing the pass" />}
        {pass.data && (
          <>
            <QrCode value={pass.data.token} size={300} label={`Pass QR for ${member.fullName}`} testId="pass-qr" />
            <Countdown expiresAt={pass.data.expiresAt} />
            <Text size="sm" c="dimmed" ta="center">
              Scan it at the door or the desk. A new code replaces it before it expires.
            </Text>
          </>
        )}
      </Stack>
    </Modal>
  );
}
