import { type MessagePort, MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeskEvent } from '../contract.js';
import { type Channel, connectOverChannel, serveOverChannel } from './channel.js';
import type { DeskEndpoint } from './types.js';

const channelOf = (port: MessagePort): Channel => ({ post: (m) => port.postMessage(m), onMessage: (l) => port.on('message', l) });

let ports: MessageChannel;
afterEach(() => {
  ports.port1.close();
});

function connect(core: DeskEndpoint) {
  ports = new MessageChannel();
  serveOverChannel(core, channelOf(ports.port2));
  return connectOverChannel(channelOf(ports.port1));
}

describe('the handler API over a message channel', () => {
  it('matches concurrent replies to their calls and forwards events', async () => {
    let emit: (e: DeskEvent) => void = () => undefined;
    const client = connect({
      // Later calls answer first, so a mix-up of ids would show.
      dispatch: (name, args) => new Promise((resolve) => setTimeout(() => resolve({ ok: true, data: { name, args } }), 30 - Number(args))),
      onEvent: (listener) => {
        emit = listener;
        return () => undefined;
      },
    });
    const replies = await Promise.all([0, 10, 20].map((n) => client.dispatch('members/search', n)));
    expect(replies.map((r) => r.ok && r.data)).toEqual([0, 10, 20].map((n) => ({ name: 'members/search', args: n })));

    const events: DeskEvent[] = [];
    const unsubscribe = client.onEvent((e) => events.push(e));
    const arrived = new Promise((resolve) => client.onEvent(resolve));
    emit({ type: 'session', staff: null });
    await arrived;
    unsubscribe();
    expect(events).toEqual([{ type: 'session', staff: null }]);
  });

  it('answers pending and later calls with INTERNAL once the core is gone', async () => {
    const client = connect({ dispatch: () => new Promise(() => undefined), onEvent: () => () => undefined });
    const pending = client.dispatch('checkins/create', {});
    client.fail('The desk core stopped');
    const gone = { ok: false, error: { code: 'INTERNAL', message: 'The desk core stopped' } };
    expect(await pending).toEqual(gone);
    expect(await client.dispatch('members/search', {})).toEqual(gone);
  });
});
