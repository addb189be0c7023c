/**
 * The device side of the desk's handler API (DESIGN 7): which devices the desk drives, what they report,
 * and enrollment progress. Pure zod, so the renderer can import the types.
 */
import { fields } from '@gymstack/shared';
import { z } from 'zod';

const { id, instant } = fields;
const none = z.object({ kind: z.literal('none') });
/** The byte-exact simulators: the demo and tests run every flow on them. */
const simulator = z.object({ kind: z.literal('simulator') });
const mqttId = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'Letters, digits, _ . or -');
/** A USB id as its 4 hex digits are printed (`lsusb`): picks one model when several are plugged in. */
const usbId = z.number().int().min(0).max(0xffff).nullable().default(null);

export const mqttLoginKinds = ['bridge', 'door-controller', 'tasmota', 'shelly', 'monitor'] as const;
/** A device's own login on the desk's broker; its topics follow from its kind and id. */
export const mqttLoginSchema = z.object({
  username: mqttId,
  /** argon2id; the password itself is shown once, when the login is made. */
  passwordHash: z.string().min(1),
  kind: z.enum(mqttLoginKinds),
  /** The bridge's, controller's, screen's or device's id (Tasmota topic, Shelly prefix). */
  deviceId: mqttId,
});

export const deviceConfigSchema = z.object({
  fingerprint: z
    .discriminatedUnion('kind', [
      none,
      simulator,
      z.object({
        kind: z.literal('serial'),
        path: z.string().min(1),
        baudRate: z.number().int().positive().default(57_600),
        password: z.number().int().min(0).max(0xffff_ffff).default(0),
      }),
      /** The reader's HID device path, as the Devices screen lists it. */
      z.object({ kind: z.literal('hid'), path: z.string().min(1) }),
    ])
    .default({ kind: 'none' }),
  scanner: z
    .discriminatedUnion('kind', [none, simulator, z.object({ kind: z.literal('hid-pos'), vendorId: usbId, productId: usbId })])
    .default({ kind: 'none' }),
  door: z
    .discriminatedUnion('kind', [
      none,
      simulator,
      /** `serial` null: the first relay board found. */
      z.object({ kind: z.literal('hid-relay'), serial: z.string().min(1).nullable().default(null), relay: z.number().int().min(1).max(8).default(1) }),
      z.object({ kind: z.literal('tasmota'), topic: mqttId }),
      z.object({ kind: z.literal('shelly'), prefix: mqttId, switchId: z.number().int().min(0).max(3).default(0) }),
      /** A door controller on the LAN speaking GymStack's own `doors/{id}/cmd` topic. */
      z.object({ kind: z.literal('mqtt'), doorId: mqttId, controllerId: mqttId }),
    ])
    .default({ kind: 'none' }),
  /** How long an allowed check-in releases the door. */
  doorPulseMs: z.number().int().min(200).max(30_000).default(3_000),
  mqtt: z
    .discriminatedUnion('kind', [
      z.object({ kind: z.literal('off') }),
      /** The desk's own broker for its LAN; each device gets its own login. */
      z.object({
        kind: z.literal('embedded'),
        host: z.string().min(1).default('0.0.0.0'),
        port: z.number().int().min(0).max(65_535).default(1883),
        logins: z.array(mqttLoginSchema).default([]),
      }),
      z.object({ kind: z.literal('external'), url: z.url({ protocol: /^mqtts?$/ }), username: z.string().nullable().default(null), password: z.string().nullable().default(null) }),
    ])
    .default({ kind: 'off' }),
});
export type DeviceConfig = z.infer<typeof deviceConfigSchema>;

export const deviceKinds = ['fingerprint', 'scanner', 'door', 'mqtt'] as const;
export type DeviceKind = (typeof deviceKinds)[number];

const errorPayload = z.object({ code: z.string(), message: z.string() });

export const deviceViewSchema = z.object({
  device: z.enum(deviceKinds),
  /** What is configured, in words: "R30x reader on /dev/ttyUSB0 at 57,600 baud". */
  label: z.string(),
  state: z.enum(['off', 'connecting', 'connected', 'disconnected', 'error']),
  error: errorPayload.nullable(),
  /** Reader: pages used of capacity; door: open or closed; MQTT: the broker's address. */
  detail: z.string().nullable(),
  events: z.array(z.object({ at: instant, message: z.string() })),
});
export type DeviceView = z.infer<typeof deviceViewSchema>;

/** What is plugged in: serial ports and USB HID devices, for picking a reader, scanner or relay board. */
export const devicePortsSchema = z.object({
  serial: z.array(z.object({ path: z.string(), manufacturer: z.string().nullable(), vendorId: z.string().nullable(), productId: z.string().nullable() })),
  hid: z.array(
    z.object({
      path: z.string(),
      vendorId: z.number().int(),
      productId: z.number().int(),
      product: z.string().nullable(),
      manufacturer: z.string().nullable(),
      usagePage: z.number().int().nullable(),
    }),
  ),
});

export const fingerprintSchema = z.object({ id, consentedAt: instant, enrolledAt: instant, onReader: z.boolean() });
export type FingerprintView = z.infer<typeof fingerprintSchema>;

export const enrollProgressSchema = z.object({
  memberId: id,
  press: z.number().int().min(1).max(3),
  step: z.enum(['place', 'lift', 'captured']),
});
