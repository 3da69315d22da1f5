import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, launchChromium, SKIP_BROWSER, watchCsp } from './support/browser.js';
import { type Harness, startPortal } from './support/harness.js';
import { CUSTOMER_PHONE, type Seeded, seedCustomer, testClock } from './support/seed.js';

describe.skipIf(SKIP_BROWSER)(
  'portal in Chromium with portal OTP off (phone-only, read-only)',
  { timeout: 60_000 },
  () => {
    const clock = testClock();
    let h: Harness;
    let browser: Browser;
    let seeded: Seeded;

    beforeAll(async () => {
      h = await startPortal({
        withSms: false,
        mount: '/wifi/account',
        kit: { clock: () => clock.now, portal: { otp: false } },
      });
      seeded = await seedCustomer(h.kit, clock);
      browser = await launchChromium();
    });

    afterAll(async () => {
      await browser?.close();
      await h?.close();
    });

    it('opens a read-only status page from the phone alone, without the devices block', async () => {
      const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
      const page = await context.newPage();
      const csp = watchCsp(page);
      await page.goto(`${h.url}/`);
      expect(await page.locator('.note').innerText()).toContain(
        'Anyone who knows this phone number can see this page.',
      );
      await expectAccessible(page, 'read-only login page');
      await page.getByLabel('Phone number').fill(CUSTOMER_PHONE);
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.waitForURL(`${h.url}/status`);
      expect(await page.locator('.note').innerText()).toBe('This page is read-only.');
      expect(await page.locator('article.voucher').count()).toBe(5);
      expect(await page.locator('.devices').count()).toBe(0);
      expect(await page.locator('form[action$="/devices/add"]').count()).toBe(0);
      // Mounted under /wifi/account: every link and form stays under it.
      const actions = await page.locator('form').evaluateAll((fs) => fs.map((f) => f.getAttribute('action')));
      expect(actions.every((a) => a?.startsWith('/wifi/account/'))).toBe(true);
      await expectAccessible(page, 'read-only status page');

      // Device changes are refused even when forged with a valid CSRF token.
      const csrf = await page.locator('input[name=_csrf]').first().inputValue();
      const forged = await page.request.post(`${h.url}/devices/add`, {
        form: { _csrf: csrf, voucherId: seeded.fresh.id, mac: 'aa:bb:cc:00:00:55' },
      });
      expect(forged.status()).toBe(403);
      expect((await h.kit.vouchers.get(seeded.fresh.id))?.devices).toHaveLength(0);
      expect(csp).toEqual([]);
      await context.close();
    });

    it('shows a friendly empty state for a phone with no vouchers', async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${h.url}/`);
      await page.getByLabel('Phone number').fill('+12025550181');
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.waitForURL(`${h.url}/status`);
      expect(await page.locator('#vouchers-h').innerText()).toContain('(0 vouchers)');
      expect(await page.locator('main').innerText()).toContain('There are no vouchers for this phone number yet.');
      expect(await page.locator('main').innerText()).toContain('You have no active voucher right now.');
      expect(await page.locator('main').innerText()).toContain('No data used in the last 14 days.');
      await expectAccessible(page, 'empty status page');
      await context.close();
    });

    it('the accessibility and CSP checks themselves catch a broken page', async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      const csp = watchCsp(page);
      // A page the portal would never serve: an unlabeled input, an image without alt, inline style under the CSP.
      await page.goto(`${h.url}/assets/portal.css`);
      await page.setContent('<html lang="en"><body><main><img src="/x.png"><input type="text"></main></body></html>');
      await expect(expectAccessible(page, 'deliberately broken page')).rejects.toThrow(/image-alt|label/);
      const response = await page.request.get(`${h.url}/`);
      expect(response.headers()['content-security-policy']).toContain("style-src 'self'");
      await page.goto(`${h.url}/`);
      await page.evaluate(() => {
        const el = document.createElement('div');
        el.setAttribute('style', 'color: red');
        document.body.append(el);
      });
      await page.waitForTimeout(100);
      expect(csp.join('\n')).toMatch(/Content Security Policy/);
      await context.close();
    });
  },
);
