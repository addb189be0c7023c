import { Alert, Button, Center, Loader, MantineProvider, Stack } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { DeskShell } from './components/DeskShell';
import { useDeskQuery } from './hooks/useDesk';
import { useDeskEvents } from './hooks/useDeskEvents';
import { queryClient, setupKey } from './lib/query-client';
import { LoginScreen } from './screens/LoginScreen';
import { PairingScreen, type PairResult } from './screens/PairingScreen';
import { theme } from './theme';

export function App() {
  return (
    <MantineProvider theme={theme}>
      <Notifications position="top-right" />
      <QueryClientProvider client={queryClient}>
        <Root />
      </QueryClientProvider>
    </MantineProvider>
  );
}

function Starting() {
  return (
    <Center h="100vh">
      <Loader aria-label="Starting the desk" />
    </Center>
  );
}

/** Pairing until the desk is set up, then the PIN screen until someone is logged in, then the desk. */
function Root() {
  useDeskEvents();
  const setup = useDeskQuery('setup/status', {}, { staleTime: Infinity });
  // Held here, not in the pairing screen: the download's events re-read setup/status, and the
  // "Paired with …" confirmation must stay until it is acknowledged.
  const [paired, setPaired] = useState<PairResult | null>(null);

  if (setup.error) {
    return (
      <Center h="100vh">
        <Stack maw={480}>
          <Alert color="red" role="alert" title="The desk could not start" data-testid="setup-error">
            {setup.error.message}
          </Alert>
          <Button onClick={() => void setup.refetch()} loading={setup.isFetching}>
            Try again
          </Button>
        </Stack>
      </Center>
    );
  }
  if (!setup.data) return <Starting />;
  if (!setup.data.setUp || paired) {
    const proceed = async () => {
      // Everything read before pairing predates the gym; setup/status among it must now say set up.
      await queryClient.invalidateQueries();
      if (queryClient.getQueryData<{ setUp: boolean }>(setupKey)?.setUp) setPaired(null);
    };
    return <PairingScreen paired={paired} onPaired={setPaired} onContinue={proceed} />;
  }
  return <SignedIn />;
}

function SignedIn() {
  const session = useDeskQuery('auth/session', {}, { staleTime: Infinity });
  if (session.isPending) return <Starting />;
  return session.data ? <DeskShell staff={session.data} /> : <LoginScreen />;
}
