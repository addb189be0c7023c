import { Alert, Group, Select, Stack, Text, Title } from '@mantine/core';
import { type NotificationStatus, type NotificationTemplate, notificationStatuses, notificationTemplateText, notificationTemplates } from '@gymstack/shared';
import { MESSAGE_STATUS, MessageList, useMessages } from '../components/MessageList';
import { useNavigation } from '../hooks/useNavigation';
import { useHasRole } from '../hooks/useStaff';

const PAGE_SIZE = 25;
const STATUS_OPTIONS = notificationStatuses.map((status) => ({ value: status, label: MESSAGE_STATUS[status].label }));
const TEMPLATE_OPTIONS = notificationTemplates.map((template) => ({ value: template, label: notificationTemplateText[template] }));

interface Filters {
  status: NotificationStatus | null;
  template: NotificationTemplate | null;
  page: number;
}

function GymMessages(filters: Filters) {
  const { navigate } = useNavigation();
  const { status, template, page } = filters;
  const messages = useMessages('messages/list', { ...(status ? { status } : {}), ...(template ? { template } : {}), page, perPage: PAGE_SIZE });
  const show = (next: Partial<Filters>) => navigate({ screen: 'messages', ...filters, page: 1, ...next }, { replace: true });
  return (
    <Stack gap="md" data-testid="messages">
      <Title order={2}>Messages</Title>
      <Text c="dimmed">
        WhatsApp messages the cloud sends members: welcomes, renewal reminders, receipts and birthday wishes. Nothing is sent in quiet hours; a dead message
        gave up after its retries and can be sent again.
      </Text>
      <Group align="flex-end">
        <Select
          label="Status"
          placeholder="Any status"
          data={STATUS_OPTIONS}
          value={status}
          onChange={(value) => show({ status: value as NotificationStatus | null })}
          clearable
          w={220}
          data-testid="messages-status"
        />
        <Select
          label="Message"
          placeholder="Any message"
          data={TEMPLATE_OPTIONS}
          value={template}
          onChange={(value) => show({ template: value as NotificationTemplate | null })}
          clearable
          w={300}
          data-testid="messages-template"
        />
      </Group>
      <MessageList messages={messages} page={page} perPage={PAGE_SIZE} onPage={(next) => show({ page: next })} showMember />
    </Stack>
  );
}

/** The gym's WhatsApp messages as the cloud sent them (or, without provider credentials, simulated them). */
export function MessagesScreen(filters: Filters) {
  const manager = useHasRole('manager');
  if (!manager) return <Alert color="yellow">The gym's messages are followed up by a manager or the owner.</Alert>;
  return <GymMessages {...filters} />;
}
