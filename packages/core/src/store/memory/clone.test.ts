import { describe, expect, it } from 'vitest';
import { clone } from './clone.js';

const record = () => ({
  id: 'v1',
  state: 'active',
  shortCode: undefined,
  version: 3,
  createdAt: new Date('2025-01-02T03:04:05.006Z'),
  limits: { trafficLimit: { totalBytes: 5e9 }, expiry: { kind: 'after-activation', seconds: 60 } },
  devices: [{ mac: 'aa:bb:cc:dd:ee:ff', label: 'phone', addedAt: new Date(0) }],
  meta: null,
});

describe('clone (memory store)', () => {
  it('copies records deeply: equal to structuredClone, sharing no object', () => {
    const original = record();
    const copy = clone(original);
    expect(copy).toStrictEqual(structuredClone(original));
    expect('shortCode' in copy).toBe(true);
    expect(copy.createdAt).toBeInstanceOf(Date);
    expect(copy.createdAt).not.toBe(original.createdAt);
    expect(copy.limits.trafficLimit).not.toBe(original.limits.trafficLimit);
    expect(copy.devices).not.toBe(original.devices);
    expect(copy.devices[0]).not.toBe(original.devices[0]);
    copy.devices[0]!.addedAt.setTime(5);
    copy.limits.expiry.seconds = 1;
    expect(original.devices[0]!.addedAt.getTime()).toBe(0);
    expect(original.limits.expiry.seconds).toBe(60);
  });

  it('keeps a __proto__ key as data and copies only own keys', () => {
    const meta = JSON.parse('{"__proto__": {"polluted": true}, "a": "1"}') as Record<string, unknown>;
    const copy = clone(meta);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(['__proto__', 'a']);
    expect((copy as { polluted?: boolean }).polluted).toBeUndefined();
    const inherited = Object.create({ inherited: 1 }) as Record<string, unknown>;
    inherited.own = 2;
    expect(clone({ x: inherited }).x).toStrictEqual(structuredClone({ x: inherited }).x);
  });

  it('falls back to structuredClone for other values, which still throws on functions', () => {
    const map = new Map([['k', { n: 1 }]]);
    const copy = clone({ map, bytes: new Uint8Array([1, 2]) });
    expect(copy.map).not.toBe(map);
    expect(copy.map.get('k')).toEqual({ n: 1 });
    expect(copy.map.get('k')).not.toBe(map.get('k'));
    expect(copy.bytes).toEqual(new Uint8Array([1, 2]));
    expect(() => clone({ f: () => 1 })).toThrow();
  });
});
