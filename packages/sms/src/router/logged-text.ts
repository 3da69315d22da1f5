import type { SmsMessage } from '@hotspot-kit/core';
import { hiddenPart } from '../secrets/secret-masker.js';

/** What the SMS log keeps of a message's text, and what to mask wherever the text shows up. */
export interface LoggedText {
  /** The text as logged: `logText`, or the text with OTP codes masked. */
  text: string;
  /** Values of `text` to mask in request previews, response snippets and errors. */
  hide: { value: string; replacement: string }[];
}

/** OTP codes are 4 to 10 digits (core's `codeLength` range). */
const MIN_CODE = 4;
const MAX_CODE = 10;

/**
 * The logged form of `message`. With `logText`, that (and the part of `text` it hides). Without
 * one, an OTP (`purpose: 'otp'`) is logged with every run of 4 to 10 digits masked digit for
 * digit: a host sending its own code through the router must not find it in the SMS log.
 * Other purposes are logged as sent.
 */
export function loggedText(message: Pick<SmsMessage, 'text' | 'logText' | 'purpose'>): LoggedText {
  const { text, logText } = message;
  if (logText !== undefined) {
    const hidden = hiddenPart(text, logText);
    return { text: logText, hide: hidden ? [hidden] : [] };
  }
  if (message.purpose !== 'otp') return { text, hide: [] };
  const runs = new Set<string>();
  const masked = text.replace(/\d+/g, (run) => {
    if (run.length < MIN_CODE || run.length > MAX_CODE) return run;
    runs.add(run);
    return '*'.repeat(run.length);
  });
  if (runs.size === 0) return { text, hide: [] };
  const hide = [...runs].map((value) => ({ value, replacement: '*'.repeat(value.length) }));
  const hidden = hiddenPart(text, masked);
  if (hidden) hide.push(hidden);
  return { text: masked, hide };
}
