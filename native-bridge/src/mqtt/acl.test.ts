import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@gymstack/shared';
import { bridgeAcl, controllerOf, deskAcl, mayPublish, maySubscribe, tasmotaAcl } from './acl.js';
import { filterCovers, wildcardLevels } from './topic-filter.js';
import { branchTopics } from './topics.js';

const scope = { gymId: 'g1', branchId: 'b1' };
const t = branchTopics(scope);

describe('filterCovers', () => {
  it.each([
    ['a/+/c', 'a/b/c', true],
    ['a/+/c', 'a/b/d', false],
    ['a/#', 'a', true],
    ['a/#', 'a/b/c', true],
    ['a/+', 'a/b/c', false],
    ['a/+', 'a/+', true],
    ['a/+', 'a/#', false],
    ['a/b', 'a/+', false],
    ['#', '$SYS/broker/uptime', false],
    ['+/broker', '$SYS/broker', false],
  ])('%s covers %s: %s', (allowed, requested, covers) => {
    expect(filterCovers(allowed, requested)).toBe(covers);
  });

  it('gives the levels behind each +', () => {
    expect(wildcardLevels(t.anyBridgeIdentify, t.bridgeIdentify('pc-2'))).toEqual(['pc-2']);
    expect(wildcardLevels(t.anyBridgeIdentify, t.checkins)).toBeNull();
  });
});

describe('branchTopics', () => {
  it('builds topics under gymstack/{gym}/{branch}', () => {
    expect(t.checkins).toBe('gymstack/g1/b1/checkins');
    expect(t.doorCommand('front')).toBe('gymstack/g1/b1/doors/front/cmd');
    expect(t.doorState('front')).toBe('gymstack/g1/b1/doors/front/state');
    expect(t.deviceStatus('desk-1')).toBe('gymstack/g1/b1/devices/desk-1/status');
    expect(t.bridgeIdentify('pc-2')).toBe('gymstack/g1/b1/bridges/pc-2/identify');
    expect(t.bridgeResult('pc-2')).toBe('gymstack/g1/b1/bridges/pc-2/result');
  });

  it.each(['a/b', 'a+', '#', '', '$SYS'])('refuses the id %j', (id) => {
    expect(() => t.doorCommand(id)).toThrow(expect.objectContaining({ code: ErrorCode.ValidationError }));
    expect(() => branchTopics({ gymId: id, branchId: 'b1' })).toThrow(expect.objectContaining({ code: ErrorCode.ValidationError }));
  });
});

describe('ACLs', () => {
  it('lets a bridge publish only its own identify and presence', () => {
    const acl = bridgeAcl(scope, 'pc-1');
    expect(mayPublish(acl, t.bridgeIdentify('pc-1'))).toBe(true);
    expect(mayPublish(acl, t.deviceStatus('pc-1'))).toBe(true);
    expect(mayPublish(acl, t.bridgeIdentify('pc-2'))).toBe(false);
    expect(mayPublish(acl, t.checkins)).toBe(false);
    expect(mayPublish(acl, t.deviceStatus('desk-1'))).toBe(false);
    expect(maySubscribe(acl, t.bridgeResult('pc-1'))).toBe(true);
    expect(maySubscribe(acl, t.anyBridgeIdentify)).toBe(false);
    expect(maySubscribe(acl, 'gymstack/g1/b1/#')).toBe(false);
  });

  it('keeps the desk inside its branch', () => {
    const acl = deskAcl(scope);
    expect(mayPublish(acl, t.doorCommand('front'))).toBe(true);
    expect(maySubscribe(acl, t.anyBridgeIdentify)).toBe(true);
    expect(mayPublish(acl, 'gymstack/g1/b2/checkins')).toBe(false);
    expect(maySubscribe(acl, 'gymstack/#')).toBe(false);
  });

  it('gives the desk the mirror of a Tasmota device', () => {
    const device = tasmotaAcl('door1');
    const desk = controllerOf(device);
    expect(mayPublish(device, 'stat/door1/POWER')).toBe(true);
    expect(mayPublish(device, 'cmnd/door1/POWER')).toBe(false);
    expect(mayPublish(device, 'stat/door2/POWER')).toBe(false);
    expect(mayPublish(desk, 'cmnd/door1/PulseTime')).toBe(true);
    expect(maySubscribe(desk, 'tele/door1/LWT')).toBe(true);
  });
});
