import { Alert, Badge, Button, Group, Paper, ScrollArea, Stack, Table, Text, Title } from '@mantine/core';
import type { DeviceView } from '../../core/contract';
import type { DeskApiError } from '../api';
import { useDeskMutation } from '../hooks/useDesk';
import { useFormat } from '../hooks/useDeskInfo';
import { DEVICE_NAMES } from '../lib/device-names';
import { ErrorAlert } from './ErrorAlert';

const STATES: Record<DeviceView['state'], { color: string; label: string }> = {
  connected: { color: 'green', label: 'Connected' },
  connecting: { color: 'yellow', label: 'Connecting' },
  disconnected: { color: 'gray', label: 'Disconnected' },
  error: { color: 'red', label: 'Error' },
  off: { color: 'gray', label: 'Off' },
};

/** What the Test button got back: the device's answer, or why it failed. */
function TestResult({ message, error }: { message: string | undefined; error: DeskApiError | null }) {
  if (error) return <ErrorAlert title="Test failed" error={error} testId="device-test-result" />;
  if (message === undefined) return null;
  return (
    <Alert color="green" role="status" data-testid="device-test-result">
      {message}
    </Alert>
  );
}

/** One device: what it is, how it is doing and why, a test, and what happened to it lately. */
export function DeviceCard({ view }: { view: DeviceView }) {
  const format = useFormat();
  const test = useDeskMutation('devices/test');
  const name = DEVICE_NAMES[view.device];
  const { color, label } = STATES[view.state];
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-label={name} data-testid={`device-${view.device}`} data-state={view.state}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap">
          <Title order={3} size="h4">
            {name}
          </Title>
          <Badge color={color} variant={view.state === 'off' ? 'outline' : 'light'} data-testid="device-state">
            {label}
          </Badge>
        </Group>
        <Text fw={500}>{view.label}</Text>
        {view.detail && <Text c="dimmed">{view.detail}</Text>}
        {view.error && <ErrorAlert error={view.error} testId="device-error" />}
        <Group>
          <Button
            variant="light"
            disabled={view.state === 'off'}
            loading={test.isPending}
            onClick={() => test.mutate({ device: view.device })}
            aria-label={`Test the ${name.toLowerCase()}`}
            data-testid="device-test"
          >
            Test
          </Button>
        </Group>
        <TestResult message={test.data?.message} error={test.error} />
        {view.events.length === 0 ? (
          <Text size="sm" c="dimmed">
            Nothing has happened yet.
          </Text>
        ) : (
          <ScrollArea.Autosize mah={180} type="auto">
            <Table aria-label={`Recent events of the ${name.toLowerCase()}`} data-testid="device-events">
              <Table.Tbody>
                {view.events.map((event, index) => (
                  <Table.Tr key={`${event.at}-${index}`}>
                    <Table.Td w={90} c="dimmed" fz="sm">
                      {format.time(event.at)}
                    </Table.Td>
                    <Table.Td fz="sm">{event.message}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea.Autosize>
        )}
      </Stack>
    </Paper>
  );
}
