import { describe, expect, it } from 'vitest';
import { isHotspotKitError } from '../errors.js';
import { checkMac, isLocallyAdministered, normalizeMac, parseMac } from './parse-mac.js';

describe('normalizeMac', () => {
  // [as written, normalized, where people meet this form]
  const accepted: Array<[string, string, string]> = [
    ['a4:83:e7:12:34:56', 'a4:83:e7:12:34:56', 'Linux ip link, macOS ifconfig'],
    ['A4:83:E7:12:34:56', 'a4:83:e7:12:34:56', 'upper-case colons (MikroTik)'],
    ['A4-83-E7-12-34-56', 'a4:83:e7:12:34:56', 'Windows ipconfig /all, RADIUS Calling-Station-Id'],
    ['a4-83-e7-12-34-56', 'a4:83:e7:12:34:56', 'lower-case hyphens'],
    ['a483.e712.3456', 'a4:83:e7:12:34:56', 'Cisco IOS dotted'],
    ['A483.E712.3456', 'a4:83:e7:12:34:56', 'Cisco dotted, upper case'],
    ['a483-e712-3456', 'a4:83:e7:12:34:56', 'Huawei / H3C groups of four'],
    ['a483e7-123456', 'a4:83:e7:12:34:56', 'HP ProCurve groups of six'],
    ['a483e7123456', 'a4:83:e7:12:34:56', 'bare hex (many NAS, databases)'],
    ['A483E7123456', 'a4:83:e7:12:34:56', 'bare upper-case hex'],
    ['a4 83 e7 12 34 56', 'a4:83:e7:12:34:56', 'space separated (copied from a label)'],
    ['a4.83.e7.12.34.56', 'a4:83:e7:12:34:56', 'dotted pairs'],
    ['  a4:83:e7:12:34:56\n', 'a4:83:e7:12:34:56', 'surrounding white space'],
    ['0:1b:63:a:b:c', '00:1b:63:0a:0b:0c', 'leading zeros dropped (Solaris, BSD arp)'],
    ['0x001b630a0b0c', '00:1b:63:0a:0b:0c', '0x-prefixed hex'],
    ['Da:A1:19:aB:cD:eF', 'da:a1:19:ab:cd:ef', 'mixed case'],
    ['02:00:00:00:00:01', '02:00:00:00:00:01', 'smallest locally administered unicast'],
  ];
  it.each(accepted)('%s -> %s (%s)', (input, expected) => {
    expect(normalizeMac(input)).toBe(expected);
  });

  const refused: Array<[unknown, string, string]> = [
    ['', 'empty', 'nothing'],
    ['   ', 'empty', 'only spaces'],
    [undefined, 'empty', 'undefined'],
    ['00:00:00:00:00:00', 'all-zero', 'all zero'],
    ['000000000000', 'all-zero', 'all zero, bare'],
    ['ff:ff:ff:ff:ff:ff', 'broadcast', 'broadcast'],
    ['FF-FF-FF-FF-FF-FF', 'broadcast', 'broadcast, Windows form'],
    ['01:00:5e:00:00:fb', 'multicast', 'IPv4 multicast (mDNS)'],
    ['33:33:00:00:00:01', 'multicast', 'IPv6 multicast'],
    ['01:80:c2:00:00:00', 'multicast', 'spanning-tree multicast'],
    ['a4:83:e7:12:34', 'invalid-format', 'five bytes'],
    ['a4:83:e7:12:34:56:78', 'invalid-format', 'seven bytes'],
    ['a4:83-e7:12:34:56', 'invalid-format', 'mixed separators'],
    ['g4:83:e7:12:34:56', 'invalid-format', 'not hex'],
    ['a483e712345', 'invalid-format', 'eleven hex digits'],
    ['a4:83:e7:12:34:567', 'invalid-format', 'a group of three'],
    ['a4::83:e7:12:34:56', 'invalid-format', 'empty group'],
    ['mac a4:83:e7:12:34:56', 'invalid-format', 'text around it'],
    ['192.168.1.10', 'invalid-format', 'an IP address'],
    [42, 'invalid-format', 'a number'],
  ];
  it.each(refused)('refuses %s as %s (%s)', (input, reason) => {
    const check = checkMac(input);
    expect(check).toMatchObject({ ok: false, reason });
    try {
      normalizeMac(input as string);
      expect.unreachable('normalizeMac should throw');
    } catch (error) {
      expect(isHotspotKitError(error)).toBe(true);
      expect(error).toMatchObject({ code: 'INVALID_MAC', details: { reason }, httpStatus: 400 });
    }
  });
});

describe('isLocallyAdministered', () => {
  it('tells randomized (private) MACs from manufacturer-assigned ones', () => {
    expect(isLocallyAdministered('da:a1:19:12:34:56')).toBe(true); // Android / iOS private address
    expect(isLocallyAdministered('2a:b3:c4:d5:e6:f7')).toBe(true);
    expect(isLocallyAdministered('AA-BB-CC-DD-EE-FF')).toBe(true);
    expect(isLocallyAdministered('a4:83:e7:12:34:56')).toBe(false); // Apple OUI
    expect(isLocallyAdministered('00:1b:63:84:45:e6')).toBe(false);
  });
  it('throws INVALID_MAC for something that is not a device MAC', () => {
    expect(() => isLocallyAdministered('ff:ff:ff:ff:ff:ff')).toThrow(expect.objectContaining({ code: 'INVALID_MAC' }));
  });
  it('parseMac returns the bytes and the flag', () => {
    const parsed = parseMac('a4-83-e7-12-34-56');
    expect([...parsed.bytes]).toEqual([0xa4, 0x83, 0xe7, 0x12, 0x34, 0x56]);
    expect(parsed).toMatchObject({ mac: 'a4:83:e7:12:34:56', locallyAdministered: false });
  });
});
