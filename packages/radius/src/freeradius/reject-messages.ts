/** Why a login is refused; each has a `Reply-Message` the hotspot shows. */
export type RejectReason = 'unknown' | 'wrong-credential' | 'used' | 'expired' | 'device-limit';

/** A text per {@link RejectReason}, in one language. */
export type RejectMessages = Record<RejectReason, string>;

/** The built-in texts, by language. Operators override any of them with the `messages` option. */
export const REJECT_MESSAGES: Readonly<Record<string, RejectMessages>> = {
  en: {
    unknown: 'Unknown voucher code',
    'wrong-credential': 'Wrong password for this voucher',
    used: 'This voucher is used up',
    expired: 'This voucher has expired',
    'device-limit': 'This voucher is in use on as many devices as it allows',
  },
  de: {
    unknown: 'Unbekannter Gutscheincode',
    'wrong-credential': 'Falsches Passwort für diesen Gutschein',
    used: 'Dieser Gutschein ist aufgebraucht',
    expired: 'Dieser Gutschein ist abgelaufen',
    'device-limit': 'Dieser Gutschein ist bereits auf der erlaubten Zahl von Geräten in Gebrauch',
  },
  es: {
    unknown: 'Código de cupón desconocido',
    'wrong-credential': 'Contraseña incorrecta para este cupón',
    used: 'Este cupón está agotado',
    expired: 'Este cupón ha caducado',
    'device-limit': 'Este cupón ya se usa en todos los dispositivos que permite',
  },
  ru: {
    unknown: 'Неизвестный код ваучера',
    'wrong-credential': 'Неверный пароль для этого ваучера',
    used: 'Этот ваучер израсходован',
    expired: 'Срок действия ваучера истёк',
    'device-limit': 'Ваучер уже используется на максимальном числе устройств',
  },
};

// A Reply-Message attribute holds at most 253 bytes.
const MAX_BYTES = 253;

/** `text` cut to 253 UTF-8 bytes without splitting a character. */
export function fitReplyMessage(text: string): string {
  const encoder = new TextEncoder();
  if (encoder.encode(text).length <= MAX_BYTES) return text;
  let out = '';
  for (const char of text) {
    if (encoder.encode(out + char).length > MAX_BYTES) break;
    out += char;
  }
  return out;
}

/**
 * Picks the text for `reason`: the language `locale` (`de-AT` falls back to `de`), then
 * `fallback`, then English; operator `overrides` win over the built-in texts.
 */
export function rejectMessage(
  reason: RejectReason,
  locale: string | undefined,
  fallback: string,
  overrides: Readonly<Record<string, Partial<RejectMessages>>> = {},
): string {
  const tags: string[] = [];
  for (const tag of [locale, fallback, 'en']) {
    if (!tag) continue;
    const lower = tag.toLowerCase();
    tags.push(lower, lower.split('-')[0] as string);
  }
  const lowered = new Map(Object.entries(overrides).map(([k, v]) => [k.toLowerCase(), v]));
  for (const tag of tags) {
    const text = lowered.get(tag)?.[reason] ?? REJECT_MESSAGES[tag]?.[reason];
    if (text) return fitReplyMessage(text);
  }
  return (REJECT_MESSAGES.en as RejectMessages)[reason];
}
