import {
  type CountryCode,
  isSupportedCountry,
  type NumberType,
  parsePhoneNumberWithError,
} from 'libphonenumber-js/max';
import { HotspotKitError } from '../errors.js';

/** Why a phone number was refused. */
export type PhoneRefusalReason =
  | 'empty'
  | 'not-a-phone-number'
  | 'text-around-number'
  | 'national-format-without-country'
  | 'invalid-country'
  | 'too-short'
  | 'too-long'
  | 'invalid'
  | 'extension'
  | 'country-not-allowed'
  | 'premium-rate'
  | 'toll-free'
  | 'shared-cost'
  | 'voip'
  | 'pager'
  | 'uan'
  | 'voicemail'
  | 'personal-number'
  | 'fixed-line'
  | 'unknown-type';

/** Options for {@link normalizePhone} and {@link checkPhone}. */
export interface PhoneOptions {
  /** ISO 3166-1 alpha-2 country for numbers written without `+` (national format). */
  defaultCountry?: string;
  /** Only numbers of these countries (alpha-2) are accepted. Absent: all countries. */
  allowedCountries?: readonly string[];
}

/** A number that can receive SMS. */
export interface NormalizedPhone {
  /** E.164, e.g. `+14155552671`. */
  e164: string;
  /** ISO 3166-1 alpha-2, when the number maps to one country. */
  country?: string;
  /** Country calling code without `+`, e.g. `1`. */
  callingCode: string;
  type: 'mobile' | 'fixed-line-or-mobile';
}

export type PhoneCheck = ({ ok: true } & NormalizedPhone) | { ok: false; reason: PhoneRefusalReason; message: string };

const MESSAGES: Record<PhoneRefusalReason, string> = {
  empty: 'No phone number was given',
  'not-a-phone-number': 'This is not a phone number',
  'text-around-number': 'Only the phone number is accepted, without other text around it',
  'national-format-without-country':
    'The number is in national format; write it with + and the country code, or set a default country',
  'invalid-country': 'The default country is not a known ISO 3166-1 alpha-2 code',
  'too-short': 'The phone number is too short',
  'too-long': 'The phone number is too long',
  invalid: 'The phone number is not valid',
  extension: 'Numbers with an extension cannot receive SMS',
  'country-not-allowed': 'Numbers from this country are not accepted',
  'premium-rate': 'Premium-rate numbers are not accepted',
  'toll-free': 'Toll-free numbers cannot receive SMS',
  'shared-cost': 'Shared-cost numbers are not accepted',
  voip: 'VoIP numbers are not accepted',
  pager: 'Pager numbers cannot receive SMS',
  uan: 'Universal access numbers cannot receive SMS',
  voicemail: 'Voicemail access numbers cannot receive SMS',
  'personal-number': 'Personal (forwarding) numbers are not accepted',
  'fixed-line': 'Landline numbers cannot receive SMS',
  'unknown-type': 'The type of this number is unknown, so it may not receive SMS',
};

const TYPE_REFUSALS: Partial<Record<NonNullable<NumberType>, PhoneRefusalReason>> = {
  PREMIUM_RATE: 'premium-rate',
  TOLL_FREE: 'toll-free',
  SHARED_COST: 'shared-cost',
  VOIP: 'voip',
  PAGER: 'pager',
  UAN: 'uan',
  VOICEMAIL: 'voicemail',
  PERSONAL_NUMBER: 'personal-number',
  FIXED_LINE: 'fixed-line',
};

// Territories inside a country's numbering plan that libphonenumber reports as countries of
// their own: an operator who allows 'GB' means every +44 mobile, Jersey's and Guernsey's too
// (+44 7911 123456, the textbook UK example, is a Guernsey range).
const SHARED_NUMBERING_PLAN: Record<string, readonly string[]> = {
  GB: ['GG', 'JE', 'IM'],
  FI: ['AX'],
  NO: ['SJ'],
  AU: ['CX', 'CC'],
};

// What may stand in a phone number as people write it: digits, +, separators, brackets.
const PHONE_CHARS = /^[+\d\s\-()./\u00a0]+$/;
const EXTENSION_MARK = /(?:;ext=|\bext\.?|\bx\s*\d|#\s*\d|\bextension\b|доб)/i;

function refuse(reason: PhoneRefusalReason): PhoneCheck {
  return { ok: false, reason, message: MESSAGES[reason] };
}

/**
 * Checks that `input` is one phone number that can receive SMS and returns it in E.164, or
 * the reason it cannot (a result, not an exception: for the OTP and splash flows).
 *
 * Only mobile numbers (and `FIXED_LINE_OR_MOBILE`, as US and Canadian numbers are typed) pass;
 * premium-rate, toll-free, shared-cost, VoIP, pager, UAN, voicemail, personal and landline
 * numbers, and numbers with an extension, are refused.
 */
export function checkPhone(input: string, options: PhoneOptions = {}): PhoneCheck {
  if (typeof input !== 'string') return refuse('not-a-phone-number');
  let text = input.normalize('NFKC').trim();
  if (text === '') return refuse('empty');
  if (text.toLowerCase().startsWith('tel:')) text = text.slice(4).trim();
  if (EXTENSION_MARK.test(text)) return refuse('extension');
  if (!PHONE_CHARS.test(text)) return /\d{4,}/.test(text) ? refuse('text-around-number') : refuse('not-a-phone-number');
  if ((text.match(/\+/g) ?? []).length > 1 || (text.includes('+') && !text.startsWith('+'))) {
    return refuse('not-a-phone-number');
  }

  let defaultCountry: CountryCode | undefined;
  if (options.defaultCountry !== undefined) {
    const code = options.defaultCountry.toUpperCase();
    if (!isSupportedCountry(code)) return refuse('invalid-country');
    defaultCountry = code;
  }
  // "00" is the ITU international prefix; without a default country it can only mean "+".
  if (!defaultCountry && /^00[1-9]/.test(text.replace(/[\s\-()./\u00a0]/g, ''))) {
    text = `+${text.replace(/[\s\-()./\u00a0]/g, '').slice(2)}`;
  }
  if (!text.startsWith('+') && !defaultCountry) return refuse('national-format-without-country');

  let parsed: ReturnType<typeof parsePhoneNumberWithError>;
  try {
    parsed = parsePhoneNumberWithError(text, defaultCountry ? { defaultCountry } : undefined);
  } catch (error) {
    const kind = error instanceof Error ? error.message : '';
    if (kind === 'TOO_SHORT') return refuse('too-short');
    if (kind === 'TOO_LONG') return refuse('too-long');
    // With a leading + the country calling code itself is unknown (e.g. +999): not a national format.
    if (kind === 'INVALID_COUNTRY') return refuse(text.startsWith('+') ? 'invalid' : 'national-format-without-country');
    return refuse('not-a-phone-number');
  }
  if (parsed.ext) return refuse('extension');
  if (!parsed.isValid()) {
    const possible = parsed.isPossible();
    if (!possible) {
      const digits = parsed.nationalNumber.length;
      if (digits < 6) return refuse('too-short');
      if (digits > 14) return refuse('too-long');
    }
    return refuse('invalid');
  }
  const country = parsed.country;
  if (options.allowedCountries && options.allowedCountries.length > 0) {
    const allowed = options.allowedCountries.flatMap((c) => {
      const code = c.toUpperCase();
      return [code, ...(SHARED_NUMBERING_PLAN[code] ?? [])];
    });
    if (!country || !allowed.includes(country)) return refuse('country-not-allowed');
  }
  const type = parsed.getType();
  if (type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE') {
    return {
      ok: true,
      e164: parsed.number,
      ...(country ? { country } : {}),
      callingCode: parsed.countryCallingCode,
      type: type === 'MOBILE' ? 'mobile' : 'fixed-line-or-mobile',
    };
  }
  return refuse((type && TYPE_REFUSALS[type]) || 'unknown-type');
}

/**
 * Normalizes a phone number to E.164, or throws a `HotspotKitError` with code
 * `INVALID_PHONE` and `details.reason` saying why (see {@link PhoneRefusalReason}).
 *
 * @example
 * ```ts
 * normalizePhone('(415) 555-2671', { defaultCountry: 'US' }) // '+14155552671'
 * normalizePhone('+1 800 555 0199') // throws: reason 'toll-free'
 * ```
 */
export function normalizePhone(input: string, options: PhoneOptions = {}): string {
  const result = checkPhone(input, options);
  if (result.ok) return result.e164;
  throw new HotspotKitError('INVALID_PHONE', result.message, { details: { reason: result.reason } });
}
