/**
 * HTML that is already safe to emit: produced by {@link html} or {@link raw}. Anything else
 * interpolated into {@link html} is escaped.
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const ESCAPE_RE = /[&<>"']/g;
// Separate non-global pattern: `test` on a /g regex would carry `lastIndex` between calls.
const NEEDS_ESCAPE = /[&<>"']/;

const escapeChar = (c: string): string => ESCAPES[c] as string;

/** Escapes text for an HTML text node or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return NEEDS_ESCAPE.test(text) ? text.replace(ESCAPE_RE, escapeChar) : text;
}

/**
 * Marks a string as HTML that must not be escaped. Only for markup this package wrote
 * itself (never operator or customer text).
 */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** What may stand in an `html` template hole. `null`, `undefined` and booleans render nothing. */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

function append(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.value;
  if (typeof value === 'string') return escapeHtml(value);
  if (typeof value === 'number') return String(value);
  if (value === null || value === undefined || typeof value === 'boolean') return '';
  if (Array.isArray(value)) {
    let out = '';
    for (const item of value) out += append(item);
    return out;
  }
  return escapeHtml(String(value));
}

/**
 * An auto-escaping tagged template: every interpolated string (operator and customer text:
 * names, device labels, branding) is escaped; nested `html` results and arrays of them are
 * kept as markup. This is the only way the portal builds HTML.
 *
 * @example
 * ```ts
 * const label = '<script>alert(1)</script>'
 * html`<li>${label}</li>`.toString() // '<li>&lt;script&gt;alert(1)&lt;/script&gt;</li>'
 * ```
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] as string;
  for (let i = 0; i < values.length; i++) out += append(values[i]) + (strings[i + 1] as string);
  return new SafeHtml(out);
}
