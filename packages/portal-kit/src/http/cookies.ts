/** Reads the `Cookie` header into a map (first value wins, like browsers send them). */
export function parseCookies(header: string | null): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (!name || out.has(name)) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (!value.includes('%'))
      out.set(name, value); // signed values are base64url: nothing to decode
    else {
      try {
        out.set(name, decodeURIComponent(value));
      } catch {
        out.set(name, value);
      }
    }
  }
  return out;
}

export interface CookieOptions {
  path: string;
  /** Seconds; 0 deletes the cookie. */
  maxAge: number;
  httpOnly?: boolean;
  secure?: boolean;
  sameSite?: 'Lax' | 'Strict';
}

/** A `Set-Cookie` header value. `value` must be cookie-safe (base64url, ids). */
export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  let out = `${name}=${encodeURIComponent(value)}; Path=${options.path}; Max-Age=${options.maxAge}`;
  if (options.maxAge === 0) out += '; Expires=Thu, 01 Jan 1970 00:00:00 GMT';
  if (options.httpOnly !== false) out += '; HttpOnly';
  if (options.secure) out += '; Secure';
  out += `; SameSite=${options.sameSite ?? 'Lax'}`;
  return out;
}
