import type { Voucher } from '@hotspot-kit/core';
import type { VendorFamily } from './handler-options.js';

/** A value in rlm_rest's reply format: numbers as numbers, text never expanded by FreeRADIUS. */
export type ReplyValue = number | { value: string; do_xlat: false };

/** Text as rlm_rest must take it: `do_xlat: false`, so a `%` in it is never expanded. */
export const literal = (value: string): ReplyValue => ({ value, do_xlat: false });

const GIGAWORD = 2 ** 32;
const MAX_INTEGER = GIGAWORD - 1;
const clamp = (n: number) => Math.max(0, Math.min(MAX_INTEGER, Math.floor(n)));

/** Bytes as a 32-bit attribute and its gigawords companion (only when over 4 GiB). */
function bytes(reply: Record<string, ReplyValue>, name: string, gigawordsName: string, value: number): void {
  reply[name] = value % GIGAWORD;
  const gigawords = Math.floor(value / GIGAWORD);
  if (gigawords > 0) reply[gigawordsName] = clamp(gigawords);
}

/**
 * The reply attributes of an accepted login: `Session-Timeout` (the smaller of the online
 * time and the validity left), `Acct-Interim-Interval`, the data left and the rate, for the
 * chosen vendor families. Directions follow RADIUS: input/recv is what the customer sends.
 */
export function limitAttributes(
  voucher: Voucher,
  options: { vendors: readonly VendorFamily[]; interimIntervalSeconds: number },
): Record<string, ReplyValue> {
  const reply: Record<string, ReplyValue> = {};
  const { remaining, limits } = voucher;
  const times = [remaining.onlineSeconds, remaining.validitySeconds].filter((n): n is number => n !== null);
  if (times.length > 0) reply['reply:Session-Timeout'] = Math.max(1, clamp(Math.min(...times)));
  reply['reply:Acct-Interim-Interval'] = options.interimIntervalSeconds;

  const vendors = new Set(options.vendors);
  const traffic = limits.trafficLimit;
  if (traffic && 'totalBytes' in traffic && remaining.totalBytes !== null) {
    const left = remaining.totalBytes;
    if (vendors.has('mikrotik'))
      bytes(reply, 'reply:Mikrotik-Total-Limit', 'reply:Mikrotik-Total-Limit-Gigawords', left);
    if (vendors.has('chillispot')) {
      bytes(reply, 'reply:ChilliSpot-Max-Total-Octets', 'reply:ChilliSpot-Max-Total-Gigawords', left);
    }
  } else if (traffic && remaining.uploadBytes !== null && remaining.downloadBytes !== null) {
    const up = remaining.uploadBytes;
    const down = remaining.downloadBytes;
    if (vendors.has('mikrotik')) {
      bytes(reply, 'reply:Mikrotik-Recv-Limit', 'reply:Mikrotik-Recv-Limit-Gigawords', up);
      bytes(reply, 'reply:Mikrotik-Xmit-Limit', 'reply:Mikrotik-Xmit-Limit-Gigawords', down);
    }
    if (vendors.has('chillispot')) {
      bytes(reply, 'reply:ChilliSpot-Max-Input-Octets', 'reply:ChilliSpot-Max-Input-Gigawords', up);
      bytes(reply, 'reply:ChilliSpot-Max-Output-Octets', 'reply:ChilliSpot-Max-Output-Gigawords', down);
    }
  }

  const { uploadKbps, downloadKbps } = limits;
  if (uploadKbps !== undefined || downloadKbps !== undefined) {
    // MikroTik: "rx/tx" from the router's side, rx = what the customer sends; 0 = unlimited.
    const rate = (kbps: number | undefined) => (kbps === undefined ? '0' : `${kbps}k`);
    if (vendors.has('mikrotik'))
      reply['reply:Mikrotik-Rate-Limit'] = literal(`${rate(uploadKbps)}/${rate(downloadKbps)}`);
    if (vendors.has('wispr')) {
      if (uploadKbps !== undefined) reply['reply:WISPr-Bandwidth-Max-Up'] = clamp(uploadKbps * 1000);
      if (downloadKbps !== undefined) reply['reply:WISPr-Bandwidth-Max-Down'] = clamp(downloadKbps * 1000);
    }
  }
  return reply;
}
