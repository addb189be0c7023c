import { Badge, Box, Group, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { useInterval } from '@mantine/hooks';
import { useState } from 'react';
import type { SyncStatus } from '../../core/contract';
import { useDeskQuery } from '../hooks/useDesk';
import { useFormat } from '../hooks/useDeskInfo';
import { useNavigation } from '../hooks/useNavigation';
import { useStaff } from '../hooks/useStaff';
import { DEVICE_NAMES } from '../lib/device-names';
import { agoText, countText } from '../lib/text';

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

const STATES: Record<SyncStatus['state'], { label: string; color: string }> = {
  online: { label: 'Online', color: 'green.6' },
  connecting: { label: 'Connecting', color: 'yellow.5' },
  offline: { label: 'Offline', color: 'orange.6' },
  error: { label: 'Sync error', color: 'red.6' },
  unpaired: { label: 'Standalone', color: 'gray.5' },
};

/** "synced 2 min ago", re-read every 30 s so it ages while nothing else changes. */
function LastSynced({ at }: { at: string | null }) {
  const format = useFormat();
  const [now, setNow] = useState(() => new Date());
  useInterval(() => setNow(new Date()), 30_000, { autoInvoke: true });
  const text = at === null ? 'not synced yet' : `synced ${agoText(at, now) ?? format.dateTime(at)}`;
  return (
    <Text size="sm" c="dimmed" data-testid="sync-last" title={at === null ? undefined : format.dateTime(at)}>
      {text}
    </Text>
  );
}

/** The cloud link at a glance; the core pushes every change to it as a `sync` event, so nothing polls. */
function SyncState() {
  const { navigate } = useNavigation();
  const sync = useDeskQuery('sync/status', {}, { staleTime: Infinity });
  if (sync.error) {
    return (
      <Tooltip label={sync.error.message}>
        <Text size="sm" c="dimmed" tabIndex={0} data-testid="sync-state">
          Sync status unavailable
        </Text>
      </Tooltip>
    );
  }
  if (!sync.data) return null;
  const status = sync.data;
  const { label, color } = STATES[status.state];
  const detail = status.error ? `${status.error.message} (${status.error.code})` : status.cloudUrl;
  const paired = status.state !== 'unpaired';
  return (
    <Group gap="md" wrap="nowrap">
      <Tooltip label={detail} disabled={!detail} multiline maw={420} events={{ hover: true, focus: true, touch: false }}>
        <Group gap={6} wrap="nowrap" tabIndex={detail ? 0 : undefined} aria-label={detail ? `${label}: ${detail}` : undefined} data-testid="sync-state" data-state={status.state}>
          <Box component="span" w={10} h={10} bg={color} style={{ borderRadius: '50%', flex: 'none' }} aria-hidden />
          <Text size="sm" fw={500}>
            {label}
          </Text>
        </Group>
      </Tooltip>
      {paired && status.pending > 0 && (
        <Text size="sm" data-testid="sync-pending">
          {countText(status.pending, 'change')} waiting
        </Text>
      )}
      {paired && <LastSynced at={status.lastSyncedAt} />}
      {status.rejected > 0 && (
        <Badge
          component="button"
          type="button"
          color="red"
          variant="filled"
          tt="none"
          style={{ cursor: 'pointer' }}
          onClick={() => navigate({ screen: 'sync' })}
          data-testid="sync-rejected"
        >
          {countText(status.rejected, 'change')} refused
        </Badge>
      )}
    </Group>
  );
}

/** The devices that are set up, at a glance: all connected, or the first that is not; opens the Devices screen. */
function DeviceState() {
  const { navigate } = useNavigation();
  const devices = useDeskQuery('devices/list', {});
  const setUp = devices.data?.devices.filter((d) => d.state !== 'off') ?? [];
  const trouble = setUp.find((d) => d.state !== 'connected');
  const text = devices.error
    ? devices.error.message
    : setUp.length === 0
      ? 'none'
      : trouble
        ? `${DEVICE_NAMES[trouble.device]} ${trouble.state}`
        : `${countText(setUp.length, 'device')} connected`;
  return (
    <UnstyledButton onClick={() => navigate({ screen: 'devices' })} data-testid="status-devices" data-state={trouble?.state ?? (setUp.length ? 'connected' : 'off')}>
      <Group gap={6} wrap="nowrap">
        {setUp.length > 0 && (
          <Box component="span" w={10} h={10} bg={trouble ? (trouble.state === 'error' ? 'red.6' : 'yellow.5') : 'green.6'} style={{ borderRadius: '50%', flex: 'none' }} aria-hidden />
        )}
        <Text size="sm">Devices: {text}</Text>
      </Group>
    </UnstyledButton>
  );
}

/** Always visible: sync and devices, who is on shift, the gym's clock. */
export function StatusBar() {
  const staff = useStaff();
  return (
    <Group h="100%" px="md" justify="space-between" wrap="nowrap">
      <Group gap="xl" wrap="nowrap">
        <SyncState />
        <DeviceState />
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
