import type { AccountingEvent, SessionRecord, UsageTotals } from '../domain/usage.js';

/** 2^32: one gigaword, the wrap of a 32-bit RADIUS octet counter. */
export const GIGAWORD = 2 ** 32;

/** What one accounting event does to its session. */
export interface SessionStep {
  /** The session as it should be stored (its `version` is left to the store). */
  session: SessionRecord;
  /** Bytes and seconds the event adds to the voucher (never negative). */
  delta: UsageTotals;
  /** Whether anything changed; a replay changes nothing and needs no write. */
  changed: boolean;
  /** The event closed an open session (a stop). */
  closed: boolean;
}

/**
 * A direction's 64-bit counter from one event, or `null` when it cannot be told (an older
 * event from a NAS without gigawords: its wrap count is unknown, so it may not raise the
 * maximum). With gigawords (or a counter already above 32 bits) the value is exact.
 */
function counterValue(
  previousBytes: number,
  octets: number,
  gigawords: number | undefined,
  order: number,
): number | null {
  if (gigawords !== undefined) return gigawords * GIGAWORD + octets;
  if (octets >= GIGAWORD) return octets;
  const raw = previousBytes % GIGAWORD;
  const wraps = Math.floor(previousBytes / GIGAWORD);
  // Newer by session time and the raw counter went down: it wrapped past 2^32.
  if (order > 0) return (wraps + (octets < raw ? 1 : 0)) * GIGAWORD + octets;
  if (order === 0) return wraps * GIGAWORD + octets;
  return null;
}

function splitCounter(bytes: number): { raw: number; wraps: number } {
  return { raw: bytes % GIGAWORD, wraps: Math.floor(bytes / GIGAWORD) };
}

/**
 * Applies one accounting event to a session (pure). Counters are cumulative, so the
 * session keeps the highest 64-bit value seen per direction (gigawords * 2^32 + octets) and
 * the highest session time; the delta is the rise of those maxima. Replays and out-of-order
 * events therefore never count twice, and any order of one session's events ends at the
 * same totals. Input octets are upload (sent by the customer), output octets download.
 *
 * @example
 * ```ts
 * const first = applyAccountingEvent(null, { type: 'start', sessionId: 's1', voucherId: 'v1',
 *   inputOctets: 0, outputOctets: 0, sessionTime: 0, eventTime: new Date() })
 * ```
 */
export function applyAccountingEvent(
  previous: SessionRecord | null,
  event: AccountingEvent,
  context: { customerId?: string } = {},
): SessionStep {
  const at = event.eventTime;
  const estimatedStart = new Date(at.getTime() - event.sessionTime * 1000);

  if (!previous) {
    const inputBytes = counterValue(0, event.inputOctets, event.inputGigawords, 1) as number;
    const outputBytes = counterValue(0, event.outputOctets, event.outputGigawords, 1) as number;
    const input = splitCounter(inputBytes);
    const output = splitCounter(outputBytes);
    const session: SessionRecord = {
      sessionId: event.sessionId,
      voucherId: event.voucherId,
      inputBytes,
      outputBytes,
      sessionTime: event.sessionTime,
      rawInputOctets: input.raw,
      rawOutputOctets: output.raw,
      inputWraps: input.wraps,
      outputWraps: output.wraps,
      startedAt: estimatedStart,
      lastEventAt: at,
      version: 0,
    };
    if (context.customerId !== undefined) session.customerId = context.customerId;
    if (event.mac !== undefined) session.mac = event.mac;
    if (event.nasId !== undefined) session.nasId = event.nasId;
    if (event.type === 'stop') {
      session.closedAt = at;
      session.closedReason = 'stop';
    }
    return {
      session,
      delta: { downloadBytes: outputBytes, uploadBytes: inputBytes, onlineSeconds: event.sessionTime },
      changed: true,
      closed: event.type === 'stop',
    };
  }

  const order = Math.sign(event.sessionTime - previous.sessionTime);
  const inValue = counterValue(previous.inputBytes, event.inputOctets, event.inputGigawords, order);
  const outValue = counterValue(previous.outputBytes, event.outputOctets, event.outputGigawords, order);
  const inputBytes = Math.max(previous.inputBytes, inValue ?? 0);
  const outputBytes = Math.max(previous.outputBytes, outValue ?? 0);
  const sessionTime = Math.max(previous.sessionTime, event.sessionTime);
  const input = splitCounter(inputBytes);
  const output = splitCounter(outputBytes);

  const session: SessionRecord = {
    ...previous,
    inputBytes,
    outputBytes,
    sessionTime,
    rawInputOctets: input.raw,
    rawOutputOctets: output.raw,
    inputWraps: input.wraps,
    outputWraps: output.wraps,
    lastEventAt: new Date(Math.max(at.getTime(), previous.lastEventAt.getTime())),
    startedAt: new Date(Math.min(estimatedStart.getTime(), previous.startedAt.getTime())),
  };
  if (session.mac === undefined && event.mac !== undefined) session.mac = event.mac;
  if (session.nasId === undefined && event.nasId !== undefined) session.nasId = event.nasId;

  let closed = false;
  if (event.type === 'stop') {
    // A stop closes the session; it also replaces a close by silence (the stop is the truth).
    if (previous.closedReason !== 'stop') {
      session.closedAt = at;
      session.closedReason = 'stop';
      closed = previous.closedAt === undefined;
    }
  } else if (previous.closedReason === 'stale' && at > previous.lastEventAt) {
    // Closed for silence but the NAS speaks again: the session is alive after all.
    delete session.closedAt;
    delete session.closedReason;
  }

  const delta: UsageTotals = {
    downloadBytes: outputBytes - previous.outputBytes,
    uploadBytes: inputBytes - previous.inputBytes,
    onlineSeconds: sessionTime - previous.sessionTime,
  };
  const changed =
    delta.downloadBytes !== 0 ||
    delta.uploadBytes !== 0 ||
    delta.onlineSeconds !== 0 ||
    session.lastEventAt.getTime() !== previous.lastEventAt.getTime() ||
    session.startedAt.getTime() !== previous.startedAt.getTime() ||
    session.closedAt?.getTime() !== previous.closedAt?.getTime() ||
    session.closedReason !== previous.closedReason ||
    session.mac !== previous.mac ||
    session.nasId !== previous.nasId;
  return { session, delta, changed, closed };
}
