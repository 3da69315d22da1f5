// Regenerates the portal screenshots in docs/images (phone and desktop, login and status pages):
//   npx tsx packages/portal-kit/scripts/screenshots.ts   (from the repository root)
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../test/support/browser.js';
import { startPortal } from '../test/support/harness.js';
import { CUSTOMER_PHONE, seedCustomer, testClock } from '../test/support/seed.js';

const out = fileURLToPath(new URL('../../../docs/images/', import.meta.url));
mkdirSync(out, { recursive: true });

const clock = testClock();
const h = await startPortal({ kit: { clock: () => clock.now } });
await seedCustomer(h.kit, clock);
await h.kit.customers.update((await h.kit.customers.findByPhone(CUSTOMER_PHONE))!.id, { name: 'Anna' });
await h.kit.locations.save({
  id: 'loc-harbour',
  name: 'Harbour Café',
  timezone: 'Europe/Riga',
  branding: { operatorName: 'Harbour Café WiFi', primaryColor: '#0a6e4f', accentColor: '#f2a900' },
});
const browser = await launchChromium();
try {
  for (const [name, viewport] of [
    ['phone', { width: 390, height: 844 }],
    ['desktop', { width: 1280, height: 900 }],
  ] as const) {
    const context = await browser.newContext({
      viewport,
      deviceScaleFactor: name === 'phone' ? 2 : 1,
      locale: 'en-US',
    });
    const page = await context.newPage();
    await page.goto(`${h.url}/?location=loc-harbour`);
    await page.getByLabel('Phone number').fill(CUSTOMER_PHONE);
    await page.screenshot({ path: `${out}portal-login-${name}.png` });
    await page.getByRole('button', { name: 'Send me a code' }).click();
    await page.waitForURL(`${h.url}/code`);
    await page.screenshot({ path: `${out}portal-code-${name}.png` });
    await page.getByLabel('Code from the SMS').fill(h.sms.lastCode(CUSTOMER_PHONE));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${h.url}/status`);
    // Phone: the first screen (what a customer sees on opening the link); desktop: the whole page.
    await page.screenshot({ path: `${out}portal-status-${name}.png`, fullPage: name === 'desktop' });
    await context.close();
  }
  console.log(`screenshots written to ${out}`);
} finally {
  await browser.close();
  await h.close();
}
