import { describe, expect, it } from 'vitest';
import { BUILT_IN_MESSAGES, createI18n, parseAcceptLanguage } from './i18n.js';
import { en } from './messages-en.js';

describe('i18n', () => {
  it('ships English, Spanish, Russian and German with every key', () => {
    for (const [locale, messages] of Object.entries(BUILT_IN_MESSAGES)) {
      expect(Object.keys(messages).sort(), locale).toEqual(Object.keys(en).sort());
    }
  });

  it('picks the ?lang choice, then Accept-Language by quality, then the default', () => {
    const i18n = createI18n({});
    expect(i18n.negotiate('ru', 'de')).toBe('ru');
    expect(i18n.negotiate('xx', 'fr;q=0.9, es-MX;q=0.8, de;q=0.5')).toBe('es');
    expect(i18n.negotiate(undefined, 'fr, it')).toBe('en');
    expect(parseAcceptLanguage('de;q=0.1, ru, *;q=0.5, en;q=0')).toEqual(['ru', 'de']);
  });

  it('lets the operator override any string and add a language that falls back to English', () => {
    const i18n = createI18n({
      messages: { en: { 'login.title': 'Welcome to Cafe Net' }, fr: { 'login.submit': 'Continuer' } },
    });
    expect(i18n.translator('en').t('login.title')).toBe('Welcome to Cafe Net');
    expect(i18n.translator('fr').t('login.submit')).toBe('Continuer');
    expect(i18n.translator('fr').t('login.phone')).toBe('Phone number');
    expect(i18n.negotiate(null, 'fr-CA')).toBe('fr');
  });

  it('chooses plural forms and formats units per language', () => {
    const ru = createI18n({}).translator('ru');
    expect(ru.t('code.wrong', { count: 1 })).toContain('Осталась 1 попытка');
    expect(ru.t('code.wrong', { count: 3 })).toContain('3 попытки');
    const en = createI18n({}).translator('en');
    expect(en.t('code.wrong', { count: 2 })).toBe('That code is not right. 2 tries left.');
    expect(en.bytes(1_500_000_000)).toBe('1.5 GB');
    expect(en.bytes(512)).toBe('512 B');
    expect(en.duration(3 * 3600 + 20 * 60)).toBe('3 hr 20 min');
    expect(en.speed(2048)).toBe('2 Mb/s');
  });
});
