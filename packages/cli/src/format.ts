import type { SmsAttempt, SmsLogEntry, SmsRequestPreview } from '@hotspot-kit/core';

/** JSON for `--json` output: dates as ISO strings, two-space indent. */
export function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** One line per attempt: gateway, outcome, duration, HTTP status, reason. */
export function formatAttempt(attempt: SmsAttempt, index?: number): string {
  const parts = [
    index === undefined ? '' : `${index + 1}.`,
    attempt.gatewayName && attempt.gatewayName !== attempt.gatewayId
      ? `${attempt.gatewayId} (${attempt.gatewayName})`
      : attempt.gatewayId,
    attempt.outcome.toUpperCase(),
    `${Math.round(attempt.durationMs)} ms`,
    attempt.httpStatus === undefined ? '' : `HTTP ${attempt.httpStatus}`,
    attempt.providerMessageId ? `id ${attempt.providerMessageId}` : '',
    attempt.error ? `: ${attempt.error}` : '',
  ].filter((p) => p !== '');
  return parts.join('  ').replace(/ {2}: /, ': ');
}

/** A request as a provider would receive it (secrets already masked by the SMS package). */
export function formatRequest(request: SmsRequestPreview): string {
  const lines = [`${request.method} ${request.url}`];
  for (const [name, value] of Object.entries(request.headers)) lines.push(`${name}: ${value}`);
  if (request.body !== undefined && request.body !== '') lines.push('', request.body);
  return `${lines.join('\n')}\n`;
}

/** Summary of a send: status, the gateway that took it, every attempt. */
export function formatSend(entry: SmsLogEntry): string {
  const ok = entry.status === 'sent' || entry.status === 'delivered';
  const head = ok
    ? `Sent to ${entry.to} via ${entry.gatewayId ?? '?'}${entry.providerMessageId ? ` (provider id ${entry.providerMessageId})` : ''}`
    : `FAILED: no gateway accepted the SMS to ${entry.to}`;
  const lines = [head, `Message id: ${entry.id}`, 'Attempts:'];
  entry.attempts.forEach((a, i) => {
    lines.push(`  ${formatAttempt(a, i)}`);
  });
  if (entry.attempts.length === 0) lines.push('  (none: no enabled gateway serves this message)');
  return `${lines.join('\n')}\n`;
}
