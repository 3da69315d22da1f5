import { randomBytes } from 'node:crypto';
import { type HotspotKit, isHotspotKitError, type OtpStartResult, type Voucher } from '@hotspot-kit/core';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { splashCsrf } from './csrf.js';
import { html, page, type SafeHtml } from './html.js';
import type { NasSimulator } from './nas-simulator.js';

/** What the splash page needs from the app. */
export interface SplashOptions {
  kit: HotspotKit;
  /** Verify the phone with an SMS code first (`kit.splash.checkPhone({ otp: true })`). */
  otp: boolean;
  locationId: string;
  /** Plan of the voucher a visitor without a voucher code gets. */
  planId: string;
  nas: NasSimulator;
  /** Where the portal is mounted, for the "your status page" link. */
  portalPath: string;
}

/** Fields carried from one splash step to the next (hidden inputs). */
interface Carry {
  mac: string;
  voucherCode: string;
  /** The double-submit CSRF token (see csrf.ts). */
  csrf: string;
}

/** A random locally administered MAC, standing in for the device a real NAS would name. */
function demoMac(): string {
  const bytes = randomBytes(6);
  bytes[0] = ((bytes[0] ?? 0) & 0xfc) | 0x02;
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(':');
}

function carryFields(carry: Carry): SafeHtml {
  return html`<input type="hidden" name="mac" value="${carry.mac}">
<input type="hidden" name="voucherCode" value="${carry.voucherCode}">
<input type="hidden" name="_csrf" value="${carry.csrf}">`;
}

function phoneForm(carry: Carry, error?: string, phone = ''): string {
  return page(
    'Free WiFi',
    html`<h1>Welcome! Get online</h1>
${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<form method="post" action="/splash/phone">
  <label for="phone">Your mobile number</label>
  <input id="phone" name="phone" type="tel" autocomplete="tel" required value="${phone}" placeholder="+1 415 555 2671">
  <label for="voucherCode">Voucher code (optional)</label>
  <input id="voucherCode" name="voucherCode" autocomplete="off" value="${carry.voucherCode}">
  <input type="hidden" name="mac" value="${carry.mac}">
  <input type="hidden" name="_csrf" value="${carry.csrf}">
  <button type="submit">Continue</button>
</form>
<p class="hint">We text you a code to check the number. Your device: <code>${carry.mac}</code></p>`,
  );
}

function codeForm(challengeId: string, carry: Carry, note: { error?: string; info?: string } = {}): string {
  return page(
    'Enter your code',
    html`<h1>Enter the code we sent you</h1>
${note.error ? html`<p class="error" role="alert">${note.error}</p>` : ''}
${note.info ? html`<p class="ok" role="status">${note.info}</p>` : ''}
<form method="post" action="/splash/verify">
  <label for="code">Code from the SMS</label>
  <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required pattern="[0-9]*">
  <input type="hidden" name="challengeId" value="${challengeId}">
  ${carryFields(carry)}
  <button type="submit">Connect</button>
</form>
<form method="post" action="/splash/resend">
  <input type="hidden" name="challengeId" value="${challengeId}">
  ${carryFields(carry)}
  <button type="submit" class="link">Send the code again</button>
</form>`,
  );
}

function connectedPage(voucher: Voucher, portalPath: string): string {
  const expires = voucher.expiresAt
    ? voucher.expiresAt.toISOString().replace('T', ' ').slice(0, 16) + ' UTC'
    : 'no limit';
  return page(
    'You are online',
    html`<h1>You are online</h1>
<p class="ok" role="status">Voucher activated. We are texting you a link to your status page.</p>
<dl>
  <dt>Voucher</dt><dd><code data-testid="voucher-code">${voucher.code}</code></dd>
  <dt>Plan</dt><dd>${voucher.planName}</dd>
  <dt>Valid until</dt><dd>${expires}</dd>
</dl>
<p><a href="${portalPath}">Open your status page</a> to see usage and manage your devices.</p>`,
  );
}

const refusalText: Record<string, string> = {
  'rate-limited': 'Too many codes were requested. Please wait a moment.',
  'phone-locked': 'Too many wrong codes for this number. Please try again later.',
  'budget-exhausted': 'We cannot send codes right now. Please try again later.',
  'resend-too-soon': 'Please wait before asking for another code.',
  'max-sends': 'No more codes can be sent for this attempt. Start again.',
  'challenge-closed': 'This code request is closed. Start again.',
  'sms-failed': 'We could not send the SMS. Please try again.',
};

function refusal(result: Extract<OtpStartResult, { ok: false }>): string {
  const base = refusalText[result.reason] ?? result.message;
  return result.retryAfterSeconds ? `${base} (try again in ${result.retryAfterSeconds} s)` : base;
}

const verifyText: Record<string, string> = {
  'wrong-code': 'That code is not right.',
  expired: 'The code has expired. Start again.',
  'too-many-attempts': 'Too many wrong codes. Start again.',
  'already-used': 'That code was used already. Start again.',
  'not-found': 'This code request is unknown. Start again.',
  'phone-locked': 'Too many wrong codes for this number. Please try again later.',
};

/**
 * The splash (captive) page: phone → (OTP on) code → voucher activated. A visitor with a
 * voucher code activates that voucher; one without gets a voucher of the splash plan.
 * Activation fires `voucher.activated`, and the kit's `statusPageLink` policy texts the
 * portal link: the host writes no notification code at all.
 */
export function splashRouter(options: SplashOptions): Router {
  const { kit } = options;
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '8kb' });

  const carryOf = (req: Request, res: Response): Carry => {
    const src = ((req.method === 'GET' ? req.query : req.body) ?? {}) as Record<string, unknown>;
    const mac = typeof src.mac === 'string' && src.mac.trim() !== '' ? src.mac.trim() : demoMac();
    const voucherCode = typeof src.voucherCode === 'string' ? src.voucherCode.trim().toUpperCase() : '';
    return { mac, voucherCode, csrf: splashCsrf.issue(req, res) };
  };
  // Every POST needs the form's CSRF field to match the cookie; else the form starts over.
  const csrf = (req: Request, res: Response, next: NextFunction) => {
    if (splashCsrf.verify(req)) return next();
    res
      .status(403)
      .type('html')
      .send(phoneForm(carryOf(req, res), 'This page expired. Please enter your number again.'));
  };
  const field = (req: Request, name: string) => {
    const value = (req.body as Record<string, unknown> | undefined)?.[name];
    return typeof value === 'string' ? value.trim() : '';
  };

  async function connect(phone: string, carry: Carry): Promise<Voucher> {
    const customer = await kit.customers.ensure({ phone, locationId: options.locationId });
    let voucher: Voucher;
    if (carry.voucherCode) {
      const found = await kit.vouchers.getByCode(carry.voucherCode);
      if (!found || (found.customerId && found.customerId !== customer.id)) {
        throw new SplashError('This voucher code is not valid.');
      }
      voucher = found;
    } else {
      voucher = await kit.vouchers.create({
        planId: options.planId,
        customerId: customer.id,
        locationId: options.locationId,
      });
    }
    try {
      voucher = await kit.vouchers.activate(voucher.id, { mac: carry.mac, customerId: customer.id });
    } catch (error) {
      if (isHotspotKitError(error)) throw new SplashError(activationText(error.code));
      throw error;
    }
    await options.nas.connect(voucher.id, voucher.devices.find((d) => d.mac === carry.mac)?.mac);
    return (await kit.vouchers.get(voucher.id)) ?? voucher;
  }

  router.get('/', (_req, res) => {
    res.redirect('/splash');
  });

  router.get('/splash', (req, res) => {
    res.type('html').send(phoneForm(carryOf(req, res)));
  });

  router.post('/splash/phone', form, csrf, async (req, res, next) => {
    const carry = carryOf(req, res);
    const phone = field(req, 'phone');
    try {
      const result = await kit.splash.checkPhone({
        phone,
        otp: options.otp,
        ...(req.ip ? { ip: req.ip } : {}),
        locationId: options.locationId,
      });
      if (!result.ok) {
        const message =
          result.reason === 'invalid-phone' ? (result.message ?? 'This number cannot receive SMS.') : refusal(result);
        res
          .status(400)
          .type('html')
          .send(phoneForm(carry, message, phone));
        return;
      }
      if (result.otp) {
        res.type('html').send(codeForm(result.challengeId, carry));
        return;
      }
      const voucher = await connect(result.phone, carry);
      res.type('html').send(connectedPage(voucher, options.portalPath));
    } catch (error) {
      if (error instanceof SplashError)
        res
          .status(400)
          .type('html')
          .send(phoneForm(carry, error.message, phone));
      else next(error);
    }
  });

  router.post('/splash/verify', form, csrf, async (req, res, next) => {
    const carry = carryOf(req, res);
    const challengeId = field(req, 'challengeId');
    try {
      // Only a splash challenge counts here: a portal code must not open the network.
      const result = await kit.otp.verify({
        challengeId,
        code: field(req, 'code'),
        purpose: 'splash',
        ...(req.ip ? { ip: req.ip } : {}),
      });
      if (!result.ok) {
        const base = verifyText[result.reason] ?? 'That code did not work.';
        const left = result.attemptsLeft !== undefined ? ` ${result.attemptsLeft} tries left.` : '';
        if (result.reason === 'wrong-code' && result.attemptsLeft !== 0) {
          res
            .status(400)
            .type('html')
            .send(codeForm(challengeId, carry, { error: base + left }));
        } else {
          res.status(400).type('html').send(phoneForm(carry, base));
        }
        return;
      }
      const voucher = await connect(result.phone, carry);
      res.type('html').send(connectedPage(voucher, options.portalPath));
    } catch (error) {
      if (error instanceof SplashError) res.status(400).type('html').send(phoneForm(carry, error.message));
      else next(error);
    }
  });

  router.post('/splash/resend', form, csrf, async (req, res, next) => {
    const carry = carryOf(req, res);
    const challengeId = field(req, 'challengeId');
    try {
      const result = await kit.otp.resend({ challengeId, ...(req.ip ? { ip: req.ip } : {}) });
      if (result.ok) res.type('html').send(codeForm(result.challengeId, carry, { info: 'A new code is on its way.' }));
      else
        res
          .status(429)
          .type('html')
          .send(codeForm(challengeId, carry, { error: refusal(result) }));
    } catch (error) {
      next(error);
    }
  });

  return router;
}

class SplashError extends Error {}

function activationText(code: string): string {
  if (code === 'VOUCHER_NOT_USABLE') return 'This voucher is used up or expired.';
  if (code === 'DEVICE_LIMIT_REACHED') return 'This voucher is already in use on as many devices as it allows.';
  if (code === 'INVALID_MAC') return 'Your device address was not recognised. Reconnect to the WiFi and try again.';
  return 'This voucher cannot be activated.';
}
