import { checkMac, type HotspotKit, isHotspotKitError, type Voucher } from '@hotspot-kit/core';
import type { ResolvedHandlerOptions } from './handler-options.js';
import { type RejectReason, rejectMessage } from './reject-messages.js';
import { limitAttributes, literal, type ReplyValue } from './reply-attributes.js';
import { type RestBody, requiredText, text } from './rest-body.js';

/** What the handler answers: an HTTP status and, for rlm_rest, attributes to add. */
export interface HandlerAnswer {
  status: number;
  attributes?: Record<string, ReplyValue>;
}

/** The kit services a login reads and changes. */
export type LoginKit = Pick<HotspotKit, 'vouchers' | 'locations'>;

/** Written into `Class` on accept; the NAS echoes it in accounting, so usage finds its voucher. */
export const CLASS_PREFIX = 'hotspot-kit:';

interface Subject {
  userName: string;
  voucher: Voucher | null;
  /** The device logging in: the MAC of a MAC login, else Calling-Station-Id when it is a MAC. */
  device: string | undefined;
  nasId: string | undefined;
}

/** NAS-Identifier, else NAS-IP-Address (else NAS-IPv6-Address): how sessions name their NAS. */
export function nasIdOf(body: RestBody): string | undefined {
  return text(body, 'NAS-Identifier') || text(body, 'NAS-IP-Address') || text(body, 'NAS-IPv6-Address') || undefined;
}

/** The voucher a `User-Name` means: a code (case and separators forgiven), else a bound MAC. */
async function subjectOf(kit: LoginKit, body: RestBody): Promise<Subject> {
  const userName = requiredText(body, 'User-Name');
  const calling = text(body, 'Calling-Station-Id');
  const callingMac = calling === undefined ? undefined : checkMac(calling);
  const nasId = nasIdOf(body);
  const byCode = userName.trim() === '' ? null : await kit.vouchers.getByCode(userName);
  if (byCode) return { userName, voucher: byCode, device: callingMac?.ok ? callingMac.mac : undefined, nasId };
  const asMac = checkMac(userName);
  if (asMac.ok) return { userName, voucher: await kit.vouchers.findByMac(asMac.mac), device: asMac.mac, nasId };
  return { userName, voucher: null, device: callingMac?.ok ? callingMac.mac : undefined, nasId };
}

/** Why `subject` may not log in now, or `null` when it may. */
function refusalOf(subject: Subject): RejectReason | null {
  const { voucher, device } = subject;
  if (!voucher) return 'unknown';
  if (voucher.status === 'used') return 'used';
  if (voucher.status === 'expired') return 'expired';
  const bound = device !== undefined && voucher.devices.some((d) => d.mac === device);
  if (device !== undefined && !bound && voucher.devices.length >= voucher.limits.simultaneousDevices) {
    return 'device-limit';
  }
  return null;
}

/** The handler's login steps over one kit. */
export function createLogin(kit: LoginKit, options: ResolvedHandlerOptions) {
  async function localeOf(subject: Subject): Promise<string | undefined> {
    const locationId =
      subject.voucher?.locationId ?? (subject.nasId === undefined ? undefined : options.nasLocations[subject.nasId]);
    if (locationId === undefined) return undefined;
    return (await kit.locations.get(locationId))?.locale;
  }

  async function message(subject: Subject, reason: RejectReason): Promise<Record<string, ReplyValue>> {
    const text = rejectMessage(reason, await localeOf(subject), options.locale, options.messages);
    return { 'reply:Reply-Message': literal(text) };
  }

  return {
    /**
     * Authorize: decides, changes nothing. Accept: the credential for PAP/CHAP (the
     * `User-Name` exactly as received) and the limits; refusal: 401 with a Reply-Message.
     */
    async authorize(body: RestBody): Promise<HandlerAnswer> {
      const subject = await subjectOf(kit, body);
      const reason = refusalOf(subject);
      if (reason !== null || !subject.voucher) {
        options.logger.info('RADIUS authorize: refused', { reason, voucherId: subject.voucher?.id ?? null });
        return { status: 401, attributes: await message(subject, reason ?? 'unknown') };
      }
      return {
        status: 200,
        attributes: {
          'control:Cleartext-Password': literal(subject.userName),
          'reply:Class': literal(`${CLASS_PREFIX}${subject.voucher.id}`),
          ...limitAttributes(subject.voucher, options),
        },
      };
    },

    /**
     * Post-auth after FreeRADIUS accepted the password: activates a new voucher and binds the
     * device within the limit (one compare-and-set). A refusal that arose meanwhile is 403.
     */
    async accepted(body: RestBody): Promise<HandlerAnswer> {
      const subject = await subjectOf(kit, body);
      const { voucher, device } = subject;
      if (!voucher || refusalOf(subject) !== null) return { status: 403 };
      // A returning device of an active voucher: nothing to write.
      if (voucher.state === 'active' && (device === undefined || voucher.devices.some((d) => d.mac === device))) {
        return { status: 204 };
      }
      try {
        const after = await kit.vouchers.activate(voucher.id, device === undefined ? {} : { mac: device });
        if (device !== undefined && !after.devices.some((d) => d.mac === device)) {
          options.logger.info('RADIUS post-auth: device limit reached meanwhile', { voucherId: voucher.id });
          return { status: 403 };
        }
        return { status: 204 };
      } catch (error) {
        if (isHotspotKitError(error) && error.code === 'VOUCHER_NOT_USABLE') return { status: 403 };
        throw error;
      }
    },

    /** Post-auth of a rejected login: why, as a Reply-Message (a wrong password when nothing else is wrong). */
    async rejected(body: RestBody): Promise<HandlerAnswer> {
      const subject = await subjectOf(kit, body);
      return { status: 200, attributes: await message(subject, refusalOf(subject) ?? 'wrong-credential') };
    },
  };
}
