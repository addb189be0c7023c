import { Alert, Loader, Stack, Tabs, Title } from '@mantine/core';
import { DeskSettingsForm } from '../components/DeskSettingsForm';
import { GymDetailsForm } from '../components/GymDetailsForm';
import { StaffAdmin } from '../components/StaffAdmin';
import { useDeskQuery } from '../hooks/useDesk';
import { useDeskInfo } from '../hooks/useDeskInfo';
import { useHasRole } from '../hooks/useStaff';

/** Managers tune the desk and the gym's details; the owner also manages staff. */
export function SettingsScreen() {
  const manager = useHasRole('manager');
  const owner = useHasRole('owner');
  const settings = useDeskQuery('settings/get', {});
  const info = useDeskInfo();

  if (!manager) return <Alert color="yellow">Settings are for a manager or the owner.</Alert>;
  const error = settings.error ?? info.error;
  if (error) return <Alert color="red">{error.message}</Alert>;
  if (!settings.data || !info.data) return <Loader aria-label="Loading settings" />;
  return (
    <Stack gap="md">
      <Title order={2}>Settings</Title>
      <Tabs defaultValue="desk" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="desk">Desk</Tabs.Tab>
          <Tabs.Tab value="gym">Gym</Tabs.Tab>
          {owner && <Tabs.Tab value="staff">Staff</Tabs.Tab>}
        </Tabs.List>
        <Tabs.Panel value="desk" pt="md">
          <DeskSettingsForm settings={settings.data} />
        </Tabs.Panel>
        <Tabs.Panel value="gym" pt="md">
          <GymDetailsForm gym={info.data.gym} />
        </Tabs.Panel>
        {owner && (
          <Tabs.Panel value="staff" pt="md">
            <StaffAdmin />
          </Tabs.Panel>
        )}
      </Tabs>
    </Stack>
  );
}
