/** A parsed IP address: 4 bytes (IPv4, also from IPv4-mapped IPv6) or 16 bytes (IPv6). */
export interface IpAddress {
  version: 4 | 6;
  bytes: number[];
}

function parseIpv4(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const bytes: number[] = [];
  for (const part of parts) {
    // No leading zeros: "010" is octal to some parsers and decimal to others.
    if (!/^(?:0|[1-9]\d{0,2})$/.test(part)) return null;
    const n = Number(part);
    if (n > 255) return null;
    bytes.push(n);
  }
  return bytes;
}

function parseIpv6(text: string): number[] | null {
  let head = text;
  let tail: number[] = [];
  // A trailing dotted quad (::ffff:1.2.3.4) stands for the last 32 bits.
  const lastColon = head.lastIndexOf(':');
  if (head.slice(lastColon + 1).includes('.')) {
    const v4 = parseIpv4(head.slice(lastColon + 1));
    if (!v4) return null;
    tail = v4;
    head = `${head.slice(0, lastColon + 1)}0:0`;
  }
  const halves = head.split('::');
  if (halves.length > 2) return null;
  const groups = (part: string): number[] | null => {
    if (part === '') return [];
    const out: number[] = [];
    for (const g of part.split(':')) {
      if (!/^[0-9a-f]{1,4}$/i.test(g)) return null;
      out.push(Number.parseInt(g, 16));
    }
    return out;
  };
  const left = groups(halves[0] as string);
  const right = halves.length === 2 ? groups(halves[1] as string) : [];
  if (!left || !right) return null;
  const missing = 8 - left.length - right.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const words = [...left, ...new Array<number>(missing).fill(0), ...right];
  const bytes = words.flatMap((w) => [w >> 8, w & 0xff]);
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes;
}

/**
 * Parses an IPv4 or IPv6 address as hosts get it (`req.ip`): brackets and an IPv6 zone are
 * dropped, and IPv4-mapped IPv6 (`::ffff:203.0.113.7`) is read as the IPv4 address, so one
 * client cannot count as two by switching notation. `null` when it is not an address.
 */
export function parseIpAddress(input: string): IpAddress | null {
  let text = input.trim();
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  if (!text.includes(':')) {
    const v4 = parseIpv4(text);
    return v4 ? { version: 4, bytes: v4 } : null;
  }
  const v6 = parseIpv6(text);
  if (!v6) return null;
  const mapped = v6.slice(0, 10).every((b) => b === 0) && v6[10] === 0xff && v6[11] === 0xff;
  return mapped ? { version: 4, bytes: v6.slice(12) } : { version: 6, bytes: v6 };
}

/** The canonical text of an address with all bits after `prefixLength` cleared, e.g. `203.0.113.0/24`. */
export function ipPrefix(ip: IpAddress, prefixLength: number): string {
  const bytes = ip.bytes.map((b, i) => {
    const keep = Math.max(0, Math.min(8, prefixLength - i * 8));
    return b & ((0xff << (8 - keep)) & 0xff);
  });
  return `${formatIp({ version: ip.version, bytes })}/${prefixLength}`;
}

/** Canonical text: dotted IPv4, or IPv6 as eight zero-padded lower-case groups (no `::`). */
export function formatIp(ip: IpAddress): string {
  if (ip.version === 4) return ip.bytes.join('.');
  const words: string[] = [];
  for (let i = 0; i < 16; i += 2) {
    words.push((((ip.bytes[i] as number) << 8) | (ip.bytes[i + 1] as number)).toString(16).padStart(4, '0'));
  }
  return words.join(':');
}

/**
 * The network one client stands for, as a rate-limit key: an IPv4 address as it is, an
 * IPv6 address as its /64 (one subscriber's prefix: rotating addresses inside it is free),
 * any other text as given (trimmed, at most 100 characters).
 */
export function clientNetwork(input: string): string {
  const ip = parseIpAddress(input);
  if (!ip) return input.trim().slice(0, 100);
  return ip.version === 4 ? formatIp(ip) : ipPrefix(ip, 64);
}
