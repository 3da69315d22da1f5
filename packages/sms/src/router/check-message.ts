import type { SmsMessage } from '@hotspot-kit/core';
import { SmsError } from '../errors.js';

/** Throws `INVALID_MESSAGE` naming every bad field of `message` (a programming error, not a refusal). */
export function checkMessage(message: SmsMessage): void {
  const issues: { path: string; message: string }[] = [];
  if (message === null || typeof message !== 'object') issues.push({ path: '(root)', message: 'must be an object' });
  else {
    if (typeof message.to !== 'string' || message.to.trim() === '')
      issues.push({ path: 'to', message: 'must be a phone number' });
    if (typeof message.text !== 'string') issues.push({ path: 'text', message: 'must be a string' });
    if (typeof message.purpose !== 'string' || message.purpose === '')
      issues.push({ path: 'purpose', message: 'must be a string' });
  }
  if (issues.length > 0) {
    const summary = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
    throw new SmsError('INVALID_MESSAGE', `Invalid SMS message: ${summary}`, { issues });
  }
}
