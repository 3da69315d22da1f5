// GSM 03.38 (3GPP TS 23.038) default alphabet. Escape (0x1B) is left out: it only
// introduces the extension table and is never a character of its own.
const GSM7_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
// The extension table: each of these costs two septets (escape + character).
const GSM7_EXTENSION = new Set('\f^{}\\[~]|€');

/** How an SMS text would be encoded and what it costs. */
export interface SmsSegmentCount {
  /** GSM-7 when every character is in the GSM 03.38 alphabet (with its extension table), else UCS-2. */
  encoding: 'GSM-7' | 'UCS-2';
  /** Messages the operator pays for (0 for an empty text). */
  segments: number;
  /** Characters as a person counts them (Unicode code points). */
  characters: number;
  /** Septets (GSM-7, extension characters count 2) or UTF-16 code units (UCS-2, emoji count 2). */
  units: number;
  /** Units per segment: 160 / 153 (GSM-7) or 70 / 67 (UCS-2). */
  unitsPerSegment: number;
  /** Units still free in the last segment. */
  remainingInSegment: number;
}

/** GSM-7 cost of one character in septets, or `null` when it forces UCS-2. */
function gsm7Cost(char: string): 1 | 2 | null {
  if (GSM7_BASIC.has(char)) return 1;
  if (GSM7_EXTENSION.has(char)) return 2;
  return null;
}

/**
 * Counts the SMS segments a text needs, the way handsets and providers split it: GSM-7
 * (160 septets, 153 per part of a concatenated message; extension-table characters such as
 * `€ [ ] { } ^ ~ | \` take two) or, as soon as one character is outside that alphabet,
 * UCS-2 (70 code units, 67 per part; emoji take two). A character is never split across
 * parts (an escape pair or a surrogate pair moves whole to the next part), so long texts
 * can need one more segment than a plain division says.
 *
 * @example
 * ```ts
 * countSmsSegments('Your code is 123456')   // { encoding: 'GSM-7', segments: 1, ... }
 * countSmsSegments('Ваш код 123456')        // { encoding: 'UCS-2', segments: 1, ... }
 * ```
 */
export function countSmsSegments(text: string): SmsSegmentCount {
  const chars = [...text];
  const gsmCosts: number[] = [];
  let gsm = true;
  for (const char of chars) {
    const cost = gsm7Cost(char);
    if (cost === null) {
      gsm = false;
      break;
    }
    gsmCosts.push(cost);
  }
  const costs = gsm ? gsmCosts : chars.map((c) => c.length);
  const [single, multi] = gsm ? [160, 153] : [70, 67];
  const units = costs.reduce((a, b) => a + b, 0);

  if (units === 0) {
    return {
      encoding: gsm ? 'GSM-7' : 'UCS-2',
      segments: 0,
      characters: 0,
      units: 0,
      unitsPerSegment: single,
      remainingInSegment: single,
    };
  }
  if (units <= single) {
    return {
      encoding: gsm ? 'GSM-7' : 'UCS-2',
      segments: 1,
      characters: chars.length,
      units,
      unitsPerSegment: single,
      remainingInSegment: single - units,
    };
  }
  let segments = 1;
  let used = 0;
  for (const cost of costs) {
    if (used + cost > multi) {
      segments += 1;
      used = 0;
    }
    used += cost;
  }
  return {
    encoding: gsm ? 'GSM-7' : 'UCS-2',
    segments,
    characters: chars.length,
    units,
    unitsPerSegment: multi,
    remainingInSegment: multi - used,
  };
}

/** The characters of `text` that force UCS-2 encoding (each once, in order of appearance). */
export function nonGsm7Characters(text: string): string[] {
  const out = new Set<string>();
  for (const char of text) if (gsm7Cost(char) === null) out.add(char);
  return [...out];
}
