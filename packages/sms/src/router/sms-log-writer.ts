import type { Logger, SmsAttempt, SmsLogEntry, SmsLogRepository, SmsMessage } from '@hotspot-kit/core';
import type { LoggedText } from './logged-text.js';

/**
 * Writes one message's life to the SMS log: `start` inserts it (`sending`) before the first
 * attempt, so `%ID%` always names a logged message; `finish` settles it from its attempts.
 * Neither throws: a failed write is reported through the logger and the message goes on (a
 * customer waiting for a code must get it; a throw after sending would invite a resend).
 */
export interface SmsLogWriter {
  start(message: SmsMessage, logged: LoggedText): Promise<SmsLogEntry>;
  finish(entry: SmsLogEntry, attempts: readonly SmsAttempt[]): Promise<SmsLogEntry>;
}

/** Makes the writer; without `log`, entries are made and returned but kept nowhere. */
export function createSmsLogWriter(options: {
  log: SmsLogRepository | undefined;
  logger: Logger;
  clock: () => Date;
  newId: () => string;
}): SmsLogWriter {
  const { log, logger, clock, newId } = options;

  const write = async (what: 'insert' | 'update', entry: SmsLogEntry) => {
    if (!log) return;
    try {
      await (what === 'insert' ? log.insert(entry) : log.update(entry));
    } catch (error) {
      logger.error(`could not ${what} the SMS log entry`, { id: entry.id, error: String(error) });
    }
  };

  return {
    async start(message, logged) {
      const now = clock();
      const entry: SmsLogEntry = {
        id: newId(),
        to: message.to,
        text: logged.text,
        purpose: message.purpose,
        status: 'sending',
        createdAt: now,
        updatedAt: now,
        attempts: [],
      };
      if (message.locationId !== undefined) entry.locationId = message.locationId;
      if (message.sender !== undefined) entry.sender = message.sender;
      if (message.meta !== undefined) entry.meta = { ...message.meta };
      await write('insert', entry);
      return entry;
    },

    async finish(entry, attempts) {
      entry.attempts = [...attempts];
      const sent = attempts.find((a) => a.outcome === 'sent');
      const last = [...attempts].reverse().find((a) => a.skipped === undefined);
      entry.status = sent ? 'sent' : 'failed';
      const by = sent ?? last;
      if (by) entry.gatewayId = by.gatewayId;
      if (sent?.providerMessageId !== undefined) entry.providerMessageId = sent.providerMessageId;
      if (!sent) {
        const code = last?.providerError?.code;
        if (code !== undefined) entry.errorCode = String(code);
        else if (attempts.length === 0) entry.errorCode = 'NO_GATEWAY';
      }
      entry.updatedAt = clock();
      await write('update', entry);
      return entry;
    },
  };
}
