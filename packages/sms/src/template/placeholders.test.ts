import { describe, expect, it } from 'vitest';
import { type PlaceholderValues, referencedSecrets, substitute } from './placeholders.js';

const values: PlaceholderValues = {
  to: '+79161234567',
  message: 'Say "hi" & 100% \n Привет 👋 %TO%',
  location: 'Café',
  from: 'Hotspot',
  id: 'sms-1',
  secrets: { key: 'k&y=1', token: 'abc"def' },
};

describe('substitute', () => {
  it('JSON-escapes values inside a JSON payload, so the payload parses back to the exact text', () => {
    const out = substitute('{"to":"%TO%","d":"%TO_DIGITS%","text":"%MESSAGE%","s":"%SECRET:token%"}', values, 'json');
    expect(JSON.parse(out)).toEqual({ to: '+79161234567', d: '79161234567', text: values.message, s: 'abc"def' });
  });

  it('percent-encodes values in form bodies and URLs, never substituting twice', () => {
    const out = substitute('to=%TO%&text=%MESSAGE%&key=%SECRET:key%&loc=%LOCATION%&id=%ID%', values, 'form');
    const params = new URLSearchParams(out);
    expect(params.get('to')).toBe('+79161234567');
    expect(params.get('text')).toBe(values.message);
    expect(params.get('key')).toBe('k&y=1');
    expect(params.get('loc')).toBe('Café');
    expect(params.get('id')).toBe('sms-1');
    expect(out).not.toContain('+7916');
    expect(substitute('https://x.test/%TO_DIGITS%/send?from=%FROM%', values, 'url')).toBe(
      'https://x.test/79161234567/send?from=Hotspot',
    );
  });

  it('keeps header values raw but without line breaks', () => {
    expect(substitute('App %SECRET:key% %MESSAGE%', values, 'header')).not.toMatch(/[\r\n]/);
  });

  it('leaves unknown %WORDS% and lone percent signs alone', () => {
    expect(substitute('50% off %NAME% %to%', values, 'form')).toBe('50% off %NAME% %to%');
  });

  it('lists the secrets a template refers to', () => {
    expect(referencedSecrets('a=%SECRET:key%&b=%SECRET:other.name%&c=%TO%')).toEqual(['key', 'other.name']);
  });
});
