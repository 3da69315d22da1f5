import { checkMac, type HotspotKit, isHotspotKitError, type Voucher } from '@hotspot-kit/core';
import { kitSessionId } from '../session-id.js';
import { parseEventTimestamp } from './event-timestamp.js';
import type { ResolvedHandlerOptions } from './handler-options.js';
import { CLASS_PREFIX, type HandlerAnswer, nasIdOf } from './login.js';
import { BodyProblem, integer, octets, type RestBody, requiredText, text } from './rest-body.js';

/** The kit services accounting uses. */
export type AccountingKit = Pick<HotspotKit, 'vouchers' | 'usage' | 'now'>;

// Acct-Status-Type by name (as rlm_rest sends enumerations) and by number.
const STATUS: Record<string, 'start' | 'interim' | 'stop' | 'on' | 'off'> = {
  Start: 'start',
  '1': 'start',
  Stop: 'stop',
  '2': 'stop',
  'Interim-Update': 'interim',
  Alive: 'interim',
  '3': 'interim',
  'Accounting-On': 'on',
  '7': 'on',
  'Accounting-Off': 'off',
  '8': 'off',
};

/** The voucher id the accept put into `Class` (the NAS echoes it), if any. */
function classVoucherId(body: RestBody): string | undefined {
  const klass = octets(body, 'Class');
  const marker = klass === undefined ? '' : new TextDecoder().decode(klass);
  const id = marker.startsWith(CLASS_PREFIX) ? marker.slice(CLASS_PREFIX.length) : '';
  return id === '' ? undefined : id;
}

/** The voucher of an accounting event without a usable `Class`: by code, else by device. */
async function voucherOf(kit: AccountingKit, body: RestBody): Promise<Voucher | null> {
  const userName = text(body, 'User-Name');
  if (userName !== undefined && userName.trim() !== '') {
    const byCode = await kit.vouchers.getByCode(userName);
    if (byCode) return byCode;
  }
  for (const candidate of [userName, text(body, 'Calling-Station-Id')]) {
    const mac = candidate === undefined ? undefined : checkMac(candidate);
    if (mac?.ok) {
      const byMac = await kit.vouchers.findByMac(mac.mac, { includeEnded: true });
      if (byMac) return byMac;
    }
  }
  return null;
}

/**
 * Accounting: Start / Interim-Update / Stop go to `kit.usage.record` (idempotent: replays
 * and out-of-order interims never count twice); Accounting-On / Off close the NAS's open
 * sessions. 204 only once stored, so that anything else makes the NAS send it again.
 */
export async function account(
  kit: AccountingKit,
  body: RestBody,
  options: ResolvedHandlerOptions,
): Promise<HandlerAnswer> {
  const statusText = requiredText(body, 'Acct-Status-Type');
  const status = STATUS[statusText];
  if (status === undefined) {
    // Tunnel and failure records carry no usage: acknowledged, nothing to store.
    options.logger.debug('RADIUS accounting: status ignored', { status: statusText });
    return { status: 204 };
  }
  const nasId = nasIdOf(body);
  if (nasId === undefined) throw new BodyProblem('NAS-Identifier', 'is missing (and so is NAS-IP-Address)');
  const stamp = text(body, 'Event-Timestamp');
  let eventTime = stamp === undefined ? null : parseEventTimestamp(stamp, options.timeZone);
  if (stamp !== undefined && eventTime === null) {
    options.logger.warn('RADIUS accounting: Event-Timestamp not understood, using the receipt time', { stamp });
  }
  eventTime ??= kit.now();

  if (status === 'on' || status === 'off') {
    await kit.usage.closeNasSessions(nasId, eventTime);
    return { status: 204 };
  }

  const acctSessionId = requiredText(body, 'Acct-Session-Id');
  const sessionId = kitSessionId(nasId, acctSessionId);
  if (sessionId.length > 200) {
    throw new BodyProblem('Acct-Session-Id', 'with the NAS id, must be at most 200 characters');
  }
  const event = {
    type: status,
    sessionId,
    voucherId: '',
    nasId,
    inputOctets: integer(body, 'Acct-Input-Octets') ?? 0,
    outputOctets: integer(body, 'Acct-Output-Octets') ?? 0,
    sessionTime: integer(body, 'Acct-Session-Time') ?? 0,
    eventTime,
  } as Parameters<AccountingKit['usage']['record']>[0];
  const inputGigawords = integer(body, 'Acct-Input-Gigawords');
  const outputGigawords = integer(body, 'Acct-Output-Gigawords');
  if (inputGigawords !== undefined) event.inputGigawords = inputGigawords;
  if (outputGigawords !== undefined) event.outputGigawords = outputGigawords;
  const mac = text(body, 'Calling-Station-Id');
  if (mac !== undefined && mac !== '') event.mac = mac;
  // The Class id is trusted only as far as record() finds that voucher; else look it up.
  const byClass = classVoucherId(body);
  if (byClass !== undefined) {
    try {
      await kit.usage.record({ ...event, voucherId: byClass });
      return { status: 204 };
    } catch (error) {
      if (!isHotspotKitError(error) || error.code !== 'NOT_FOUND') throw error;
    }
  }
  const voucher = await voucherOf(kit, body);
  if (!voucher) {
    options.logger.warn('RADIUS accounting: no voucher for this session', { nasId, acctSessionId });
    return { status: 404 };
  }
  await kit.usage.record({ ...event, voucherId: voucher.id });
  return { status: 204 };
}
