import type { LocationBranding } from '@hotspot-kit/core';
import { CSS_NAMED_COLORS } from './named-colors.js';

const HEX = /^#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/;
const DEFAULT_LINK = '#0b5cad';

/**
 * The colour as `#rrggbb`, or `undefined`. Only hex colours and CSS colour names are
 * accepted, so operator text can never break out of a CSS declaration.
 */
export function safeColor(value: string | undefined): string | undefined {
  const v = value?.trim().toLowerCase();
  if (!v) return undefined;
  if (HEX.test(v)) {
    const digits = v.slice(1);
    const full = digits.length <= 4 ? [...digits].map((d) => d + d).join('') : digits;
    return `#${full.slice(0, 6)}`; // alpha dropped: the page background is opaque white-ish anyway
  }
  return CSS_NAMED_COLORS[v];
}

function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** WCAG contrast ratio of two `#rrggbb` colours. */
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/**
 * CSS custom properties for a location's colours. Text on the primary colour is black or
 * white, whichever reads better, and links keep the default colour when the brand colour
 * is too light on white, so branding cannot break the contrast the accessibility checks need.
 */
export function themeCss(branding: LocationBranding | undefined): string | null {
  if (!branding?.primaryColor && !branding?.accentColor) return null;
  const key = `${branding.primaryColor}\n${branding.accentColor}`;
  let css = themes.get(key);
  if (css === undefined) {
    css = makeThemeCss(safeColor(branding.primaryColor), safeColor(branding.accentColor));
    if (themes.size >= 1000) themes.clear(); // one entry per distinct branding; bounded anyway
    themes.set(key, css);
  }
  return css;
}

/** Made once per distinct pair of colours (every page view asks). */
const themes = new Map<string, string | null>();

function makeThemeCss(primary: string | undefined, accent: string | undefined): string | null {
  if (!primary && !accent) return null;
  const vars: string[] = [];
  if (primary) {
    vars.push(`--hk-primary:${primary}`);
    vars.push(`--hk-on-primary:${contrast(primary, '#ffffff') >= contrast(primary, '#000000') ? '#fff' : '#000'}`);
    vars.push(`--hk-link:${contrast(primary, '#ffffff') >= 4.5 ? primary : DEFAULT_LINK}`);
  }
  vars.push(`--hk-accent:${accent ?? primary}`);
  return `:root{${vars.join(';')}}\n`;
}
