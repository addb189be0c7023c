import { AppShell, Button, Group, Text, Title } from '@mantine/core';
import type { Staff } from '@gymstack/shared';
import { useDeskMutation } from '../hooks/useDesk';
import { useDeskInfo } from '../hooks/useDeskInfo';
import { NavigationProvider } from '../hooks/useNavigation';
import { ScanProvider } from '../hooks/useScans';
import { StaffContext } from '../hooks/useStaff';
import { VerdictProvider } from '../hooks/useVerdict';
import { queryClient, sessionKey } from '../lib/query-client';
import { AppNav } from './AppNav';
import { CurrentScreen } from './CurrentScreen';
import { StatusBar } from './StatusBar';

function ShiftSwitch({ staff }: { staff: Staff }) {
  const logout = useDeskMutation('auth/logout');
  return (
    <Group gap="sm" wrap="nowrap">
      <Text fw={600} data-testid="header-staff">
        {staff.name}
      </Text>
      <Button
        variant="light"
        loading={logout.isPending}
        onClick={() => logout.mutate({}, { onSettled: () => queryClient.setQueryData(sessionKey, null) })}
        data-testid="switch-shift"
      >
        Switch shift
      </Button>
    </Group>
  );
}

/** The logged-in desk: header, left navigation, the current screen, and the status bar; wedge scans work anywhere in it. */
export function DeskShell({ staff }: { staff: Staff }) {
  const info = useDeskInfo().data;
  return (
    <StaffContext value={staff}>
      <NavigationProvider>
        <VerdictProvider>
          <ScanProvider>
            <AppShell header={{ height: 60 }} navbar={{ width: 210, breakpoint: 0 }} footer={{ height: 36 }} padding="md">
              <AppShell.Header>
                <Group h="100%" px="md" justify="space-between" wrap="nowrap">
                  <Group gap="xs" wrap="nowrap">
                    <Title order={1} size="h3">
                      {info?.gym.name ?? 'GymStack'}
                    </Title>
                    {info && <Text c="dimmed">{info.branch.name}</Text>}
                  </Group>
                  <ShiftSwitch staff={staff} />
                </Group>
              </AppShell.Header>
              <AppShell.Navbar p="xs">
                <AppNav />
              </AppShell.Navbar>
              <AppShell.Main>
                <CurrentScreen />
              </AppShell.Main>
              <AppShell.Footer>
                <StatusBar />
              </AppShell.Footer>
            </AppShell>
          </ScanProvider>
        </VerdictProvider>
      </NavigationProvider>
    </StaffContext>
  );
}
