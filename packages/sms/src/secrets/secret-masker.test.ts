import { describe, expect, it } from 'vitest';
import { createSecretMasker, hiddenPart } from './secret-masker.js';

describe('createSecretMasker', () => {
  it('masks a secret raw, JSON-escaped and percent-encoded', () => {
    const m = createSecretMasker(['p@ss "w/rd"', 'ab']);
    expect(m.mask('x=p@ss "w/rd"')).toBe('x=****');
    expect(m.mask(JSON.stringify({ s: 'p@ss "w/rd"' }))).toBe('{"s":"****"}');
    expect(m.mask(`k=${encodeURIComponent('p@ss "w/rd"')}`)).toBe('k=****');
    // Too short to search for without mangling the text.
    expect(m.mask('abc')).toBe('abc');
  });

  it('masks the part of a text its log text hides (an OTP code)', () => {
    const hidden = hiddenPart('Your code is 482913. Valid 5 min', 'Your code is ******. Valid 5 min');
    expect(hidden).toEqual({ value: '482913', replacement: '******' });
    const m = createSecretMasker([]).with([hidden!]);
    expect(m.mask('Body=Your+code+is+482913')).toBe('Body=Your+code+is+******');
    expect(hiddenPart('same', 'same')).toBeNull();
    expect(hiddenPart('same', undefined)).toBeNull();
  });
});
