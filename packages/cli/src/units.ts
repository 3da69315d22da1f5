const SIZE_UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4 };
const TIME_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/** Bytes from `500MB`, `1.5GB`, `1024` (binary units: 1 MB = 1024 KB); `null` when unreadable. */
export function parseSize(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|tb)?\s*$/i.exec(text);
  if (!m?.[1]) return null;
  const bytes = Number(m[1]) * (SIZE_UNITS[(m[2] ?? 'b').toLowerCase()] ?? 1);
  return bytes > 0 ? Math.round(bytes) : null;
}

/** Seconds from `90m`, `4h`, `7d`, `2w`, `3600` (a bare number is seconds); `null` when unreadable. */
export function parseDuration(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d|w)?\s*$/i.exec(text);
  if (!m?.[1]) return null;
  const seconds = Number(m[1]) * (TIME_UNITS[(m[2] ?? 's').toLowerCase()] ?? 1);
  return seconds > 0 ? Math.round(seconds) : null;
}
