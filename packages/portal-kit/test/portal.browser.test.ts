import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, launchChromium, SKIP_BROWSER, watchCsp } from './support/browser.js';
import { type Harness, startPortal } from './support/harness.js';
import { CUSTOMER_PHONE, HOSTILE_NAME, ONLINE_MAC, type Seeded, seedCustomer, testClock } from './support/seed.js';

// The whole customer journey in real headless Chromium, against the portal mounted in a real
// Express app (expressPortal) on a loopback port, over the real kit and memory store.
describe.skipIf(SKIP_BROWSER)('portal in Chromium', { timeout: 60_000 }, () => {
  const clock = testClock();
  let h: Harness;
  let browser: Browser;
  let seeded: Seeded;
  const removedEvents: { voucherId: string; mac: string }[] = [];

  beforeAll(async () => {
    h = await startPortal({
      kit: { clock: () => clock.now },
      portal: { rateLimits: { login: { limit: 50, windowSeconds: 900 }, verify: { limit: 100, windowSeconds: 900 } } },
    });
    seeded = await seedCustomer(h.kit, clock);
    h.kit.events.on('device.removed', (e) => {
      removedEvents.push({ voucherId: e.voucherId, mac: e.device.mac });
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  async function newPage(
    viewport = { width: 390, height: 844 },
  ): Promise<{ context: BrowserContext; page: Page; csp: string[] }> {
    const context = await browser.newContext({ viewport, locale: 'en-US' });
    const page = await context.newPage();
    page.on('dialog', (d) => {
      throw new Error(`unexpected dialog: ${d.message()}`);
    });
    return { context, page, csp: watchCsp(page) };
  }

  async function submit(page: Page, button: ReturnType<Page['locator']>): Promise<number> {
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      button.click(),
    ]);
    await page.waitForLoadState('load');
    return response.status();
  }

  async function signIn(page: Page, phone: string): Promise<void> {
    await page.goto(`${h.url}/`);
    await page.getByLabel('Phone number').fill(phone);
    await submit(page, page.getByRole('button', { name: 'Send me a code' }));
    await page.getByLabel('Code from the SMS').fill(h.sms.lastCode(phone));
    await submit(page, page.getByRole('button', { name: 'Sign in' }));
  }

  it('walks phone → SMS code → status page, with the vouchers in order and the right figures', async () => {
    const { context, page, csp } = await newPage();
    await page.goto(`${h.url}/`);
    expect(await page.title()).toContain('Check your WiFi account');
    await expectAccessible(page, 'login page');

    await page.getByLabel('Phone number').fill('(415) 555-2671'.replace('(', '+1 ('));
    const sentBefore = h.sms.sent.length;
    expect(await submit(page, page.getByRole('button', { name: 'Send me a code' }))).toBe(303);
    expect(page.url()).toBe(`${h.url}/code`);
    expect(h.sms.sent.length).toBe(sentBefore + 1);
    await expect(page.locator('.lead').innerText()).resolves.toContain(CUSTOMER_PHONE);
    await expectAccessible(page, 'code page');

    await page.getByLabel('Code from the SMS').fill(h.sms.lastCode(CUSTOMER_PHONE));
    expect(await submit(page, page.getByRole('button', { name: 'Sign in' }))).toBe(303);
    expect(page.url()).toBe(`${h.url}/status`);
    await expectAccessible(page, 'status page');

    // The customer's name holds a <script>: shown as text, never run.
    expect(await page.locator('h1').innerText()).toBe(`Hello, ${HOSTILE_NAME}`);
    expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
    // Operator branding is escaped too.
    expect(await page.locator('.brand').innerText()).toBe('Harbour <b>Café</b>');

    const order = await page
      .locator('article.voucher')
      .evaluateAll((els) => els.map((e) => [(e as HTMLElement).dataset.voucherId, (e as HTMLElement).dataset.status]));
    expect(order.map(([, s]) => s)).toEqual(['online', 'active', 'new', ...order.slice(3).map(([, s]) => s)]);
    expect(order.slice(0, 3).map(([id]) => id)).toEqual([seeded.online.id, seeded.active.id, seeded.fresh.id]);
    expect(new Set(order.slice(3).map(([, s]) => s))).toEqual(new Set(['used', 'expired']));
    expect(new Set(order.slice(3).map(([id]) => id))).toEqual(new Set([seeded.used.id, seeded.expired.id]));

    const summary = page.locator('section.summary');
    const summaryText = await summary.innerText();
    expect(summaryText).toContain('Day pass 5 GB');
    expect(summaryText).toContain('2.5 GB of 5 GB used');
    expect(summaryText).toContain('2.5 GB left');
    expect(summaryText).toContain('1 hr of 10 hr used');
    expect(summaryText).toContain('9 hr left');
    expect(summaryText).toMatch(/6 days 23 hr left/);
    expect(await summary.locator('svg.bar').first().getAttribute('aria-label')).toBe('Data: 50% used');

    const unlimitedCard = page.locator(`article[data-voucher-id="${seeded.active.id}"]`);
    expect(await unlimitedCard.innerText()).toContain('Unlimited');
    expect(await unlimitedCard.innerText()).toContain('1 GB used');
    const usedCard = page.locator(`article[data-voucher-id="${seeded.used.id}"]`);
    expect(await usedCard.innerText()).toContain('150 MB of 100 MB used');
    expect(await usedCard.innerText()).toContain('data limit reached');

    // Per-day chart: an inline SVG column per day, with the numbers in a table as well.
    expect(await page.locator('figure.chart svg rect.col').count()).toBe(14);
    await page.locator('details summary').click();
    const table = await page.locator('details table').innerText();
    expect(table).toContain('2.5 GB');
    expect(table).toContain('1 GB');
    expect(csp).toEqual([]);
    await context.close();
  });

  it('adds, renames and removes devices within the limit, with clear errors', async () => {
    const { context, page, csp } = await newPage();
    await signIn(page, CUSTOMER_PHONE);
    const card = page.locator(`article[data-voucher-id="${seeded.online.id}"]`);
    expect(await card.locator('.devices h4').innerText()).toContain('1 of 2 devices');
    expect(await card.locator('.mac').allInnerTexts()).toEqual([ONLINE_MAC]);

    // A bad MAC: 400 with a message that says what is wrong; the typed value stays.
    await card.getByLabel('MAC address').fill('not-a-mac');
    expect(await submit(page, card.getByRole('button', { name: 'Add device' }))).toBe(400);
    expect(await page.getByRole('alert').innerText()).toContain('not a valid MAC address');
    expect(
      await page.locator(`article[data-voucher-id="${seeded.online.id}"]`).getByLabel('MAC address').inputValue(),
    ).toBe('not-a-mac');
    await expectAccessible(page, 'status page with an error');

    // Add a device whose label is HTML: it is stored and shown as text.
    const hostileLabel = '<img src=x onerror="window.__xss=2">Tablet';
    const card2 = page.locator(`article[data-voucher-id="${seeded.online.id}"]`);
    await card2.getByLabel('MAC address').fill('AA-BB-CC-00-00-02');
    await card2.getByLabel('Name (optional)').fill(hostileLabel);
    expect(await submit(page, card2.getByRole('button', { name: 'Add device' }))).toBe(303);
    expect(await page.getByRole('status').innerText()).toContain('Device added.');
    const card3 = page.locator(`article[data-voucher-id="${seeded.online.id}"]`);
    expect(await card3.locator('.device-name').allInnerTexts()).toContain(hostileLabel);
    expect(await card3.locator('.devices img').count()).toBe(0);
    expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
    expect(await card3.locator('.devices h4').innerText()).toContain('2 of 2 devices');
    expect(await card3.innerText()).toContain('Device limit reached');

    // The limit: a third device is refused with 409 and a message naming the limit.
    await card3.getByLabel('MAC address').fill('aa:bb:cc:00:00:03');
    expect(await submit(page, card3.getByRole('button', { name: 'Add device' }))).toBe(409);
    expect(await page.getByRole('alert').innerText()).toContain('already has 2 devices');
    expect((await h.kit.vouchers.get(seeded.online.id))?.devices).toHaveLength(2);

    // Rename.
    const card4 = page.locator(`article[data-voucher-id="${seeded.online.id}"]`);
    const second = card4.locator('li.device').nth(1);
    await second.getByRole('textbox').fill('Kitchen tablet');
    expect(await submit(page, second.getByRole('button', { name: 'Rename' }))).toBe(303);
    expect(await page.getByRole('status').innerText()).toContain('Device renamed.');
    const card5 = page.locator(`article[data-voucher-id="${seeded.online.id}"]`);
    expect(await card5.locator('.device-name').allInnerTexts()).toContain('Kitchen tablet');

    // Remove: the kit emits device.removed for the host to disconnect it.
    const kitchen = card5.locator('li.device', { hasText: 'Kitchen tablet' });
    expect(await submit(page, kitchen.getByRole('button', { name: /Remove/ }))).toBe(303);
    expect(await page.getByRole('status').innerText()).toContain('Device removed');
    expect(removedEvents).toContainEqual({ voucherId: seeded.online.id, mac: 'aa:bb:cc:00:00:02' });
    const card6 = page.locator(`article[data-voucher-id="${seeded.online.id}"]`);
    expect(await card6.locator('.mac').allInnerTexts()).toEqual([ONLINE_MAC]);
    expect(csp).toEqual([]);
    await context.close();
  });

  it('refuses a form POST without the CSRF token with 403 and a friendly page', async () => {
    const { context, page } = await newPage();
    await signIn(page, CUSTOMER_PHONE);
    const before = (await h.kit.vouchers.get(seeded.fresh.id))?.devices.length;
    // Same browser session (cookies sent), but no _csrf field, as a forged cross-site form would be.
    const forged = await page.request.post(`${h.url}/devices/add`, {
      form: { voucherId: seeded.fresh.id, mac: 'aa:bb:cc:00:00:44' },
    });
    expect(forged.status()).toBe(403);
    const body = await forged.text();
    expect(body).toContain('This form has expired');
    expect(body).not.toMatch(/at \w+ \(|Error:|node_modules/);
    const wrong = await page.request.post(`${h.url}/logout`, { form: { _csrf: 'forged-token' } });
    expect(wrong.status()).toBe(403);
    expect((await h.kit.vouchers.get(seeded.fresh.id))?.devices.length).toBe(before);

    await page.setContent(body);
    await page.goto(`${h.url}/does-not-exist`);
    expect(await page.locator('h1').innerText()).toBe('Sorry');
    await expectAccessible(page, 'error page');
    await context.close();
  });

  it('locks a challenge after too many wrong codes and sends the visitor back to the phone form', async () => {
    const { context, page } = await newPage();
    const phone = '+14155550123'; // not a customer: the flow looks exactly the same
    await page.goto(`${h.url}/`);
    await page.getByLabel('Phone number').fill(phone);
    await submit(page, page.getByRole('button', { name: 'Send me a code' }));
    expect(page.url()).toBe(`${h.url}/code`);
    const real = h.sms.lastCode(phone);
    const wrong = real === '000000' ? '111111' : '000000';
    const seen: string[] = [];
    for (let i = 0; i < 10 && page.url().endsWith('/code'); i++) {
      await page.getByLabel('Code from the SMS').fill(wrong);
      const status = await submit(page, page.getByRole('button', { name: 'Sign in' }));
      seen.push(`${status} ${await page.getByRole('alert').innerText()}`);
    }
    expect(seen[0]).toBe('400 That code is not right. 4 tries left.');
    expect(seen.slice(0, 4).map((s) => s.slice(0, 3))).toEqual(['400', '400', '400', '400']);
    // The fifth wrong code spends the challenge: 303 back to the phone form, saying why.
    expect(seen.at(-1)).toBe('303 Too many wrong codes. Ask for a new code to try again.');
    expect(seen).toHaveLength(5);
    expect(page.url()).not.toContain('/code');
    expect(await page.getByLabel('Phone number').inputValue()).toBe(phone);
    await expectAccessible(page, 'login page after lockout');
    // The real code no longer works either: the challenge is spent.
    await page.goto(`${h.url}/code`);
    expect(page.url()).toBe(`${h.url}/`);
    await context.close();
  });

  it('signs out, after which the status page needs a new login', async () => {
    const { context, page } = await newPage({ width: 1280, height: 900 });
    await signIn(page, CUSTOMER_PHONE);
    expect(page.url()).toBe(`${h.url}/status`);
    await expectAccessible(page, 'status page at desktop size');
    expect(await submit(page, page.getByRole('button', { name: 'Sign out' }))).toBe(303);
    await expectAccessible(page, 'signed-out page at desktop size');
    expect(await page.getByRole('status').innerText()).toBe('You are signed out.');
    await page.goto(`${h.url}/status`);
    expect(page.url()).toBe(`${h.url}/`);
    await context.close();
  });

  it('pre-fills the phone from a status-page SMS link but still asks for the code', async () => {
    const { context, page } = await newPage();
    const token = await h.kit.tokens.sign({ p: CUSTOMER_PHONE, purpose: 'portal-prefill' }, 3600);
    await page.goto(`${h.url}/?t=${encodeURIComponent(token)}`);
    expect(await page.getByLabel('Phone number').inputValue()).toBe(CUSTOMER_PHONE);
    await page.goto(`${h.url}/status`);
    expect(page.url()).toBe(`${h.url}/`);
    await page.goto(`${h.url}/?t=forged.token.value`);
    expect(await page.getByLabel('Phone number').inputValue()).toBe('');
    await context.close();
  });

  it('speaks Spanish, Russian and German from Accept-Language or the switcher, and stays accessible', async () => {
    const context = await browser.newContext({ locale: 'es-ES', viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(`${h.url}/`);
    expect(await page.locator('html').getAttribute('lang')).toBe('es');
    expect(await page.locator('h1').innerText()).toBe('Consulta tu cuenta WiFi');
    await page.getByRole('link', { name: 'Русский' }).click();
    expect(await page.locator('h1').innerText()).toBe('Ваш WiFi-аккаунт');
    await expectAccessible(page, 'login page in Russian');
    await page.goto(`${h.url}/`);
    expect(await page.locator('html').getAttribute('lang')).toBe('ru');
    await page.getByRole('link', { name: 'Deutsch' }).click();
    await page.getByLabel('Telefonnummer').fill(CUSTOMER_PHONE);
    await submit(page, page.getByRole('button', { name: 'Code senden' }));
    await page.getByLabel('Code aus der SMS').fill(h.sms.lastCode(CUSTOMER_PHONE));
    await submit(page, page.getByRole('button', { name: 'Anmelden' }));
    expect(await page.locator('#vouchers-h').innerText()).toContain('Ihre Gutscheine');
    await expectAccessible(page, 'status page in German');
    await context.close();
  });
});
