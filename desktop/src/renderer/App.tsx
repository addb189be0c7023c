import { Center, Loader, MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClientProvider } from '@tanstack/react-query';
import { DeskShell } from './components/DeskShell';
import { useDeskQuery } from './hooks/useDesk';
import { useDeskEvents } from './hooks/useDeskEvents';
import { queryClient } from './lib/query-client';
import { LoginScreen } from './screens/LoginScreen';
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

/** The PIN screen until someone is logged in, then the desk. */
function Root() {
  useDeskEvents();
  const session = useDeskQuery('auth/session', {}, { staleTime: Infinity });
  if (session.isPending) {
    return (
      <Center h="100vh">
        <Loader aria-label="Starting the desk" />
      </Center>
    );
  }
  return session.data ? <DeskShell staff={session.data} /> : <LoginScreen />;
}
