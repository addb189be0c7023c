import { Group, Text } from '@mantine/core';
import { useInterval } from '@mantine/hooks';
import { useState } from 'react';
import { useFormat } from '../hooks/useDeskInfo';
import { useStaff } from '../hooks/useStaff';

function Clock() {
  const format = useFormat();
  const [now, setNow] = useState(() => new Date());
  useInterval(() => setNow(new Date()), 1000, { autoInvoke: true });
  return (
    <Text size="sm" ff="monospace" data-testid="status-clock">
      {format.clock(now)}
    </Text>
  );
}

/** Always visible: sync and devices (placeholders until those issues land), who is on shift, the gym's clock. */
export function StatusBar() {
  const staff = useStaff();
  return (
    <Group h="100%" px="md" justify="space-between" wrap="nowrap">
      <Group gap="xl" wrap="nowrap">
        <Text size="sm" data-testid="status-sync">
          Sync: not paired
        </Text>
        <Text size="sm" data-testid="status-devices">
          Devices: none
        </Text>
      </Group>
      <Group gap="xl" wrap="nowrap">
        <Text size="sm" data-testid="status-staff">
          {staff.name} · {staff.role}
        </Text>
        <Clock />
      </Group>
    </Group>
  );
}
