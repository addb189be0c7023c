/**
 * The process the crash test kills: a real core on a fresh data dir, served by the browser-mode
 * server. Sets up a desk with members and a logged-in front-desk session, then prints one JSON line.
 */
import { initDesk, openCore } from '@gymstack/desktop/core';
import { startBrowserServer } from '@gymstack/desktop/transport';

const [dataDir, memberCount] = process.argv.slice(2);
if (!dataDir || !memberCount) throw new Error('usage: desk-server.ts <dataDir> <memberCount>');

await initDesk({
  dataDir,
  gym: { name: 'Crash Test Gym', legalName: 'Crash Test Gym LLP', address: 'MG Road, Bengaluru', stateCode: '29' },
  branch: { name: 'MG Road' },
  owner: { name: 'Owner', pin: '1111' },
});
const core = await openCore({ dataDir });
const [owner] = await core.call('auth/staff', {});
if (!owner) throw new Error('initDesk made no owner');
await core.call('auth/login', { staffId: owner.id, pin: '1111' });
const memberIds: string[] = [];
for (let i = 0; i < Number(memberCount); i++) {
  const member = await core.call('members/create', { fullName: `Member ${i}`, phone: `+9198${String(10_000_000 + i)}` });
  memberIds.push(member.id);
}

const server = await startBrowserServer({ core, port: 0, staticDir: dataDir });
process.stdout.write(`${JSON.stringify({ port: server.port, token: server.token, memberIds })}\n`);
