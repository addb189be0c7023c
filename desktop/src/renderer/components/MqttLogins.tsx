import { Button, Group, NativeSelect, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import type { DeviceConfig, HandlerResult } from '../../core/contract';
import { useDeskMutation } from '../hooks/useDesk';
import { useFormValues } from '../hooks/useFormValues';
import { MQTT_LOGIN_NAMES, type MqttLoginKind } from '../lib/device-names';
import { fieldErrors } from '../lib/field-errors';
import { deviceConfigKey, queryClient } from '../lib/query-client';
import { ModalForm } from './ModalForm';
import { MqttPasswordModal } from './MqttPasswordModal';
import { RowRemoveButton } from './RowRemoveButton';

type Login = Extract<DeviceConfig['mqtt'], { kind: 'embedded' }>['logins'][number];
type Dialog = { kind: 'new' } | { kind: 'made'; login: HandlerResult<'devices/mqttLogin'> } | { kind: 'remove'; login: Login };

const KIND_OPTIONS = (Object.keys(MQTT_LOGIN_NAMES) as MqttLoginKind[]).map((kind) => ({ value: kind, label: MQTT_LOGIN_NAMES[kind] }));

function NewLoginModal({ onMade, onClose }: { onMade: (login: HandlerResult<'devices/mqttLogin'>) => void; onClose: () => void }) {
  const { values, set, text } = useFormValues(() => ({ kind: 'bridge' as MqttLoginKind, deviceId: '' }));
  const make = useDeskMutation('devices/mqttLogin');
  const errors = fieldErrors(make.error, ['kind', 'deviceId']);
  const submit = () =>
    make.mutate(values, {
      onSuccess: (login) => {
        // The core saved the login into the device settings (and restarted the devices): list it.
        void queryClient.invalidateQueries({ queryKey: deviceConfigKey });
        onMade(login);
      },
    });
  return (
    <ModalForm title="Add a device login" onClose={onClose} onSubmit={submit} submitLabel="Make login" submitTestId="mqtt-login-make" pending={make.isPending} error={errors.form}>
      <NativeSelect
        label="Device"
        data={KIND_OPTIONS}
        value={values.kind}
        onChange={(e) => set('kind', e.currentTarget.value as MqttLoginKind)}
        error={errors.field('kind')}
        data-testid="mqtt-login-kind"
      />
      <TextInput
        label="Device id"
        description="As set on the device: a Tasmota's topic, a Shelly's topic prefix"
        autoComplete="off"
        data-autofocus
        {...text('deviceId')}
        error={errors.field('deviceId')}
        data-testid="mqtt-login-device-id"
      />
    </ModalForm>
  );
}

function RemoveLoginModal({ login, rest, onClose }: { login: Login; rest: DeviceConfig; onClose: () => void }) {
  const configure = useDeskMutation('devices/configure');
  const remove = () =>
    configure.mutate(rest, {
      onSuccess: (saved) => {
        queryClient.setQueryData(deviceConfigKey, saved);
        onClose();
      },
    });
  return (
    <ModalForm
      title={`Remove the login ${login.username}?`}
      onClose={onClose}
      onSubmit={remove}
      submitLabel="Remove login"
      submitColor="red"
      submitTestId="mqtt-login-remove-confirm"
      pending={configure.isPending}
      error={configure.error?.message ?? null}
    >
      <Text>
        {MQTT_LOGIN_NAMES[login.kind]} {login.deviceId} can no longer log in to the desk's broker until it gets a new login. The devices restart without it.
      </Text>
    </ModalForm>
  );
}

/** The LAN devices' own logins on the desk's broker, while the desk runs one: add one (its password shown once), or remove one. */
export function MqttLogins({ config, broker }: { config: DeviceConfig; broker: string | undefined }) {
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const { mqtt } = config;
  if (mqtt.kind !== 'embedded') return null;
  const close = () => setDialog(null);
  const without = (login: Login): DeviceConfig => ({ ...config, mqtt: { ...mqtt, logins: mqtt.logins.filter((l) => l.username !== login.username) } });

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-label="MQTT device logins" data-testid="mqtt-logins">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} size="h4">
            MQTT device logins
          </Title>
          <Button variant="light" onClick={() => setDialog({ kind: 'new' })} data-testid="mqtt-login-new">
            Add a device login
          </Button>
        </Group>
        <Text c="dimmed">Each bridge PC, door controller, relay and screen on the LAN logs in to the desk's broker with its own username and password.</Text>
        {mqtt.logins.length === 0 ? (
          <Text c="dimmed">No device logins yet.</Text>
        ) : (
          <Table striped aria-label="MQTT device logins" data-testid="mqtt-login-list">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Username</Table.Th>
                <Table.Th>Device</Table.Th>
                <Table.Th>Device id</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {mqtt.logins.map((login) => (
                <Table.Tr key={login.username} data-testid="mqtt-login-row">
                  <Table.Td ff="monospace">{login.username}</Table.Td>
                  <Table.Td>{MQTT_LOGIN_NAMES[login.kind]}</Table.Td>
                  <Table.Td ff="monospace">{login.deviceId}</Table.Td>
                  <Table.Td ta="right">
                    <RowRemoveButton label={`Remove the login ${login.username}`} testId="mqtt-login-remove" onClick={() => setDialog({ kind: 'remove', login })} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
      {dialog?.kind === 'new' && <NewLoginModal onMade={(login) => setDialog({ kind: 'made', login })} onClose={close} />}
      {dialog?.kind === 'made' && <MqttPasswordModal login={dialog.login} broker={broker} onClose={close} />}
      {dialog?.kind === 'remove' && <RemoveLoginModal login={dialog.login} rest={without(dialog.login)} onClose={close} />}
    </Paper>
  );
}
