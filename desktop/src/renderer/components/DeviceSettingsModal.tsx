import { Button, Divider, Group, NativeSelect, NumberInput, PasswordInput, SimpleGrid, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { DeviceConfig } from '../../core/contract';
import type { DeskApiError } from '../api';
import { useDeskMutation, useDeskQuery } from '../hooks/useDesk';
import { useFormValues } from '../hooks/useFormValues';
import { fieldErrors } from '../lib/field-errors';
import { notifyDone } from '../lib/notify';
import { deviceConfigKey, queryClient } from '../lib/query-client';
import { DEVICE_NAMES } from '../lib/device-names';
import { blankToNull, countText } from '../lib/text';
import { isPosScanner, isRelayBoard, portText, usbIds, usbIdText, type HidDevice, type Ports } from '../lib/usb';
import { ModalForm } from './ModalForm';
import { PortInput } from './PortInput';

/** Each kind a device can be, with its label and the settings a newly picked one starts from. */
type Kinds<T extends { kind: string }> = { [K in T['kind']]: { label: string; fresh: Extract<T, { kind: K }> } };

const FINGERPRINT: Kinds<DeviceConfig['fingerprint']> = {
  none: { label: 'None', fresh: { kind: 'none' } },
  simulator: { label: 'Simulator', fresh: { kind: 'simulator' } },
  serial: { label: 'R30x reader on a serial port', fresh: { kind: 'serial', path: '', baudRate: 57_600, password: 0 } },
  hid: { label: 'R30x reader over USB (HID)', fresh: { kind: 'hid', path: '' } },
};
const SCANNER: Kinds<DeviceConfig['scanner']> = {
  none: { label: 'None (a keyboard-wedge scanner needs no setup)', fresh: { kind: 'none' } },
  simulator: { label: 'Simulator', fresh: { kind: 'simulator' } },
  'hid-pos': { label: 'USB scanner in HID POS mode', fresh: { kind: 'hid-pos', vendorId: null, productId: null } },
};
const DOOR: Kinds<DeviceConfig['door']> = {
  none: { label: 'None', fresh: { kind: 'none' } },
  simulator: { label: 'Simulator', fresh: { kind: 'simulator' } },
  'hid-relay': { label: 'USB HID relay board', fresh: { kind: 'hid-relay', serial: null, relay: 1 } },
  tasmota: { label: 'Tasmota relay over MQTT', fresh: { kind: 'tasmota', topic: '' } },
  shelly: { label: 'Shelly relay over MQTT', fresh: { kind: 'shelly', prefix: '', switchId: 0 } },
  mqtt: { label: 'GymStack door controller over MQTT', fresh: { kind: 'mqtt', doorId: '', controllerId: '' } },
};
const MQTT: Kinds<DeviceConfig['mqtt']> = {
  off: { label: 'Off', fresh: { kind: 'off' } },
  embedded: { label: "The desk's own broker", fresh: { kind: 'embedded', host: '0.0.0.0', port: 1883, logins: [] } },
  external: { label: 'An external broker', fresh: { kind: 'external', url: '', username: null, password: null } },
};

/** The R30x talks at 9,600 × 1 to 12 baud. */
const BAUD_RATES = Array.from({ length: 12 }, (_, i) => String(9_600 * (i + 1)));

const FIELDS = [
  'fingerprint.path',
  'fingerprint.baudRate',
  'fingerprint.password',
  'scanner.vendorId',
  'scanner.productId',
  'door.serial',
  'door.relay',
  'door.topic',
  'door.prefix',
  'door.switchId',
  'door.doorId',
  'door.controllerId',
  'doorPulseMs',
  'mqtt.host',
  'mqtt.port',
  'mqtt.url',
  'mqtt.username',
  'mqtt.password',
];

/** A blank number box is sent as is, so the core says what is missing beside it. */
const numberOf = (value: number | string): number => (typeof value === 'number' ? value : Number.NaN);

const usbIdBoxText = (id: number | null): string => (id === null ? '' : usbIdText(id));

/** The id a USB id box means: null when blank, NaN when not hex (sent as is for the core to refuse). */
function parseUsbId(text: string): number | null {
  const typed = text.trim();
  return typed === '' ? null : /^[0-9a-f]{1,4}$/i.test(typed) ? parseInt(typed, 16) : Number.NaN;
}

/**
 * A USB vendor or product id typed as `lsusb` prints it (4 hex digits); blank for any. Kept as typed,
 * since its number would reformat the box mid-typing.
 */
function UsbIdInput({ label, value, onChange, error }: { label: string; value: number | null; onChange: (id: number | null) => void; error?: string }) {
  const [text, setText] = useState(() => usbIdBoxText(value));
  // An id set from outside (a plugged-in scanner picked) replaces what was typed.
  if (!Object.is(parseUsbId(text), value)) setText(usbIdBoxText(value));
  return (
    <TextInput
      label={label}
      description="4 hex digits, as lsusb shows; blank for any"
      placeholder="0c2e"
      ff="monospace"
      value={text}
      onChange={(e) => {
        setText(e.currentTarget.value);
        onChange(parseUsbId(e.currentTarget.value));
      }}
      error={error}
    />
  );
}

/** Fills the scanner's ids from a plugged-in scanner in HID POS mode. */
function ScannerPicker({ devices, scanner, onPick }: { devices: readonly HidDevice[]; scanner: { vendorId: number | null; productId: number | null }; onPick: (ids: { vendorId: number; productId: number }) => void }) {
  // A scanner can show as several HID interfaces: one choice per model.
  const scanners = new Map(devices.filter(isPosScanner).map((device) => [usbIds(device.vendorId, device.productId), device]));
  const { vendorId, productId } = scanner;
  const picked = vendorId !== null && productId !== null ? usbIds(vendorId, productId) : '';
  const options = [...scanners].map(([value, device]) => ({ value, label: portText(device) }));
  return (
    <NativeSelect
      label="Plugged-in scanner"
      description="Picking one fills in its ids"
      data={[{ value: '', label: options.length > 0 ? 'Pick one' : 'None found in HID POS mode' }, ...options]}
      value={scanners.has(picked) ? picked : ''}
      onChange={(e) => {
        const device = scanners.get(e.currentTarget.value);
        if (device) onPick({ vendorId: device.vendorId, productId: device.productId });
      }}
      data-testid="device-settings-scanner-pick"
    />
  );
}

/** What is plugged into this PC, offered by the fields below; Refresh lists it again after plugging something in. */
function PluggedIn({ ports, error, refreshing, onRefresh }: { ports: Ports | undefined; error: DeskApiError | null; refreshing: boolean; onRefresh: () => void }) {
  const status = error
    ? `Could not list what is plugged in: ${error.message}`
    : ports
      ? `Plugged into this PC: ${countText(ports.serial.length, 'serial port')}, ${countText(ports.hid.length, 'USB HID device')}`
      : 'Listing what is plugged in…';
  return (
    <Group justify="space-between" wrap="nowrap">
      <Text size="sm" c={error ? 'red' : 'dimmed'} data-testid="device-ports">
        {status}
      </Text>
      <Button variant="subtle" size="compact-sm" loading={refreshing} onClick={onRefresh} data-testid="device-ports-refresh">
        Refresh
      </Button>
    </Group>
  );
}

/** Picks a device's kind; going back to the saved kind brings back its saved settings. */
function KindSelect<T extends { kind: string }>(props: { label: string; kinds: Kinds<T>; value: T; saved: T; onChange: (value: T) => void; testId: string }) {
  const { label, kinds, value, saved, onChange, testId } = props;
  const options = (Object.keys(kinds) as T['kind'][]).map((kind) => ({ value: kind, label: kinds[kind].label }));
  return (
    <NativeSelect
      label={label}
      data={options}
      value={value.kind}
      onChange={(e) => {
        const kind = e.currentTarget.value as T['kind'];
        onChange(kind === saved.kind ? saved : (kinds[kind].fresh as T));
      }}
      data-testid={testId}
    />
  );
}

/** Which devices the desk drives and how it reaches them; saving restarts them with the new settings. */
export function DeviceSettingsModal({ config, onClose }: { config: DeviceConfig; onClose: () => void }) {
  const { values, set } = useFormValues(() => config);
  const configure = useDeskMutation('devices/configure');
  const errors = fieldErrors(configure.error, FIELDS);
  const { fingerprint, scanner, door, mqtt } = values;
  const usesPorts = fingerprint.kind === 'serial' || fingerprint.kind === 'hid' || scanner.kind === 'hid-pos' || door.kind === 'hid-relay';
  // What is plugged in changes under the desk: list it afresh each time the modal opens.
  const ports = useDeskQuery('devices/ports', {}, { enabled: usesPorts, staleTime: 0 });
  const relayBoards = ports.data?.hid.filter(isRelayBoard).length;

  const save = () =>
    configure.mutate(values, {
      onSuccess: (saved) => {
        queryClient.setQueryData(deviceConfigKey, saved);
        notifyDone('Device settings saved: the devices restart with them');
        onClose();
      },
    });

  return (
    <ModalForm title="Device settings" size="lg" onClose={onClose} onSubmit={save} submitLabel="Save device settings" submitTestId="device-settings-save" pending={configure.isPending} error={errors.form}>
      {usesPorts && <PluggedIn ports={ports.data} error={ports.error} refreshing={ports.isFetching} onRefresh={() => void ports.refetch()} />}
      <KindSelect label={DEVICE_NAMES.fingerprint} kinds={FINGERPRINT} value={fingerprint} saved={config.fingerprint} onChange={(v) => set('fingerprint', v)} testId="device-settings-fingerprint" />
      {fingerprint.kind === 'serial' && (
        <SimpleGrid cols={3} spacing="sm">
          <PortInput
            label="Serial port"
            placeholder="/dev/ttyUSB0 or COM3"
            ports={ports.data?.serial ?? []}
            value={fingerprint.path}
            onChange={(path) => set('fingerprint', { ...fingerprint, path })}
            error={errors.field('fingerprint.path')}
          />
          <NativeSelect
            label="Baud rate"
            data={BAUD_RATES}
            value={String(fingerprint.baudRate)}
            onChange={(e) => set('fingerprint', { ...fingerprint, baudRate: Number(e.currentTarget.value) })}
            error={errors.field('fingerprint.baudRate')}
          />
          <NumberInput
            label="Reader password"
            description="0 unless it was changed"
            allowDecimal={false}
            allowNegative={false}
            value={fingerprint.password}
            onChange={(v) => set('fingerprint', { ...fingerprint, password: numberOf(v) })}
            error={errors.field('fingerprint.password')}
          />
        </SimpleGrid>
      )}
      {fingerprint.kind === 'hid' && (
        <PortInput
          label="Reader's HID path"
          ports={ports.data?.hid ?? []}
          value={fingerprint.path}
          onChange={(path) => set('fingerprint', { ...fingerprint, path })}
          error={errors.field('fingerprint.path')}
        />
      )}

      <Divider />
      <KindSelect label={DEVICE_NAMES.scanner} kinds={SCANNER} value={scanner} saved={config.scanner} onChange={(v) => set('scanner', v)} testId="device-settings-scanner" />
      {scanner.kind === 'hid-pos' && (
        <SimpleGrid cols={3} spacing="sm">
          <ScannerPicker devices={ports.data?.hid ?? []} scanner={scanner} onPick={(ids) => set('scanner', { ...scanner, ...ids })} />
          <UsbIdInput label="Vendor id" value={scanner.vendorId} onChange={(vendorId) => set('scanner', { ...scanner, vendorId })} error={errors.field('scanner.vendorId')} />
          <UsbIdInput label="Product id" value={scanner.productId} onChange={(productId) => set('scanner', { ...scanner, productId })} error={errors.field('scanner.productId')} />
        </SimpleGrid>
      )}

      <Divider />
      <KindSelect label={DEVICE_NAMES.door} kinds={DOOR} value={door} saved={config.door} onChange={(v) => set('door', v)} testId="device-settings-door" />
      {door.kind === 'hid-relay' && (
        <SimpleGrid cols={2} spacing="sm">
          <TextInput
            label="Relay board's serial"
            description={`Blank: the first board found${relayBoards === undefined ? '' : ` (${countText(relayBoards, 'board')} plugged in)`}`}
            value={door.serial ?? ''}
            onChange={(e) => set('door', { ...door, serial: blankToNull(e.currentTarget.value) })}
            error={errors.field('door.serial')}
          />
          <NumberInput label="Relay" description="1 to 8" min={1} max={8} allowDecimal={false} value={door.relay} onChange={(v) => set('door', { ...door, relay: numberOf(v) })} error={errors.field('door.relay')} />
        </SimpleGrid>
      )}
      {door.kind === 'tasmota' && (
        <TextInput label="Tasmota topic" value={door.topic} onChange={(e) => set('door', { ...door, topic: e.currentTarget.value })} error={errors.field('door.topic')} />
      )}
      {door.kind === 'shelly' && (
        <SimpleGrid cols={2} spacing="sm">
          <TextInput label="Shelly topic prefix" value={door.prefix} onChange={(e) => set('door', { ...door, prefix: e.currentTarget.value })} error={errors.field('door.prefix')} />
          <NumberInput label="Switch" description="0 to 3" min={0} max={3} allowDecimal={false} value={door.switchId} onChange={(v) => set('door', { ...door, switchId: numberOf(v) })} error={errors.field('door.switchId')} />
        </SimpleGrid>
      )}
      {door.kind === 'mqtt' && (
        <SimpleGrid cols={2} spacing="sm">
          <TextInput
            label="Controller id"
            value={door.controllerId}
            onChange={(e) => set('door', { ...door, controllerId: e.currentTarget.value })}
            error={errors.field('door.controllerId')}
          />
          <TextInput label="Door id" value={door.doorId} onChange={(e) => set('door', { ...door, doorId: e.currentTarget.value })} error={errors.field('door.doorId')} />
        </SimpleGrid>
      )}
      {door.kind !== 'none' && (
        <NumberInput
          label="Door opens for (seconds)"
          description="On each allowed check-in"
          min={0.2}
          max={30}
          step={0.5}
          decimalScale={1}
          value={values.doorPulseMs / 1000}
          onChange={(v) => set('doorPulseMs', Math.round(numberOf(v) * 1000))}
          error={errors.field('doorPulseMs')}
        />
      )}

      <Divider />
      <KindSelect label={DEVICE_NAMES.mqtt} kinds={MQTT} value={mqtt} saved={config.mqtt} onChange={(v) => set('mqtt', v)} testId="device-settings-mqtt" />
      {mqtt.kind === 'embedded' && (
        <SimpleGrid cols={2} spacing="sm">
          <TextInput
            label="Listen on"
            description="0.0.0.0: every network of this PC"
            value={mqtt.host}
            onChange={(e) => set('mqtt', { ...mqtt, host: e.currentTarget.value })}
            error={errors.field('mqtt.host')}
          />
          <NumberInput label="Port" min={0} max={65_535} allowDecimal={false} value={mqtt.port} onChange={(v) => set('mqtt', { ...mqtt, port: numberOf(v) })} error={errors.field('mqtt.port')} />
        </SimpleGrid>
      )}
      {mqtt.kind === 'external' && (
        <SimpleGrid cols={3} spacing="sm">
          <TextInput
            label="Broker URL"
            placeholder="mqtts://broker.example:8883"
            required
            value={mqtt.url}
            onChange={(e) => set('mqtt', { ...mqtt, url: e.currentTarget.value })}
            error={errors.field('mqtt.url')}
          />
          <TextInput
            label="Username"
            autoComplete="off"
            value={mqtt.username ?? ''}
            onChange={(e) => set('mqtt', { ...mqtt, username: blankToNull(e.currentTarget.value) })}
            error={errors.field('mqtt.username')}
          />
          <PasswordInput
            label="Password"
            autoComplete="new-password"
            value={mqtt.password ?? ''}
            onChange={(e) => set('mqtt', { ...mqtt, password: e.currentTarget.value === '' ? null : e.currentTarget.value })}
            error={errors.field('mqtt.password')}
          />
        </SimpleGrid>
      )}
    </ModalForm>
  );
}
