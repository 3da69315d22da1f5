import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';

const COOKIE = 'splash_csrf';

function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

/**
 * Double-submit CSRF protection for the splash forms: a random value in a SameSite=Lax
 * cookie and the same value in a hidden field. Another site can make a browser post the
 * form, but cannot read or set the cookie, so it cannot send a matching field: nobody can
 * make visitors' browsers request SMS codes for numbers of the attacker's choosing.
 */
export const splashCsrf = {
  /** The visitor's token (made and set as a cookie when absent), for the hidden `_csrf` field. */
  issue(req: Request, res: Response): string {
    const existing = readCookie(req, COOKIE);
    if (existing && /^[A-Za-z0-9_-]{22,}$/.test(existing)) return existing;
    const token = randomBytes(18).toString('base64url');
    res.cookie(COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/splash' });
    return token;
  },
  /** Whether the posted `_csrf` field matches the cookie. */
  verify(req: Request): boolean {
    const cookie = readCookie(req, COOKIE);
    const field = (req.body as Record<string, unknown> | undefined)?._csrf;
    if (!cookie || typeof field !== 'string') return false;
    const a = Buffer.from(cookie);
    const b = Buffer.from(field);
    return a.length === b.length && timingSafeEqual(a, b);
  },
};
