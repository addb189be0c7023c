import type { DeviceKind, HandlerArgs } from '../../core/contract';

export type MqttLoginKind = HandlerArgs<'devices/mqttLogin'>['kind'];

/** Each kind of device, as the desk names it to people. */
export const DEVICE_NAMES: Record<DeviceKind, string> = {
  fingerprint: 'Fingerprint reader',
  scanner: 'Code scanner',
  door: 'Door',
  mqtt: 'MQTT link',
};

/** Each kind of LAN device that logs in to the desk's own MQTT broker. */
export const MQTT_LOGIN_NAMES: Record<MqttLoginKind, string> = {
  bridge: 'Bridge PC',
  'door-controller': 'Door controller',
  tasmota: 'Tasmota relay',
  shelly: 'Shelly relay',
  monitor: 'Monitor screen',
};
