import { randomBytes } from 'node:crypto';
import { hashBrokerPassword, listSerialPorts, nodeHidBinding } from '@gymstack/native-bridge';
import { AppError, ErrorCode, errors } from '@gymstack/shared';
import { PASS_TTL_SECONDS, signPass } from '@gymstack/shared/passes';
import type { Context } from '../context.js';
import { saveDeviceConfig } from '../devices/config.js';
import type { DeviceHub } from '../devices/hub.js';
import { listFingerprints } from '../devices/fingerprints.js';
import { findMember } from '../domain/members.js';
import { defineHandlers } from './types.js';

const hubOf = (ctx: Context): DeviceHub => {
  if (!ctx.devices) throw new AppError(ErrorCode.Unavailable, 'Devices are starting');
  return ctx.devices;
};

export const deviceHandlers = defineHandlers({
  'devices/list': {
    access: 'frontdesk',
    run: (ctx) => {
      const hub = hubOf(ctx);
      return { devices: hub.list(), simulated: hub.simulated };
    },
  },
  'devices/config': { access: 'manager', run: (ctx) => hubOf(ctx).config },
  'devices/ports': {
    access: 'manager',
    async run() {
      const [serial, hid] = await Promise.all([listSerialPorts(), nodeHidBinding.devices()]);
      return {
        serial,
        hid: hid.map((d) => ({ path: d.path, vendorId: d.vendorId, productId: d.productId, product: d.product ?? null, manufacturer: d.manufacturer ?? null, usagePage: d.usagePage ?? null })),
      };
    },
  },
  'devices/configure': {
    access: 'manager',
    async run(ctx, config) {
      saveDeviceConfig(ctx, config);
      await hubOf(ctx).reconfigure(config);
      return config;
    },
  },
  'devices/mqttLogin': {
    access: 'manager',
    async run(ctx, { kind, deviceId }) {
      const hub = hubOf(ctx);
      const { mqtt } = hub.config;
      if (mqtt.kind !== 'embedded') throw errors.conflict('Device logins are for the desk’s own broker: set MQTT to the embedded broker first');
      const username = `${kind}-${deviceId}`;
      const password = randomBytes(18).toString('base64url');
      const login = { username, passwordHash: await hashBrokerPassword(password), kind, deviceId };
      // A new login for the same device replaces the old one, whose password stops working.
      const config = { ...hub.config, mqtt: { ...mqtt, logins: [...mqtt.logins.filter((l) => l.username !== username), login] } };
      saveDeviceConfig(ctx, config);
      await hub.reconfigure(config);
      return { username, password };
    },
  },
  'devices/test': { access: 'frontdesk', run: async (ctx, { device }) => ({ message: await hubOf(ctx).test(device) }) },
  'devices/simulate': {
    access: 'frontdesk',
    async run(ctx, action) {
      await hubOf(ctx).simulate(action);
      return { ok: true as const };
    },
  },

  'fingerprints/enroll': { access: 'frontdesk', run: (ctx, { memberId }) => hubOf(ctx).enroll(memberId) },
  'fingerprints/cancel': {
    access: 'frontdesk',
    run(ctx) {
      hubOf(ctx).cancelEnroll();
      return { ok: true as const };
    },
  },
  'fingerprints/list': {
    access: 'frontdesk',
    run(ctx, { memberId }) {
      findMember(ctx, memberId);
      return listFingerprints(ctx, memberId);
    },
  },
  'fingerprints/remove': {
    access: 'frontdesk',
    async run(ctx, { memberId, fingerprintId }) {
      await hubOf(ctx).remove(memberId, fingerprintId);
      return { ok: true as const };
    },
  },

  'passes/issue': {
    access: 'frontdesk',
    run(ctx, { memberId }) {
      findMember(ctx, memberId);
      const keys = ctx.gymKeys;
      if (!keys) throw new AppError(ErrorCode.Unavailable, 'This desk has no pass key yet: it arrives from the cloud once the desk is online');
      const expiresAt = new Date(ctx.clock().getTime() + PASS_TTL_SECONDS * 1000);
      return { token: signPass({ memberId, expiresAt }, keys.pass), expiresAt: expiresAt.toISOString() };
    },
  },
});
