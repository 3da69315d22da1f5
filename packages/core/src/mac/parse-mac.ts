import { HotspotKitError } from '../errors.js';

/** Why a MAC address was refused. */
export type MacRefusalReason = 'empty' | 'invalid-format' | 'all-zero' | 'broadcast' | 'multicast';

/** A MAC address that can identify one device. */
export interface ParsedMac {
  /** Normalized: lower case, colon separated, e.g. `a4:83:e7:12:34:56`. */
  mac: string;
  /** The six bytes. */
  bytes: Uint8Array;
  /**
   * The locally-administered bit (second-least-significant bit of the first byte) is set:
   * the address was not assigned by a manufacturer. Phones use such randomized ("private")
   * MACs per network, so the same phone may come back with another MAC on another SSID.
   */
  locallyAdministered: boolean;
}

/** The outcome of {@link checkMac}: a parsed MAC or the reason it was refused. */
export type MacCheck = ({ ok: true } & ParsedMac) | { ok: false; reason: MacRefusalReason; message: string };

const MESSAGES: Record<MacRefusalReason, string> = {
  empty: 'No MAC address was given',
  'invalid-format':
    'This is not a MAC address; write it as aa:bb:cc:dd:ee:ff, AA-BB-CC-DD-EE-FF, aabb.ccdd.eeff or aabbccddeeff',
  'all-zero': 'The all-zero MAC address 00:00:00:00:00:00 does not identify a device',
  broadcast: 'The broadcast MAC address ff:ff:ff:ff:ff:ff does not identify a device',
  multicast: 'This is a multicast MAC address (lowest bit of the first byte set); it does not identify a device',
};

// Six groups of one or two hex digits with one separator used throughout (`:`, `-`, `.` or a
// space): covers `aa:bb:cc:dd:ee:ff`, `AA-BB-CC-DD-EE-FF`, and `0:1a:2b:3:4:5` as some
// Unix tools print it with leading zeros dropped.
const SIX_GROUPS =
  /^([0-9a-f]{1,2})([:\-. ])([0-9a-f]{1,2})\2([0-9a-f]{1,2})\2([0-9a-f]{1,2})\2([0-9a-f]{1,2})\2([0-9a-f]{1,2})$/;
// Three groups of four: Cisco `aabb.ccdd.eeff`, Huawei/H3C `aabb-ccdd-eeff`.
const THREE_GROUPS = /^([0-9a-f]{4})([:\-.])([0-9a-f]{4})\2([0-9a-f]{4})$/;
// Two groups of six: HP `aabbcc-ddeeff`.
const TWO_GROUPS = /^([0-9a-f]{6})[:-]([0-9a-f]{6})$/;
const BARE = /^[0-9a-f]{12}$/;

function toHex12(text: string): string | null {
  const six = SIX_GROUPS.exec(text);
  if (six) {
    return [six[1], six[3], six[4], six[5], six[6], six[7]].map((g) => (g as string).padStart(2, '0')).join('');
  }
  const three = THREE_GROUPS.exec(text);
  if (three) return `${three[1]}${three[3]}${three[4]}`;
  const two = TWO_GROUPS.exec(text);
  if (two) return `${two[1]}${two[2]}`;
  if (BARE.test(text)) return text;
  return null;
}

function refuse(reason: MacRefusalReason): MacCheck {
  return { ok: false, reason, message: MESSAGES[reason] };
}

/**
 * Checks that `input` is one unicast, non-zero MAC address and returns it normalized, or
 * the reason it is refused (a result, not an exception). Accepts `aa:bb:cc:dd:ee:ff`,
 * `AA-BB-CC-DD-EE-FF`, `aabb.ccdd.eeff`, `aabb-ccdd-eeff`, `aabbcc-ddeeff`,
 * `aabbccddeeff`, `aa bb cc dd ee ff` and `a:b:c:d:e:f` (leading zeros dropped), in any
 * letter case, with surrounding white space and an optional `0x` prefix on the bare form.
 *
 * @example
 * ```ts
 * checkMac('A4-83-E7-12-34-56') // { ok: true, mac: 'a4:83:e7:12:34:56', locallyAdministered: false, ... }
 * checkMac('01:00:5e:00:00:01') // { ok: false, reason: 'multicast', ... }
 * ```
 */
export function checkMac(input: unknown): MacCheck {
  if (typeof input !== 'string') return refuse(input === undefined || input === null ? 'empty' : 'invalid-format');
  let text = input.trim().toLowerCase();
  if (text === '') return refuse('empty');
  if (text.startsWith('0x')) text = text.slice(2);
  const hex = toHex12(text);
  if (hex === null) return refuse('invalid-format');
  const bytes = new Uint8Array(6);
  for (let i = 0; i < 6; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  if (bytes.every((b) => b === 0)) return refuse('all-zero');
  if (bytes.every((b) => b === 0xff)) return refuse('broadcast');
  const first = bytes[0] as number;
  if ((first & 0x01) === 1) return refuse('multicast');
  return {
    ok: true,
    mac: hex.match(/../g)!.join(':'),
    bytes,
    locallyAdministered: (first & 0x02) === 0x02,
  };
}

/**
 * Parses a MAC address (see {@link checkMac} for the accepted forms), or throws a
 * `HotspotKitError` with code `INVALID_MAC` and `details.reason` (`empty`,
 * `invalid-format`, `all-zero`, `broadcast` or `multicast`).
 *
 * @example
 * ```ts
 * parseMac('aabb.ccdd.eeff').mac                // 'aa:bb:cc:dd:ee:ff'
 * parseMac('AA-BB-CC-DD-EE-FF').locallyAdministered // true (0xaa has the 0x02 bit)
 * ```
 */
export function parseMac(input: string): ParsedMac {
  const result = checkMac(input);
  if (result.ok) {
    const { ok: _ok, ...parsed } = result;
    return parsed;
  }
  throw new HotspotKitError('INVALID_MAC', result.message, { details: { reason: result.reason } });
}

/**
 * Normalizes a MAC address to lower-case colon form (`aa:bb:cc:dd:ee:ff`), or throws
 * `INVALID_MAC` naming the reason (see {@link parseMac}).
 *
 * @example
 * ```ts
 * normalizeMac('A4-83-E7-12-34-56') // 'a4:83:e7:12:34:56'
 * normalizeMac('a483e7123456')      // 'a4:83:e7:12:34:56'
 * ```
 */
export function normalizeMac(input: string): string {
  return parseMac(input).mac;
}

/**
 * Whether a MAC address is locally administered, i.e. randomized: iOS, Android and Windows
 * use a random "private" MAC per network by default. Such a device may appear with a new
 * MAC after the user resets network settings. Throws `INVALID_MAC` for input that is not a
 * device MAC.
 *
 * @example
 * ```ts
 * isLocallyAdministered('da:a1:19:12:34:56') // true  (randomized)
 * isLocallyAdministered('a4:83:e7:12:34:56') // false (manufacturer-assigned)
 * ```
 */
export function isLocallyAdministered(mac: string): boolean {
  return parseMac(mac).locallyAdministered;
}
