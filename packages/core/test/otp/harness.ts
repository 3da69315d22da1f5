// A kit wired for OTP tests: memory store, a capturing SMS sender, a capturing logger, every
// event recorded, and a clock the test moves by hand.
import {
  createHotspotKit,
  createMemoryStore,
  type HotspotEvents,
  type HotspotKit,
  type HotspotKitOptions,
  type Logger,
  type SmsLogEntry,
  type SmsMessage,
  type SmsSender,
} from '@hotspot-kit/core';

export const T0 = new Date('2026-03-02T09:00:00.000Z');

/** A hand-moved clock. */
export interface TestClock {
  now: () => Date;
  advance(seconds: number): void;
  set(date: Date): void;
}

export function createTestClock(start = T0): TestClock {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    advance(seconds) {
      current += seconds * 1000;
    },
    set(date) {
      current = date.getTime();
    },
  };
}

/** How the capturing sender answers: a log entry with this status, or a thrown error. */
export type SmsBehaviour = 'sent' | 'queued' | 'failed' | 'throw';

/** An SmsSender that keeps every message and answers as told (the real router lives in @hotspot-kit/sms). */
export interface CapturingSms extends SmsSender {
  readonly messages: SmsMessage[];
  readonly entries: SmsLogEntry[];
  behaviour: SmsBehaviour;
  /** The code in the last SMS to `to` (or the last SMS at all). */
  lastCode(to?: string): string;
  /** How many SMS went to `to`. */
  countTo(to: string): number;
}

export function createCapturingSms(clock: () => Date): CapturingSms {
  const messages: SmsMessage[] = [];
  const entries: SmsLogEntry[] = [];
  let n = 0;
  const sms: CapturingSms = {
    messages,
    entries,
    behaviour: 'sent',
    async send(message) {
      messages.push(structuredClone(message));
      if (sms.behaviour === 'throw') throw new Error(`gateway exploded while sending "${message.text}"`);
      n += 1;
      const status = sms.behaviour;
      const entry: SmsLogEntry = {
        id: `sms-${n}`,
        to: message.to,
        text: message.logText ?? message.text,
        purpose: message.purpose,
        status,
        createdAt: clock(),
        updatedAt: clock(),
        attempts: [],
        ...(message.locationId ? { locationId: message.locationId } : {}),
        ...(message.sender ? { sender: message.sender } : {}),
        ...(message.meta ? { meta: message.meta } : {}),
        ...(status === 'failed' ? { errorCode: '30003' } : {}),
      };
      entries.push(entry);
      return structuredClone(entry);
    },
    lastCode(to) {
      const list = to ? messages.filter((m) => m.to === to) : messages;
      const last = list[list.length - 1];
      const code = last?.text.match(/\d{4,10}/)?.[0];
      if (!code) throw new Error(`no code was sent${to ? ` to ${to}` : ''}`);
      return code;
    },
    countTo(to) {
      return messages.filter((m) => m.to === to).length;
    },
  };
  return sms;
}

export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  fields?: Record<string, unknown>;
}

export function createCapturingLogger(): Logger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at =
    (level: LogLine['level']) =>
    (message: string, fields?: Record<string, unknown>): void => {
      lines.push({ level, message, ...(fields ? { fields } : {}) });
    };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

type OtpEventName = 'otp.sent' | 'otp.verified' | 'otp.failed' | 'otp.locked';

export interface OtpHarness {
  kit: HotspotKit;
  clock: TestClock;
  sms: CapturingSms;
  logger: ReturnType<typeof createCapturingLogger>;
  events: Array<{ name: OtpEventName; payload: HotspotEvents[OtpEventName] }>;
}

export const SECRET = 'test-secret-0123456789-abcdefghij';

/** A kit with OTP on and everything observable. `overrides` go to createHotspotKit as they are. */
export function makeOtpHarness(overrides: Partial<HotspotKitOptions> = {}): OtpHarness {
  const clock = createTestClock();
  const sms = createCapturingSms(clock.now);
  const logger = createCapturingLogger();
  const kit = createHotspotKit({
    store: createMemoryStore(),
    sms,
    secret: SECRET,
    clock: clock.now,
    logger,
    ...overrides,
  });
  const events: OtpHarness['events'] = [];
  for (const name of ['otp.sent', 'otp.verified', 'otp.failed', 'otp.locked'] as const) {
    kit.events.on(name, (payload) => {
      events.push({ name, payload });
    });
  }
  return { kit, clock, sms, logger, events };
}

/** Starts a challenge that must succeed and returns its id and the code that was sent. */
export async function startOk(
  h: OtpHarness,
  input: { phone: string; purpose?: 'splash' | 'portal'; ip?: string; locale?: string; locationId?: string },
): Promise<{ challengeId: string; code: string; expiresAt: Date; resendAfter: Date }> {
  const result = await h.kit.otp.start({ purpose: 'splash', ...input });
  if (!result.ok) throw new Error(`start was refused: ${result.reason} (${result.message})`);
  return {
    challengeId: result.challengeId,
    code: h.sms.lastCode(),
    expiresAt: result.expiresAt,
    resendAfter: result.resendAfter,
  };
}

/** A code of the same length that is not `code`. */
export function wrongCode(code: string): string {
  return code
    .split('')
    .map((d) => String((Number(d) + 1) % 10))
    .join('');
}
