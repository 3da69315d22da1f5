import { describe, expect, it } from 'vitest';
import { isHotspotKitError } from '../errors.js';
import { checkPhone, normalizePhone, type PhoneOptions } from './normalize-phone.js';

describe('normalizePhone', () => {
  it('writes the same number the same way', () => {
    expect(normalizePhone('+1 (415) 555-2671')).toBe('+14155552671');
    expect(normalizePhone('(415) 555-2671', { defaultCountry: 'US' })).toBe('+14155552671');
  });
  it('refuses toll-free numbers with a typed reason', () => {
    expect(checkPhone('+1 800 555 0199')).toMatchObject({ ok: false, reason: 'toll-free' });
  });
});

// Real-world inputs as customers and operators type them: [input, options, E.164 or refusal reason].
const table: Array<[string, PhoneOptions, string]> = [
  // Valid mobiles from several countries, international format.
  ['+1 (415) 555-2671', {}, '+14155552671'],
  ['+1-415-555-2671', {}, '+14155552671'],
  ['+1.415.555.2671', {}, '+14155552671'],
  ['+44 7400 123456', {}, '+447400123456'],
  ['+44 (0) 7400 123456', {}, '+447400123456'],
  ['+49 1512 3456789', {}, '+4915123456789'],
  ['+371 2000 0001', {}, '+37120000001'],
  ['+33 6 12 34 56 78', {}, '+33612345678'],
  ['+91 98765 43210', {}, '+919876543210'],
  ['+55 11 91234-5678', {}, '+5511912345678'],
  ['+61 412 345 678', {}, '+61412345678'],
  ['+81 90-1234-5678', {}, '+819012345678'],
  ['+234 803 123 4567', {}, '+2348031234567'],
  ['+380 50 123 4567', {}, '+380501234567'],
  ['+372 5123 4567', {}, '+37251234567'],
  ['tel:+14155552671', {}, '+14155552671'],
  ['\t+1 415 555 2671\n', {}, '+14155552671'],
  ['+１ ４１５ ５５５ ２６７１', {}, '+14155552671'], // full-width digits from a phone keyboard
  // International prefix 00 / 011.
  ['0049 1512 3456789', {}, '+4915123456789'],
  ['00447400123456', {}, '+447400123456'],
  ['011 44 7400 123456', { defaultCountry: 'US' }, '+447400123456'],
  // National formats with a default country.
  ['(415) 555-2671', { defaultCountry: 'US' }, '+14155552671'],
  ['07400 123456', { defaultCountry: 'GB' }, '+447400123456'],
  ['01512 3456789', { defaultCountry: 'de' }, '+4915123456789'],
  ['20000001', { defaultCountry: 'LV' }, '+37120000001'],
  ['06 12 34 56 78', { defaultCountry: 'FR' }, '+33612345678'],
  ['+44 7400 123456', { defaultCountry: 'US' }, '+447400123456'], // + wins over the default
  // National formats without a default country.
  ['415-555-2671', {}, 'national-format-without-country'],
  ['07400 123456', {}, 'national-format-without-country'],
  ['07400 123456', { defaultCountry: 'XX' }, 'invalid-country'],
  // Premium-rate, toll-free, shared-cost, VoIP, pager, UAN, landlines.
  ['+1 900 555 0199', {}, 'premium-rate'],
  ['+44 909 876 5432', {}, 'premium-rate'],
  ['+49 900 1234567', {}, 'premium-rate'],
  ['+33 8 92 68 01 23', {}, 'premium-rate'],
  ['+1 800 555 0199', {}, 'toll-free'],
  ['+44 800 123 4567', {}, 'toll-free'],
  ['0800 123 4567', { defaultCountry: 'GB' }, 'toll-free'],
  ['+44 56 1234 5678', {}, 'voip'],
  ['+33 9 70 12 34 56', {}, 'voip'],
  ['+44 76 0012 3456', {}, 'pager'],
  ['+44 300 123 4567', {}, 'uan'],
  ['+49 30 123456', {}, 'fixed-line'],
  ['+371 6700 0000', {}, 'fixed-line'],
  // Extensions.
  ['+44 7400 123456 ext. 12', {}, 'extension'],
  ['+1 415 555 2671 x123', {}, 'extension'],
  ['+1 415 555 2671;ext=5', {}, 'extension'],
  ['+14155552671#22', {}, 'extension'],
  ['+7 912 345 67 89 доб. 5', {}, 'extension'],
  // Allowed countries.
  ['+371 2000 0001', { allowedCountries: ['LV', 'EE'] }, '+37120000001'],
  ['+44 7400 123456', { allowedCountries: ['lv', 'ee'] }, 'country-not-allowed'],
  // Junk.
  ['', {}, 'empty'],
  ['   ', {}, 'empty'],
  ['hello', {}, 'not-a-phone-number'],
  ['https://example.com', {}, 'not-a-phone-number'],
  ['call me at +14155552671', {}, 'text-around-number'],
  ['+1 (415) 555-2671 (mobile)', {}, 'text-around-number'],
  ['+4915123456789, +4915123456780', {}, 'text-around-number'],
  ['+14155552671+1', {}, 'not-a-phone-number'],
  ['+', {}, 'not-a-phone-number'],
  ['+1', {}, 'too-short'],
  ['+1 415 555 267', {}, 'invalid'],
  ['+49 1512 34567890123', {}, 'invalid'],
  ['+999 1234567', {}, 'invalid'], // regression: an unknown calling code was reported as a national format
];

describe('real-world phone inputs', () => {
  it('has at least 30 cases', () => {
    expect(table.length).toBeGreaterThanOrEqual(30);
  });
  it.each(table)('%j %j -> %s', (input, options, expected) => {
    const result = checkPhone(input, options);
    if (expected.startsWith('+')) {
      expect(result).toMatchObject({ ok: true, e164: expected });
      expect(normalizePhone(input, options)).toBe(expected);
    } else {
      expect(result).toMatchObject({ ok: false, reason: expected });
      try {
        normalizePhone(input, options);
        expect.unreachable('normalizePhone should throw');
      } catch (error) {
        expect(isHotspotKitError(error)).toBe(true);
        expect(error).toMatchObject({ code: 'INVALID_PHONE', details: { reason: expected } });
      }
    }
  });
  it('says what kind of number passed', () => {
    expect(checkPhone('+4915123456789')).toMatchObject({ ok: true, type: 'mobile', country: 'DE', callingCode: '49' });
    expect(checkPhone('+14155552671')).toMatchObject({
      ok: true,
      type: 'fixed-line-or-mobile',
      country: 'US',
      callingCode: '1',
    });
  });
});

describe('allowedCountries and shared numbering plans', () => {
  it('allowing GB accepts +44 mobiles that libphonenumber files under Guernsey, Jersey or Man', () => {
    expect(normalizePhone('+44 7911 123456', { allowedCountries: ['GB'] })).toBe('+447911123456');
    expect(normalizePhone('+44 7400 123456', { allowedCountries: ['gb'] })).toBe('+447400123456');
  });
  it('allowing GG alone does not open the rest of the UK', () => {
    expect(checkPhone('+44 7400 123456', { allowedCountries: ['GG'] })).toMatchObject({
      ok: false,
      reason: 'country-not-allowed',
    });
  });
  it('allowing US does not allow Canada, which shares +1', () => {
    expect(checkPhone('+1 604 555 0143', { allowedCountries: ['US'] })).toMatchObject({ ok: false });
  });
});
