import { Alert, Anchor, Badge, Button, Group, Loader, Pagination, Stack, Table, Text } from '@mantine/core';
import { keepPreviousData, type UseQueryResult } from '@tanstack/react-query';
import { type NotificationStatus, type NotificationView, notificationTemplateText } from '@gymstack/shared';
import type { HandlerArgs, HandlerResult } from '../../core/contract';
import type { DeskApiError } from '../api';
import { useDeskMutation, useDeskQuery } from '../hooks/useDesk';
import { useFormat } from '../hooks/useDeskInfo';
import { useNavigation } from '../hooks/useNavigation';
import { useHasRole } from '../hooks/useStaff';
import { notifyDone, notifyFailure } from '../lib/notify';
import { invalidatePrefixes } from '../lib/query-client';
import { ErrorAlert } from './ErrorAlert';

type Messages = HandlerResult<'messages/list'>;

export const MESSAGE_STATUS: Record<NotificationStatus, { color: string; label: string }> = {
  queued: { color: 'gray', label: 'Queued' },
  sent: { color: 'blue', label: 'Sent' },
  delivered: { color: 'teal', label: 'Delivered' },
  read: { color: 'green', label: 'Read' },
  failed: { color: 'orange', label: 'Failed, retrying' },
  dead: { color: 'red', label: 'Dead' },
  simulated: { color: 'violet', label: 'Simulated' },
  cancelled: { color: 'dark', label: 'Cancelled' },
  skipped: { color: 'yellow', label: 'Skipped' },
};

/** The cloud sends while the list is open: a queued message is seen going out without a reload. */
const REFRESH_MS = 30_000;

/** A page of the cloud's messages, kept on screen while the next page or filter loads. */
export function useMessages<N extends 'messages/list' | 'messages/member'>(name: N, args: HandlerArgs<N>) {
  return useDeskQuery(name, args, { placeholderData: keepPreviousData, refetchInterval: REFRESH_MS });
}

/** When it went out, or when it will: a message due in quiet hours waits for their end. */
function when(message: NotificationView, format: ReturnType<typeof useFormat>): string {
  const sent = message.sentAt ?? message.createdAt;
  switch (message.status) {
    case 'queued':
      // Due ones wait at most for the cloud's next minute tick.
      return Date.parse(message.sendAfter) > Date.now() ? `Sends ${format.dateTime(message.sendAfter)}` : 'Going out now';
    case 'failed':
      return `Next try ${format.dateTime(message.sendAfter)}`;
    case 'sent':
    case 'simulated':
      return `Sent ${format.dateTime(sent)}`;
    case 'delivered':
      return `Delivered ${format.dateTime(message.deliveredAt ?? sent)}`;
    case 'read':
      return `Read ${format.dateTime(message.readAt ?? sent)}`;
    case 'dead':
    case 'cancelled':
    case 'skipped':
      return `Due ${format.date(message.dueOn)}`;
  }
}

function RetryButton({ message }: { message: NotificationView }) {
  const retry = useDeskMutation('messages/retry');
  const label = notificationTemplateText[message.template];
  return (
    <Button
      size="compact-sm"
      variant="light"
      loading={retry.isPending}
      aria-label={`Retry: ${label} to ${message.memberName}`}
      onClick={() =>
        retry.mutate(
          { messageId: message.id },
          {
            onSuccess: () => {
              void invalidatePrefixes(['messages/']);
              notifyDone(`${label} to ${message.memberName} is queued again`);
            },
            onError: notifyFailure('Not retried'),
          },
        )
      }
      data-testid="message-retry"
    >
      Retry
    </Button>
  );
}

function MessageRow({ message, showMember, canRetry }: { message: NotificationView; showMember: boolean; canRetry: boolean }) {
  const format = useFormat();
  const { navigate } = useNavigation();
  const look = MESSAGE_STATUS[message.status];
  return (
    <Table.Tr data-testid="message-row">
      {showMember && (
        <Table.Td>
          <Anchor component="button" fw={600} onClick={() => navigate({ screen: 'member', memberId: message.memberId })} data-testid="message-member">
            {message.memberName}
          </Anchor>
        </Table.Td>
      )}
      <Table.Td maw={420}>
        <Text fw={600} data-testid="message-template">
          {notificationTemplateText[message.template]}
        </Text>
        {message.body && (
          <Text size="sm" c="dimmed" lineClamp={2} title={message.body} data-testid="message-body">
            {message.body}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Badge color={look.color} variant="light" data-testid="message-status">
          {look.label}
        </Badge>
      </Table.Td>
      <Table.Td data-testid="message-when">{when(message, format)}</Table.Td>
      <Table.Td>
        {message.error ? (
          <Text size="sm" c={message.status === 'dead' || message.status === 'failed' ? 'red' : undefined}>
            {message.error}
            {message.status === 'dead' && ` (after ${message.attempts} tries)`}
          </Text>
        ) : (
          '—'
        )}
      </Table.Td>
      <Table.Td ta="right">{canRetry && message.status === 'dead' && <RetryButton message={message} />}</Table.Td>
    </Table.Tr>
  );
}

/** Offline is normal for a desk: the list then says it needs the cloud, and can be asked again. */
function NeedsCloud({ error, onRetry }: { error: DeskApiError; onRetry: () => void }) {
  return (
    <Alert color="yellow" title="Needs the cloud" data-testid="messages-need-cloud">
      <Stack gap="xs" align="flex-start">
        <Text size="sm">The cloud sends the WhatsApp messages and keeps them: a desk shows them while it can reach the cloud.</Text>
        <Text size="sm" c="dimmed">
          {error.message}
        </Text>
        {error.code === 'UNAVAILABLE' && (
          <Button size="compact-sm" variant="light" onClick={onRetry}>
            Try again
          </Button>
        )}
      </Stack>
    </Alert>
  );
}

interface MessageListProps {
  messages: UseQueryResult<Messages, DeskApiError>;
  page: number;
  perPage: number;
  onPage: (page: number) => void;
  /** The Member column, and its link to the profile: off on a member's own profile. */
  showMember: boolean;
}

/** WhatsApp messages from the cloud, a page at a time, with Retry on dead ones for managers. */
export function MessageList({ messages, page, perPage, onPage, showMember }: MessageListProps) {
  const canRetry = useHasRole('manager');
  const { data, error } = messages;
  if (error) {
    return error.code === 'NOT_PAIRED' || error.code === 'UNAVAILABLE' ? (
      <NeedsCloud error={error} onRetry={() => void messages.refetch()} />
    ) : (
      <ErrorAlert error={error} testId="messages-error" />
    );
  }
  if (!data) return <Loader aria-label="Loading messages" />;
  if (data.total === 0) {
    return (
      <Text c="dimmed" data-testid="messages-empty">
        No messages.
      </Text>
    );
  }
  return (
    <Stack gap="sm">
      <Table striped aria-label="WhatsApp messages" data-testid="messages-table">
        <Table.Thead>
          <Table.Tr>
            {showMember && <Table.Th>Member</Table.Th>}
            <Table.Th>Message</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>When</Table.Th>
            <Table.Th>Error</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {data.items.map((message) => (
            <MessageRow key={message.id} message={message} showMember={showMember} canRetry={canRetry} />
          ))}
        </Table.Tbody>
      </Table>
      <Group justify="space-between">
        <Text c="dimmed">
          {data.total} {data.total === 1 ? 'message' : 'messages'}
        </Text>
        <Pagination
          total={Math.max(1, Math.ceil(data.total / perPage))}
          value={page}
          onChange={onPage}
          getControlProps={(control) => ({ 'aria-label': `${control} page` })}
        />
      </Group>
    </Stack>
  );
}
