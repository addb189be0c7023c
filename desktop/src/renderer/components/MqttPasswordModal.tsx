import { Alert, Button, CopyButton, Group, Modal, Stack, Text, TextInput } from '@mantine/core';

function CopyField({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <TextInput
      label={label}
      value={value}
      readOnly
      ff="monospace"
      rightSectionWidth={80}
      rightSection={
        <CopyButton value={value}>
          {({ copied, copy }) => (
            <Button size="compact-xs" variant="subtle" color={copied ? 'green' : undefined} onClick={copy} aria-label={`Copy the ${label.toLowerCase()}`}>
              {copied ? 'Copied' : 'Copy'}
            </Button>
          )}
        </CopyButton>
      }
      data-testid={testId}
    />
  );
}

/** A new device login's username and password, to set on the device: the password is shown this once. */
export function MqttPasswordModal({ login, broker, onClose }: { login: { username: string; password: string }; broker: string | undefined; onClose: () => void }) {
  return (
    // Only Done or the close button end it: a stray click outside must not lose a password that is never shown again.
    <Modal opened onClose={onClose} title="Device login made" closeOnClickOutside={false}>
      <Stack gap="sm">
        <Text>Set these on the device, so it can log in to the desk's broker.</Text>
        {broker && <Text data-testid="mqtt-login-broker">Broker: {broker}</Text>}
        <CopyField label="Username" value={login.username} testId="mqtt-login-username" />
        <CopyField label="Password" value={login.password} testId="mqtt-login-password" />
        <Alert color="yellow">The password is not shown again. If it is lost, make a new login for the same device: it replaces this one.</Alert>
        <Group justify="flex-end">
          <Button onClick={onClose} data-testid="mqtt-login-done">
            Done
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
