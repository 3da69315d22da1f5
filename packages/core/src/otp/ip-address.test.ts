import { describe, expect, it } from 'vitest';
import { clientNetwork, formatIp, ipPrefix, parseIpAddress } from './ip-address.js';

const canonical = (input: string) => {
  const ip = parseIpAddress(input);
  return ip ? formatIp(ip) : null;
};

describe('parseIpAddress', () => {
  it('reads IPv4, and IPv4-mapped IPv6 as the same IPv4 address', () => {
    expect(canonical('203.0.113.7')).toBe('203.0.113.7');
    expect(canonical('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(canonical('::FFFF:cb00:7107')).toBe('203.0.113.7');
    expect(canonical(' 203.0.113.7 ')).toBe('203.0.113.7');
  });

  it('writes every spelling of one IPv6 address the same way', () => {
    const expected = '2001:0db8:0000:0000:0000:0000:0000:0001';
    for (const spelling of [
      '2001:db8::1',
      '2001:DB8:0:0:0:0:0:1',
      '[2001:db8::1]',
      '2001:db8::1%eth0',
      '2001:0db8::0:1',
    ]) {
      expect(canonical(spelling), spelling).toBe(expected);
    }
    expect(canonical('::')).toBe('0000:0000:0000:0000:0000:0000:0000:0000');
    expect(canonical('::1')).toBe('0000:0000:0000:0000:0000:0000:0000:0001');
    expect(canonical('64:ff9b::192.0.2.33')).toBe('0064:ff9b:0000:0000:0000:0000:c000:0221');
  });

  it('refuses what is not an address (including octal-looking IPv4)', () => {
    for (const bad of [
      '',
      'localhost',
      '1.2.3',
      '1.2.3.4.5',
      '256.1.1.1',
      '010.1.1.1',
      '1:2:3:4:5:6:7:8:9',
      '1::2::3',
      'g::1',
      '1:2:3:4:5:6:7::8:9',
      '::ffff:1.2.3',
    ]) {
      expect(parseIpAddress(bad), bad).toBeNull();
    }
  });
});

describe('ipPrefix', () => {
  it('clears the host bits', () => {
    expect(ipPrefix(parseIpAddress('203.0.113.77')!, 24)).toBe('203.0.113.0/24');
    expect(ipPrefix(parseIpAddress('203.0.113.77')!, 20)).toBe('203.0.112.0/20');
    expect(ipPrefix(parseIpAddress('203.0.113.77')!, 32)).toBe('203.0.113.77/32');
    expect(ipPrefix(parseIpAddress('2001:db8:1:2:abcd::9')!, 64)).toBe('2001:0db8:0001:0002:0000:0000:0000:0000/64');
    expect(ipPrefix(parseIpAddress('2001:db8:1:2ff::9')!, 56)).toBe('2001:0db8:0001:0200:0000:0000:0000:0000/56');
  });
});

describe('clientNetwork', () => {
  it('counts IPv6 clients per /64 and IPv4 clients per address', () => {
    expect(clientNetwork('2001:db8:1:2::1')).toBe(clientNetwork('2001:db8:1:2:ffff:ffff:ffff:fffe'));
    expect(clientNetwork('2001:db8:1:2::1')).toBe('2001:0db8:0001:0002:0000:0000:0000:0000/64');
    expect(clientNetwork('2001:db8:1:3::1')).not.toBe(clientNetwork('2001:db8:1:2::1'));
    expect(clientNetwork('203.0.113.7')).toBe('203.0.113.7');
    expect(clientNetwork('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientNetwork('203.0.113.8')).not.toBe(clientNetwork('203.0.113.7'));
    expect(clientNetwork(' not-an-ip ')).toBe('not-an-ip');
  });
});
