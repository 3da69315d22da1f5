import { de } from './messages-de.js';
import { en, type MessageKey, type Messages, type MessageValue } from './messages-en.js';
import { es } from './messages-es.js';
import { ru } from './messages-ru.js';

/** The languages the portal ships. Operators may add more through `messages`. */
export const BUILT_IN_MESSAGES: Readonly<Record<string, Messages>> = { en, es, ru, de };

/** Operator overrides: per language, any subset of keys. A new language falls back to English. */
export type MessageOverrides = Record<string, Partial<Record<MessageKey, MessageValue>>>;

/** Texts and number/date formats of one language. */
export interface Translator {
  readonly locale: string;
  /** The message with `{name}` placeholders filled; plural forms chosen by `params.count`. Not escaped: render it with `html`. */
  t(key: MessageKey, params?: Record<string, string | number>): string;
  bytes(bytes: number): string;
  /** e.g. `2 hr 15 min`, `3 days 4 hr`. */
  duration(seconds: number): string;
  /** Date and time in `timeZone` (default UTC). */
  dateTime(date: Date, timeZone?: string): string;
  /** A `YYYY-MM-DD` day as a short label. */
  day(day: string, style?: 'short' | 'long'): string;
  speed(kbps: number): string;
  number(n: number): string;
}

/** Picks languages and makes translators (cached per language, since Intl formatters are costly to build). */
export interface I18n {
  readonly locales: readonly string[];
  readonly defaultLocale: string;
  /** `preferred` (a `?lang=` or cookie choice) if supported, else the best `Accept-Language` match, else the default. */
  negotiate(preferred: string | undefined | null, acceptLanguage: string | null): string;
  translator(locale: string): Translator;
  /** The language's own name for the switcher, e.g. `Español`. */
  languageName(locale: string): string;
}

export function createI18n(options: { locales?: string[]; defaultLocale?: string; messages?: MessageOverrides }): I18n {
  const overrides = options.messages ?? {};
  const all = new Set([...Object.keys(BUILT_IN_MESSAGES), ...Object.keys(overrides)]);
  const locales = (options.locales ?? [...all]).map((l) => l.toLowerCase());
  const defaultLocale = (options.defaultLocale ?? (locales.includes('en') ? 'en' : locales[0]) ?? 'en').toLowerCase();
  if (!locales.includes(defaultLocale)) locales.unshift(defaultLocale);
  const cache = new Map<string, Translator>();
  const names = new Map<string, string>();

  function supported(tag: string | undefined | null): string | undefined {
    if (!tag) return undefined;
    const lower = tag.trim().toLowerCase();
    if (locales.includes(lower)) return lower;
    const primary = lower.split('-')[0] as string;
    return locales.includes(primary) ? primary : undefined;
  }

  return {
    locales,
    defaultLocale,
    negotiate(preferred, acceptLanguage) {
      const chosen = supported(preferred);
      if (chosen) return chosen;
      for (const tag of parseAcceptLanguage(acceptLanguage)) {
        const match = supported(tag);
        if (match) return match;
      }
      return defaultLocale;
    },
    translator(locale) {
      let tr = cache.get(locale);
      if (!tr) {
        const messages: Record<string, MessageValue> = {
          ...en,
          ...(locale !== 'en' ? overrides.en : {}),
          ...BUILT_IN_MESSAGES[locale],
          ...overrides[locale],
        };
        tr = createTranslator(locale, messages as Messages);
        cache.set(locale, tr);
      }
      return tr;
    },
    languageName(locale) {
      let name = names.get(locale);
      if (name === undefined) {
        try {
          const own = new Intl.DisplayNames([locale], { type: 'language' }).of(locale) ?? locale;
          name = own.charAt(0).toLocaleUpperCase(locale) + own.slice(1);
        } catch {
          name = locale;
        }
        names.set(locale, name);
      }
      return name;
    },
  };
}

/** Tags from an `Accept-Language` header, best first (q=0 dropped). */
export function parseAcceptLanguage(header: string | null): string[] {
  if (!header) return [];
  return header
    .split(',')
    .slice(0, 20)
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const quality = q ? Number.parseFloat(q.slice(2)) : 1;
      return { tag: (tag ?? '').trim(), quality: Number.isFinite(quality) ? quality : 0, index };
    })
    .filter((x) => x.tag && x.tag !== '*' && x.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index)
    .map((x) => x.tag);
}

/**
 * Remembers up to `size` results of `fn`. Intl formatting costs microseconds per call and a
 * status page formats the same dates, sizes and durations on every view.
 */
function memo<A extends string | number>(fn: (arg: A) => string, size = 5000): (arg: A) => string {
  const cache = new Map<A, string>();
  return (arg) => {
    let out = cache.get(arg);
    if (out === undefined) {
      out = fn(arg);
      if (cache.size >= size) cache.clear();
      cache.set(arg, out);
    }
    return out;
  };
}

/** Like {@link memo} for two-part keys (no key string is built per call). */
function memo2<A extends string, B extends string | number>(fn: (a: A, b: B) => string, size = 5000) {
  const caches = new Map<A, Map<B, string>>();
  return (a: A, b: B): string => {
    let cache = caches.get(a);
    if (!cache) {
      cache = new Map();
      caches.set(a, cache);
    }
    let out = cache.get(b);
    if (out === undefined) {
      out = fn(a, b);
      if (cache.size >= size) cache.clear();
      cache.set(b, out);
    }
    return out;
  };
}

type Part = string | { name: string };

/** `'Hi {name}!'` → `['Hi ', { name: 'name' }, '!']`, parsed once per message. */
function parseMessage(message: string): Part[] {
  const parts: Part[] = [];
  let last = 0;
  for (const m of message.matchAll(/\{(\w+)\}/g)) {
    if (m.index > last) parts.push(message.slice(last, m.index));
    parts.push({ name: m[1] as string });
    last = m.index + m[0].length;
  }
  if (last < message.length) parts.push(message.slice(last));
  return parts;
}

/** A message parsed once: plain text, or parts with placeholders, per plural form where it has them. */
interface CompiledText {
  text: string;
  parts: Part[] | null;
}
type Compiled = CompiledText | { forms: Record<string, CompiledText> };

function compile(text: string): CompiledText {
  const parts = parseMessage(text);
  return { text, parts: parts.some((p) => typeof p !== 'string') ? parts : null };
}

function createTranslator(locale: string, messages: Messages): Translator {
  const intlLocale = safeLocale(locale);
  const compiled = new Map<string, Compiled>();
  const lookup = (key: MessageKey): Compiled => {
    let entry = compiled.get(key);
    if (!entry) {
      const message = messages[key] ?? en[key];
      if (typeof message === 'string') entry = compile(message);
      else {
        const forms: Record<string, CompiledText> = {};
        for (const [form, text] of Object.entries(message)) if (typeof text === 'string') forms[form] = compile(text);
        entry = { forms };
      }
      compiled.set(key, entry);
    }
    return entry;
  };
  const fill = (parts: Part[], params: Record<string, string | number>) => {
    let out = '';
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] as Part;
      if (typeof part === 'string') out += part;
      else {
        const value = params[part.name];
        out += value === undefined ? `{${part.name}}` : typeof value === 'string' ? value : String(value);
      }
    }
    return out;
  };
  const pluralRules = new Intl.PluralRules(intlLocale);
  const plural = memo((count: number) => pluralRules.select(count), 1000);
  const unitFormats = new Map<string, Intl.NumberFormat>();
  const unit = (name: string, digits: number) => {
    const key = `${name}/${digits}`;
    let f = unitFormats.get(key);
    if (!f) {
      f = new Intl.NumberFormat(intlLocale, {
        style: 'unit',
        unit: name,
        unitDisplay: 'short',
        maximumFractionDigits: digits,
      });
      unitFormats.set(key, f);
    }
    return f;
  };
  const numberFormat = new Intl.NumberFormat(intlLocale);
  const dateFormats = new Map<string, Intl.DateTimeFormat>();
  const formatDate = memo2((timeZone: string, ms: number) => {
    let f = dateFormats.get(timeZone);
    if (!f) {
      try {
        f = new Intl.DateTimeFormat(intlLocale, { dateStyle: 'medium', timeStyle: 'short', timeZone });
      } catch {
        f = new Intl.DateTimeFormat(intlLocale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
      }
      dateFormats.set(timeZone, f);
    }
    return f.format(new Date(ms));
  });
  const dayShort = new Intl.DateTimeFormat(intlLocale, { day: 'numeric', month: 'short', timeZone: 'UTC' });
  const dayLong = new Intl.DateTimeFormat(intlLocale, { dateStyle: 'medium', timeZone: 'UTC' });
  const formatDay = memo2((style: 'short' | 'long', day: string) => {
    const date = new Date(`${day}T00:00:00Z`);
    if (Number.isNaN(date.getTime())) return day;
    return (style === 'short' ? dayShort : dayLong).format(date);
  });

  return {
    locale,
    t(key, params) {
      const entry = lookup(key);
      const message =
        'forms' in entry
          ? (entry.forms[plural(Number(params?.count ?? 0))] ?? (entry.forms.other as CompiledText))
          : entry;
      return message.parts && params ? fill(message.parts, params) : message.text;
    },
    bytes: memo((bytes: number) => {
      const steps: [number, string][] = [
        [1e12, 'terabyte'],
        [1e9, 'gigabyte'],
        [1e6, 'megabyte'],
        [1e3, 'kilobyte'],
      ];
      for (const [size, name] of steps) {
        if (bytes >= size) {
          const value = bytes / size;
          return unit(name, value < 10 ? 1 : 0).format(value);
        }
      }
      // Intl spells bytes out ("512 byte"); the short symbol reads better next to kB/MB/GB.
      return `${numberFormat.format(Math.max(0, Math.round(bytes)))} B`;
    }),
    duration: memo((seconds: number) => {
      const s = Math.max(0, Math.round(seconds));
      if (s < 60) return unit('second', 0).format(s);
      const days = Math.floor(s / 86_400);
      const hours = Math.floor((s % 86_400) / 3600);
      const minutes = Math.floor((s % 3600) / 60);
      if (days > 0) {
        return hours > 0
          ? `${unit('day', 0).format(days)} ${unit('hour', 0).format(hours)}`
          : unit('day', 0).format(days);
      }
      if (hours > 0) {
        return minutes > 0
          ? `${unit('hour', 0).format(hours)} ${unit('minute', 0).format(minutes)}`
          : unit('hour', 0).format(hours);
      }
      return unit('minute', 0).format(minutes);
    }),
    dateTime(date, timeZone = 'UTC') {
      return formatDate(timeZone, date.getTime());
    },
    day(day, style = 'short') {
      return formatDay(style, day);
    },
    speed(kbps) {
      return kbps >= 1000
        ? unit('megabit-per-second', kbps < 10_000 ? 1 : 0).format(kbps / 1000)
        : unit('kilobit-per-second', 0).format(kbps);
    },
    number: (n) => numberFormat.format(n),
  };
}

function safeLocale(locale: string): string {
  try {
    return Intl.getCanonicalLocales(locale)[0] ?? 'en';
  } catch {
    return 'en';
  }
}
