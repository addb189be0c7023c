/** Test helpers for a desk running the device simulators: enrolling, pressing and waiting for verdicts. */
import { expect } from 'vitest';
import type { CheckinRow } from '../contract.js';
import type { Core } from '../core.js';

type Press = { action: 'finger'; memberId: string } | { action: 'stranger' };

/** Enrolls a member's simulated finger, pressing it whenever the reader asks. */
export async function enrollFinger(core: Core, memberId: string) {
  const off = core.onEvent((e) => {
    if (e.type === 'enroll' && e.progress.step === 'place') void core.call('devices/simulate', { action: 'finger', memberId });
  });
  try {
    return await core.call('fingerprints/enroll', { memberId, consent: true });
  } finally {
    off();
  }
}

/** The next check-in the desk records, whatever made it. */
export function nextCheckin(core: Core): Promise<CheckinRow> {
  return new Promise((resolve) => {
    const off = core.onEvent((e) => {
      if (e.type !== 'checkin') return;
      off();
      resolve(e.checkin);
    });
  });
}

/**
 * A finger on the reader once its identify loop waits for one (two people cannot press within a blink:
 * while the loop waits for the last finger to lift, a press would pass for that finger still resting).
 * Resolves with the check-in it makes.
 */
export async function pressFinger(core: Core, press: Press): Promise<CheckinRow> {
  await expect.poll(async () => (await core.call('devices/list', {})).devices.find((d) => d.device === 'fingerprint')?.detail).toMatch(/^Ready for a finger/);
  const checkin = nextCheckin(core);
  await core.call('devices/simulate', press);
  return checkin;
}
