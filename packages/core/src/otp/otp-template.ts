import type { OtpPurpose } from '../domain/otp.js';

/** Variables an OTP message template may use, written `{{ .name }}`. */
export const OTP_TEMPLATE_VARIABLES = ['code', 'minutes', 'location'] as const;

export type OtpTemplateVariable = (typeof OTP_TEMPLATE_VARIABLES)[number];

/** One language's OTP messages, per purpose. */
export type OtpTemplates = Record<OtpPurpose, string>;

/**
 * The built-in OTP messages by locale. Short enough for one GSM-7 segment in English; each
 * says what the code is for, so a forwarded code is less useful to a phisher. Hosts override
 * or add languages with the `otp.templates` option.
 */
export const DEFAULT_OTP_TEMPLATES: Readonly<Record<string, OtpTemplates>> = {
  en: {
    splash: 'Your WiFi code is {{ .code }}',
    portal: 'Your WiFi code is {{ .code }}. Use it to sign in to your account.',
  },
  de: {
    splash: 'Ihr WLAN-Code lautet {{ .code }}',
    portal: 'Ihr WLAN-Code lautet {{ .code }}. Damit melden Sie sich in Ihrem Konto an.',
  },
  es: {
    splash: 'Tu código WiFi es {{ .code }}',
    portal: 'Tu código WiFi es {{ .code }}. Úsalo para entrar en tu cuenta.',
  },
  fr: {
    splash: 'Votre code WiFi est {{ .code }}',
    portal: 'Votre code WiFi est {{ .code }}. Utilisez-le pour accéder à votre compte.',
  },
  ru: {
    splash: 'Ваш код WiFi: {{ .code }}',
    portal: 'Ваш код WiFi: {{ .code }}. Используйте его для входа в личный кабинет.',
  },
  lv: {
    splash: 'Jūsu WiFi kods ir {{ .code }}',
    portal: 'Jūsu WiFi kods ir {{ .code }}. Izmantojiet to, lai pieslēgtos savam kontam.',
  },
};

const VARIABLE = /\{\{\s*\.([A-Za-z_][\w.]*)\s*\}\}/g;

/** Why `template` cannot be used as an OTP message, or `null` when it can. */
export function otpTemplateProblem(template: string): string | null {
  const names = [...template.matchAll(VARIABLE)].map((m) => m[1] as string);
  const unknown = names.filter((n) => !(OTP_TEMPLATE_VARIABLES as readonly string[]).includes(n));
  if (unknown.length > 0) {
    return `unknown variable ${unknown.map((n) => `{{ .${n} }}`).join(', ')} (known: ${OTP_TEMPLATE_VARIABLES.map((n) => `{{ .${n} }}`).join(', ')})`;
  }
  // Anything left that looks like a placeholder is a typo such as `{{code}}`: it would be sent verbatim.
  const rest = template.replace(VARIABLE, '');
  if (rest.includes('{{') || rest.includes('}}')) return 'has a malformed placeholder; write variables as {{ .code }}';
  if (!names.includes('code')) return 'must contain {{ .code }}';
  return null;
}

/** Fills a (validated) template. */
export function renderOtpTemplate(template: string, values: Record<OtpTemplateVariable, string>): string {
  return template.replace(VARIABLE, (_all, name: string) => values[name as OtpTemplateVariable] ?? '');
}
