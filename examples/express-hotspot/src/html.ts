/** HTML that is already escaped (made by {@link html} or {@link raw}). */
export interface SafeHtml {
  readonly __html: string;
  toString(): string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** Marks a string as trusted HTML (only for markup this app wrote itself). */
export function raw(value: string): SafeHtml {
  return { __html: value, toString: () => value };
}

function render(value: unknown): string {
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  if (typeof value === 'object' && '__html' in value) return (value as SafeHtml).__html;
  return escapeHtml(String(value));
}

/**
 * An auto-escaping tagged template: every interpolated value is escaped unless it is
 * {@link SafeHtml}, so phone numbers, names and voucher codes can never inject markup.
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return raw(out);
}

/** A whole page in the splash page's look. */
export function page(title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 0; background: #f4f6f5; color: #1b1f1d; }
  main { max-width: 26rem; margin: 2rem auto; padding: 1.5rem; background: #fff; border-radius: 12px;
         box-shadow: 0 1px 4px rgb(0 0 0 / 0.08); }
  h1 { font-size: 1.4rem; margin-top: 0; }
  label { display: block; margin: 1rem 0 0.3rem; font-weight: 600; }
  input { width: 100%; box-sizing: border-box; padding: 0.7rem; font-size: 1.1rem; border: 1px solid #9aa5a0; border-radius: 8px; }
  button { margin-top: 1.2rem; width: 100%; padding: 0.8rem; font-size: 1.1rem; border: 0; border-radius: 8px;
           background: #0a7d5a; color: #fff; cursor: pointer; }
  button.link { background: none; color: #0a7d5a; text-decoration: underline; width: auto; padding: 0; font-size: 1rem; }
  .error { background: #fdecea; color: #8a1c12; padding: 0.7rem; border-radius: 8px; }
  .ok { background: #e6f4ee; color: #0b5e43; padding: 0.7rem; border-radius: 8px; }
  .hint { color: #5b6661; font-size: 0.9rem; }
  dl { display: grid; grid-template-columns: auto 1fr; gap: 0.3rem 1rem; }
  dt { color: #5b6661; }
  code { font-size: 1.1rem; }
</style>
</head>
<body><main>${body}</main></body>
</html>`.toString();
}
