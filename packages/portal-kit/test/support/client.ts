/** A tiny HTTP client with a cookie jar, for portal tests that do not need a browser. */
export interface PortalClient {
  readonly cookies: Map<string, string>;
  /** `redirect: 'manual'`: 303s are returned, not followed. */
  request(path: string, init?: RequestInit & { form?: Record<string, string>; json?: unknown }): Promise<Response>;
  /** GETs `path` and returns the page's CSRF token. */
  csrf(path?: string): Promise<string>;
  /** The raw `Set-Cookie` values of the last response. */
  lastSetCookies: string[];
}

export function portalClient(base: string, defaults: Record<string, string> = {}): PortalClient {
  const cookies = new Map<string, string>();
  const c: PortalClient = {
    cookies,
    lastSetCookies: [],
    async request(path, init = {}) {
      const headers = new Headers({ ...defaults, ...(init.headers as Record<string, string> | undefined) });
      if (cookies.size > 0) headers.set('cookie', [...cookies].map(([k, v]) => `${k}=${v}`).join('; '));
      let body = init.body;
      if (init.form) {
        body = new URLSearchParams(init.form).toString();
        headers.set('content-type', 'application/x-www-form-urlencoded');
      } else if (init.json !== undefined) {
        body = JSON.stringify(init.json);
        if (!headers.has('content-type')) headers.set('content-type', 'application/json');
      }
      const { form: _f, json: _j, ...rest } = init;
      const response = await fetch(`${base}${path}`, { ...rest, headers, body, redirect: 'manual' });
      c.lastSetCookies = response.headers.getSetCookie();
      for (const set of c.lastSetCookies) {
        const [pair] = set.split(';');
        const eq = (pair as string).indexOf('=');
        const name = (pair as string).slice(0, eq);
        const value = (pair as string).slice(eq + 1);
        if (/Max-Age=0/i.test(set)) cookies.delete(name);
        else cookies.set(name, value);
      }
      return response;
    },
    async csrf(path = '/') {
      const page = await (await c.request(path)).text();
      const token = /name="_csrf" value="([^"]+)"/.exec(page)?.[1];
      if (!token) throw new Error(`no CSRF token on ${path}`);
      return token;
    },
  };
  return c;
}
