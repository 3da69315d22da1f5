// Powerlynx/Splynx-style `%NAME%` placeholders, substituted with the encoding of the place they
// stand in: a JSON payload gets JSON string escaping, a form body or a URL gets percent-encoding,
// a header value gets the raw text (line breaks removed: they would split the header).

/** The values one message gives the placeholders. */
export interface PlaceholderValues {
  /** E.164 with `+`. */
  to: string;
  message: string;
  /** The message's sender (the location's sender id), else the gateway's `from`. */
  location: string;
  from: string;
  /** The SMS log entry's id. */
  id: string;
  secrets: Readonly<Record<string, string>>;
}

/** Where a template is used, which decides how values are encoded. */
export type PlaceholderContext = 'json' | 'form' | 'url' | 'header';

const TEMPLATE_VARIABLE = /%(TO_DIGITS|TO|MESSAGE|LOCATION|FROM|ID|SECRET:([A-Za-z0-9_.-]+))%/g;

/** The placeholder names a template may use, for docs and error messages. */
export const TEMPLATE_VARIABLES = ['%TO%', '%TO_DIGITS%', '%MESSAGE%', '%LOCATION%', '%FROM%', '%ID%', '%SECRET:name%'];

/** Percent-encodes everything but RFC 3986 unreserved characters (stricter than encodeURIComponent). */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** JSON string escaping without the surrounding quotes. */
export function jsonEscape(value: string): string {
  return JSON.stringify(value).slice(1, -1);
}

function encode(value: string, context: PlaceholderContext): string {
  switch (context) {
    case 'json':
      return jsonEscape(value);
    case 'form':
    case 'url':
      return percentEncode(value);
    case 'header':
      return value.replace(/[\r\n]+/g, ' ');
  }
}

function rawValue(name: string, secretName: string | undefined, values: PlaceholderValues): string {
  if (secretName !== undefined) {
    const secret = values.secrets[secretName];
    // Config validation refuses templates naming an unknown secret, so this is a programming error.
    if (secret === undefined) throw new Error(`unknown secret "${secretName}"`);
    return secret;
  }
  switch (name) {
    case 'TO':
      return values.to;
    case 'TO_DIGITS':
      return values.to.replace(/^\+/, '');
    case 'MESSAGE':
      return values.message;
    case 'LOCATION':
      return values.location;
    case 'FROM':
      return values.from;
    default:
      return values.id;
  }
}

/** Substitutes every placeholder in `template`, each value encoded for `context`. */
export function substitute(template: string, values: PlaceholderValues, context: PlaceholderContext): string {
  if (!template.includes('%')) return template;
  return template.replace(TEMPLATE_VARIABLE, (_match, name: string, secretName: string | undefined) =>
    encode(rawValue(name, secretName, values), context),
  );
}

/** The secret names a template refers to with `%SECRET:name%`. */
export function referencedSecrets(template: string): string[] {
  const names: string[] = [];
  for (const m of template.matchAll(TEMPLATE_VARIABLE)) if (m[2] !== undefined) names.push(m[2]);
  return names;
}
