import { Alert, Button, Group, Loader, SimpleGrid, Stack, Title } from '@mantine/core';
import { useState } from 'react';
import { DeviceCard } from '../components/DeviceCard';
import { DeviceSettingsModal } from '../components/DeviceSettingsModal';
import { DeviceSimulators } from '../components/DeviceSimulators';
import { MqttLogins } from '../components/MqttLogins';
import { useDeskQuery } from '../hooks/useDesk';
import { useHasRole } from '../hooks/useStaff';

/** The desk's reader, scanner, door and MQTT link: how each is doing, a test for each, and (managers) their settings and broker logins. */
export function DevicesScreen() {
  const manager = useHasRole('manager');
  // Refetched on every `devices` event (see useDeskEvents), so states and events follow the devices live.
  const devices = useDeskQuery('devices/list', {});
  const config = useDeskQuery('devices/config', {}, { enabled: manager });
  const [editing, setEditing] = useState(false);

  return (
    <Stack gap="md" data-testid="devices">
      <Group justify="space-between">
        <Title order={2}>Devices</Title>
        {manager && (
          <Button variant="light" disabled={!config.data} onClick={() => setEditing(true)} data-testid="device-settings">
            Device settings
          </Button>
        )}
      </Group>
      {config.error && <Alert color="red">{config.error.message}</Alert>}
      {devices.error && <Alert color="red">{devices.error.message}</Alert>}
      {devices.isPending && !devices.error && <Loader aria-label="Loading devices" />}
      {devices.data && (
        <>
          <SimpleGrid cols={2} spacing="md">
            {devices.data.devices.map((view) => (
              <DeviceCard key={view.device} view={view} />
            ))}
          </SimpleGrid>
          {config.data && <MqttLogins config={config.data} broker={devices.data.devices.find((view) => view.device === 'mqtt')?.label} />}
          {devices.data.simulated && <DeviceSimulators />}
        </>
      )}
      {editing && config.data && <DeviceSettingsModal config={config.data} onClose={() => setEditing(false)} />}
    </Stack>
  );
}
