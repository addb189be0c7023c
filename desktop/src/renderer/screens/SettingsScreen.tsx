import { Alert, Fieldset, Loader, Stack, Tabs, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { CloudManaged } from '../components/CloudManaged';
import { DeskSettingsForm } from '../components/DeskSettingsForm';
import { GymDetailsForm } from '../components/GymDetailsForm';
import { StaffAdmin } from '../components/StaffAdmin';
import { useDeskQuery } from '../hooks/useDesk';
import { useDeskInfo } from '../hooks/useDeskInfo';
import { usePaired } from '../hooks/usePaired';
import { useHasRole } from '../hooks/useStaff';

/** A disabled fieldset disables every control in it: a paired desk shows these, read-only. */
function ReadOnly({ when, children }: { when: boolean; children: ReactNode }) {
  return (
    <Fieldset variant="unstyled" disabled={when} data-testid={when ? 'read-only' : undefined}>
      {children}
    </Fieldset>
  );
}

/** Managers tune the desk and the gym's details; the owner also manages staff. */
export function SettingsScreen() {
  const manager = useHasRole('manager');
  const owner = useHasRole('owner');
  const paired = usePaired();
  const settings = useDeskQuery('settings/get', {});
  const info = useDeskInfo();

  if (!manager) return <Alert color="yellow">Settings are for a manager or the owner.</Alert>;
  const error = settings.error ?? info.error;
  if (error) return <Alert color="red">{error.message}</Alert>;
  if (!settings.data || !info.data) return <Loader aria-label="Loading settings" />;
  return (
    <Stack gap="md">
      <Title order={2}>Settings</Title>
      {paired && <CloudManaged what="the desk rules, the gym's details and the staff" />}
      <Tabs defaultValue="desk" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="desk">Desk</Tabs.Tab>
          <Tabs.Tab value="gym">Gym</Tabs.Tab>
          {owner && <Tabs.Tab value="staff">Staff</Tabs.Tab>}
        </Tabs.List>
        <Tabs.Panel value="desk" pt="md">
          <ReadOnly when={paired}>
            <DeskSettingsForm settings={settings.data} />
          </ReadOnly>
        </Tabs.Panel>
        <Tabs.Panel value="gym" pt="md">
          <ReadOnly when={paired}>
            <GymDetailsForm gym={info.data.gym} />
          </ReadOnly>
        </Tabs.Panel>
        {owner && (
          <Tabs.Panel value="staff" pt="md">
            <ReadOnly when={paired}>
              <StaffAdmin />
            </ReadOnly>
          </Tabs.Panel>
        )}
      </Tabs>
    </Stack>
  );
}
