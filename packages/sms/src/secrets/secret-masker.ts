import { jsonEscape, percentEncode } from '../template/placeholders.js';

/** What a masked secret is replaced with. */
export const MASK = '****';

/** Secrets shorter than this are not searched for in text: masking "1" would mangle every number. */
const MIN_SECRET_LENGTH = 3;

/** Replaces known secret values, in every encoding a request may carry them in, with a mask. */
export interface SecretMasker {
  mask(text: string): string;
  /** A masker that also hides `extra` (e.g. an OTP code found in this message's text). */
  with(extra: readonly { value: string; replacement?: string }[]): SecretMasker;
}

interface Needle {
  value: string;
  replacement: string;
}

function variants(value: string): string[] {
  const out = new Set<string>([value, jsonEscape(value), percentEncode(value), encodeURIComponent(value)]);
  out.add(percentEncode(value).replace(/%20/g, '+'));
  return [...out];
}

function build(needles: Needle[]): SecretMasker {
  // Longest first, so a secret that contains another is masked whole.
  const sorted = [...needles].sort((a, b) => b.value.length - a.value.length);
  return {
    mask(text) {
      let out = text;
      for (const n of sorted) if (out.includes(n.value)) out = out.split(n.value).join(n.replacement);
      return out;
    },
    with(extra) {
      const more: Needle[] = [];
      for (const e of extra) {
        if (e.value.length < MIN_SECRET_LENGTH) continue;
        for (const v of variants(e.value)) more.push({ value: v, replacement: e.replacement ?? MASK });
      }
      return more.length === 0 ? this : build([...needles, ...more]);
    },
  };
}

/** A masker for `secrets` (values shorter than 3 characters are left alone). */
export function createSecretMasker(secrets: Iterable<string>): SecretMasker {
  return build([]).with([...secrets].map((value) => ({ value })));
}

/**
 * The part of `text` that `logText` hides (an OTP code), as a value to mask: the stretch between
 * their common prefix and suffix, shown as the masked text's stretch (e.g. `******`).
 */
export function hiddenPart(text: string, logText: string | undefined): { value: string; replacement: string } | null {
  if (logText === undefined || logText === text) return null;
  let start = 0;
  const max = Math.min(text.length, logText.length);
  while (start < max && text[start] === logText[start]) start++;
  let end = 0;
  while (end < max - start && text[text.length - 1 - end] === logText[logText.length - 1 - end]) {
    end++;
  }
  const value = text.slice(start, text.length - end);
  if (value === '') return null;
  const shown = logText.slice(start, logText.length - end);
  return { value, replacement: shown === '' ? MASK : shown };
}
