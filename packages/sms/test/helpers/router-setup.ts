// The setup every router test file shares: one loopback provider per file with per-path
// answers, and every router a test makes closed when the test ends.
import type { SmsRouter } from '@hotspot-kit/sms';
import { afterAll, afterEach, beforeAll, vi } from 'vitest';
import { json, type StubHandler, type StubServer, startStub } from './stub-server.js';

export interface RouterTestSetup {
  /** The file's provider stub (started before its tests, closed after them). */
  readonly stub: StubServer;
  /** What the stub answers per path (query ignored); cleared after each test. */
  readonly answers: Map<string, { status: number; body: string }>;
  /** How many requests the stub got for paths starting with `path`. */
  hits(path: string): number;
  /** Closes `router` when the test ends; returns it. */
  track<T extends SmsRouter>(router: T): T;
}

/**
 * Registers the hooks: paths without an answer in `answers` go to `fallback` (default
 * `200 {"ok":true}`); after each test the answers are cleared, real timers restored and the
 * tracked routers closed.
 */
export function setupRouterTests(fallback: StubHandler = (_req, res) => json(res, 200, { ok: true })): RouterTestSetup {
  let stub: StubServer | undefined;
  const answers = new Map<string, { status: number; body: string }>();
  const routers: SmsRouter[] = [];

  beforeAll(async () => {
    stub = await startStub((req, res) => {
      const answer = answers.get(req.url.split('?')[0] as string);
      if (!answer) return fallback(req, res);
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(answer.body);
    });
  });
  afterAll(() => stub?.close());
  afterEach(async () => {
    answers.clear();
    vi.useRealTimers();
    await Promise.all(routers.splice(0).map((r) => r.close()));
  });

  return {
    get stub() {
      if (!stub) throw new Error('the provider stub starts in beforeAll: use it inside a test');
      return stub;
    },
    answers,
    hits: (path) => (stub?.requests ?? []).filter((r) => r.url.startsWith(path)).length,
    track(router) {
      routers.push(router);
      return router;
    },
  };
}
