import { html, type SafeHtml } from '../html/html.js';
import { alert, csrfField, layout, type PageContext } from './layout.js';

/** Phone entry: the portal's first page. */
export function loginPage(
  ctx: PageContext,
  view: { otp: boolean; phone?: string; error?: string; notice?: string },
): SafeHtml {
  const { tr } = ctx;
  const body = html`<div class="narrow">
<h1>${tr.t('login.title')}</h1>
<p class="lead">${view.otp ? tr.t('login.introOtp') : tr.t('login.intro')}</p>
${alert('ok', view.notice)}${alert('error', view.error)}
<form class="card" method="post" action="${ctx.base}/login" novalidate>
${csrfField(ctx)}
<div class="field">
<label for="phone">${tr.t('login.phone')}</label>
<input id="phone" name="phone" type="tel" inputmode="tel" autocomplete="tel" required maxlength="40" value="${view.phone ?? ''}" aria-describedby="phone-hint"${view.error ? html` aria-invalid="true"` : null}>
<p class="hint" id="phone-hint">${tr.t('login.phoneHint')}</p>
</div>
<button class="btn btn-block" type="submit">${view.otp ? tr.t('login.submitOtp') : tr.t('login.submit')}</button>
</form>
${view.otp ? null : html`<p class="note">${tr.t('login.readOnlyNote')}</p>`}
</div>`;
  return layout(ctx, { title: tr.t('login.title'), body });
}

/** Code entry (portal OTP on). */
export function codePage(
  ctx: PageContext,
  view: { phone: string; codeLength: number; minutes: number; error?: string; notice?: string },
): SafeHtml {
  const { tr } = ctx;
  const body = html`<div class="narrow">
<h1>${tr.t('code.title')}</h1>
<p class="lead">${tr.t('code.sent', { length: view.codeLength, phone: view.phone, minutes: view.minutes })}</p>
${alert('ok', view.notice)}${alert('error', view.error)}
<form class="card" method="post" action="${ctx.base}/code" novalidate>
${csrfField(ctx)}
<div class="field">
<label for="code">${tr.t('code.label')}</label>
<input id="code" class="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]*" required maxlength="${view.codeLength + 4}"${view.error ? html` aria-invalid="true"` : null}>
</div>
<button class="btn btn-block" type="submit">${tr.t('code.submit')}</button>
</form>
<div class="actions">
<form method="post" action="${ctx.base}/code/resend">${csrfField(ctx)}<button class="linkbtn" type="submit">${tr.t('code.resend')}</button></form>
<a href="${ctx.base}/?change=1">${tr.t('code.otherPhone')}</a>
</div>
</div>`;
  return layout(ctx, { title: tr.t('code.title'), body });
}

/** A friendly error page: never a stack trace. */
export function errorPage(ctx: PageContext, view: { message: string }): SafeHtml {
  const { tr } = ctx;
  const body = html`<div class="narrow">
<h1>${tr.t('errors.title')}</h1>
${alert('error', view.message)}
<p><a class="btn" href="${ctx.base}/">${tr.t('errors.back')}</a></p>
</div>`;
  return layout(ctx, { title: tr.t('errors.title'), body });
}
