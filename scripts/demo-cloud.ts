/**
 * The demo's cloud: the real cloud service, started next to the desk on embedded Postgres (or
 * DATABASE_URL), holding the demo gym. On first run the owner signs the gym up, adds the team with
 * their desk PINs and the plans, and makes a pairing code; the desk pairs with it exactly as a gym's
 * desk would through its first-run screen (DESIGN 6).
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Cloud, loadConfig, startCloud } from '@gymstack/cloud';
import { DEMO_GYM, demoPlanInputs, openCore } from '@gymstack/desktop/core';
import { api } from './cloud-client.js';

/** The desk stores the cloud's address when it pairs, so the demo cloud keeps one port. */
const DEFAULT_PORT = 5174;

/** How the demo owner logs in to the cloud (the API docs at /docs, and later the dashboard). */
export const DEMO_OWNER = { email: 'owner@irontemple.example', phone: '+919822012345', password: 'iron-temple-demo' } as const;

interface Session {
  accessToken: string;
  gym: { id: string };
}

export async function startDemoCloud(dataDir: string): Promise<Cloud> {
  const config = loadConfig({
    ...process.env,
    GYMSTACK_DATA_DIR: path.join(dataDir, 'cloud'),
    PORT: process.env.GYMSTACK_CLOUD_PORT ?? String(DEFAULT_PORT),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  });
  return startCloud(config, (line) => console.log(`  ${line}`));
}

/** The owner's session: a sign-up on the first run, a login after (the gym is kept in the cloud's data). */
async function ownerSession(cloudUrl: string, marker: string): Promise<{ session: Session; created: boolean }> {
  if (existsSync(marker)) {
    return { session: await api<Session>(cloudUrl, 'POST', '/api/v1/auth/login', { body: { login: DEMO_OWNER.email, password: DEMO_OWNER.password } }), created: false };
  }
  const [owner] = DEMO_GYM.staff;
  // The sign-up takes no gym phone; the owner adds it in the gym's settings.
  const { phone: _phone, ...gym } = DEMO_GYM.gym;
  const session = await api<Session>(cloudUrl, 'POST', '/api/v1/gyms', {
    body: { gym, branch: DEMO_GYM.branch, owner: { name: owner.name, pin: owner.pin, ...DEMO_OWNER } },
  });
  writeFileSync(marker, `${JSON.stringify({ gymId: session.gym.id, owner: DEMO_OWNER.email })}\n`);
  return { session, created: true };
}

/** `seedDemo`'s `pair`: readies the demo gym in the cloud and pairs the desk in `deskDir` with it. */
export function pairWithDemoCloud(cloudUrl: string, dataDir: string): (deskDir: string) => Promise<void> {
  return async (deskDir) => {
    const { session, created } = await ownerSession(cloudUrl, path.join(dataDir, 'cloud', 'demo-gym.json'));
    const token = session.accessToken;
    if (created) {
      for (const person of DEMO_GYM.staff.slice(1)) await api(cloudUrl, 'POST', '/api/v1/staff', { token, body: person });
      for (const plan of demoPlanInputs()) await api(cloudUrl, 'POST', '/api/v1/plans', { token, body: plan });
    }
    const [branch] = await api<{ id: string }[]>(cloudUrl, 'GET', '/api/v1/branches', { token });
    if (!branch) throw new Error('The demo gym has no branch');
    const { code } = await api<{ code: string }>(cloudUrl, 'POST', '/api/v1/devices/pairing-codes', { token, body: { branchId: branch.id } });
    const core = await openCore({ dataDir: deskDir });
    try {
      await core.call('setup/pair', { cloudUrl, code, deskName: 'Front desk' });
    } finally {
      await core.close();
    }
  };
}
