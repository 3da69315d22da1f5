import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';

/** Debian's Chromium (installed by `.ci/run` in CI); `CHROMIUM_PATH` overrides. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM_PATH);
/** Skip on a laptop without Chromium (with a reason); never in CI, where a missing browser fails the suite. */
export const SKIP_BROWSER = !HAVE_CHROMIUM && !process.env.CI;
if (SKIP_BROWSER) {
  console.warn(
    `portal browser tests skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)`,
  );
}

export async function launchChromium(): Promise<Browser> {
  if (!HAVE_CHROMIUM) throw new Error(`Chromium is required in CI but missing at ${CHROMIUM_PATH}`);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

const axeSource: string = (createRequire(import.meta.url)('axe-core') as { source: string }).source;

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/** Runs axe-core in the page and fails on any serious or critical violation (naming them). */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  const injected = await page.evaluate(() => typeof (globalThis as { axe?: unknown }).axe !== 'undefined');
  if (!injected) await page.evaluate(axeSource);
  const violations = (await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: unknown[] }> } }
    ).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations;
  })) as AxeViolation[];
  const bad = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} @ ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
  if (bad.length > 0) throw new Error(`axe found serious or critical violations on ${label}:\n${bad.join('\n')}`);
}

/** Collects Content-Security-Policy violations the page reports (none are allowed). */
export function watchCsp(page: Page): string[] {
  const found: string[] = [];
  page.on('console', (msg) => {
    if (/Content Security Policy|Refused to (apply|load|execute)/i.test(msg.text())) found.push(msg.text());
  });
  return found;
}
