import { Alert, Badge, Button, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { SyncRejection } from '../../core/contract';
import { ModalForm } from '../components/ModalForm';
import { useDeskMutation, useDeskQuery } from '../hooks/useDesk';
import { useFormat } from '../hooks/useDeskInfo';
import { useHasRole } from '../hooks/useStaff';
import { invalidateAfter, invalidatePrefixes } from '../lib/query-client';
import { notifyDone, notifyError } from '../lib/notify';

/** After a resolve: the refusals and the status bar's counts, and whatever the refused change touched. */
const refreshAfterResolve = (rejection: SyncRejection) => Promise.all([invalidatePrefixes(['sync/']), invalidateAfter(rejection.name)]);

function DismissModal({ rejection, onClose }: { rejection: SyncRejection; onClose: () => void }) {
  const resolve = useDeskMutation('sync/resolve');
  return (
    <ModalForm
      title="Accept the cloud's version?"
      onClose={onClose}
      onSubmit={() =>
        resolve.mutate(
          { mutationId: rejection.mutationId, action: 'dismiss' },
          {
            onSuccess: () => {
              void refreshAfterResolve(rejection);
              notifyDone("The desk now has the cloud's version");
              onClose();
            },
          },
        )
      }
      submitLabel="Accept the cloud's version"
      submitColor="red"
      submitTestId="sync-dismiss-confirm"
      pending={resolve.isPending}
      error={resolve.error?.message ?? null}
    >
      <Text>
        The desk's change will be undone: <strong>{rejection.summary}</strong>
      </Text>
      <Text>The desk takes the cloud's data in its place. This cannot be undone; to keep the change, make it again once the cause is fixed.</Text>
    </ModalForm>
  );
}

function IssueRow({ rejection, onDismiss }: { rejection: SyncRejection; onDismiss: () => void }) {
  const format = useFormat();
  const resolve = useDeskMutation('sync/resolve');
  const retry = () =>
    resolve.mutate(
      { mutationId: rejection.mutationId, action: 'retry' },
      {
        onSuccess: () => {
          void refreshAfterResolve(rejection);
          notifyDone('Sent again with the next sync');
        },
        onError: notifyError,
      },
    );
  return (
    <Table.Tr data-testid={`sync-issue-${rejection.mutationId}`}>
      <Table.Td>
        <Text fw={600}>{rejection.summary}</Text>
        <Text size="xs" c="dimmed" ff="monospace">
          {rejection.name}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{format.dateTime(rejection.createdAt)}</Text>
        <Text size="xs" c="dimmed">
          refused {format.dateTime(rejection.rejectedAt)}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{rejection.message}</Text>
        <Badge color="gray" variant="light" ff="monospace" tt="none">
          {rejection.code}
        </Badge>
      </Table.Td>
      <Table.Td>
        <Group gap={6} wrap="nowrap">
          <Button size="compact-sm" variant="light" loading={resolve.isPending} onClick={retry} aria-label={`Try again: ${rejection.summary}`} data-testid="sync-retry">
            Try again
          </Button>
          <Button
            size="compact-sm"
            variant="subtle"
            color="red"
            disabled={resolve.isPending}
            onClick={onDismiss}
            aria-label={`Accept the cloud's version instead of: ${rejection.summary}`}
            data-testid="sync-dismiss"
          >
            Accept the cloud's version
          </Button>
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}

/** Changes the cloud refused (DESIGN 6): a manager retries each, or accepts the cloud's data instead. */
export function SyncIssuesScreen() {
  const manager = useHasRole('manager');
  const [dismissing, setDismissing] = useState<SyncRejection | null>(null);
  // Refetched on every `sync` event (see useDeskEvents), so the list follows the status bar's count.
  const rejections = useDeskQuery('sync/rejections', {}, { enabled: manager });

  if (!manager) return <Alert color="yellow">Refused changes are resolved by a manager or the owner.</Alert>;
  return (
    <Stack gap="md" data-testid="sync-issues">
      <Title order={2}>Sync issues</Title>
      <Text c="dimmed">
        The cloud refused these changes made at this desk. Try again once the cause is fixed, or accept the cloud's version to undo the desk's change.
      </Text>
      {rejections.error && <Alert color="red">{rejections.error.message}</Alert>}
      {rejections.isPending && !rejections.error && <Loader aria-label="Loading refused changes" />}
      {rejections.data?.length === 0 && (
        <Alert color="green" data-testid="sync-issues-empty">
          Nothing waiting: every change reached the cloud.
        </Alert>
      )}
      {rejections.data && rejections.data.length > 0 && (
        <Table striped aria-label="Refused changes">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>What the desk did</Table.Th>
              <Table.Th>When</Table.Th>
              <Table.Th>Why the cloud refused it</Table.Th>
              <Table.Th>Actions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rejections.data.map((rejection) => (
              <IssueRow key={rejection.mutationId} rejection={rejection} onDismiss={() => setDismissing(rejection)} />
            ))}
          </Table.Tbody>
        </Table>
      )}
      {dismissing && <DismissModal rejection={dismissing} onClose={() => setDismissing(null)} />}
    </Stack>
  );
}
