import type { Device, Voucher } from '@hotspot-kit/core';
import { html, type SafeHtml } from '../html/html.js';
import type { Translator } from '../i18n/i18n.js';
import { isOpenVoucher, type StatusData } from '../status/status-data.js';
import { usageChart, usageMeters } from './components.js';
import { alert, csrfField, layout, type PageContext } from './layout.js';

/** What the visitor typed into a device form that failed, so it can be fixed rather than retyped. */
export interface DeviceFormEcho {
  voucherId: string;
  mac?: string;
  label?: string;
}

export interface StatusPageView {
  data: StatusData;
  now: Date;
  notice?: string;
  error?: string;
  echo?: DeviceFormEcho;
}

/** The status page: summary of the current voucher, daily chart, every voucher with its devices. */
export function statusPage(ctx: PageContext, view: StatusPageView): SafeHtml {
  const { tr } = ctx;
  const { data } = view;
  const name = data.customer?.name?.trim();
  const current = data.current;
  // The summary shows the current voucher's meters, and so does its card: made once.
  const currentMeters = current ? usageMeters(tr, current, view.now, data.timeZone) : null;
  const body = html`<h1>${name ? tr.t('status.greeting', { name }) : tr.t('status.title')}</h1>
<p class="lead">${tr.t('status.signedInAs', { phone: data.phone })}</p>
${data.verified ? null : html`<p class="note">${tr.t('status.readOnly')}</p>`}
${alert('ok', view.notice)}${alert('error', view.error)}
<section class="card summary" aria-labelledby="current-h">
<h2 id="current-h">${tr.t('status.current')}</h2>
${
  current
    ? html`<p><strong>${current.planName}</strong> <span class="badge badge-${current.status}">${tr.t(`voucher.status.${current.status}`)}</span></p>
${currentMeters}`
    : html`<p class="muted">${tr.t('status.noCurrent')}</p>`
}
</section>
<section class="card" aria-labelledby="chart-h">
<h2 id="chart-h">${tr.t('chart.title')}</h2>
${usageChart(tr, data.history)}
</section>
<section aria-labelledby="vouchers-h">
<h2 id="vouchers-h">${tr.t('vouchers.title')} <span class="muted">(${tr.t('vouchers.count', { count: data.vouchersTotal })})</span></h2>
${
  data.vouchers.length === 0
    ? html`<p class="card">${tr.t(data.cursor ? 'vouchers.noOlder' : 'vouchers.empty')}</p>`
    : html`<ol class="vouchers">${data.vouchers.map((v, i) => voucherCard(ctx, view, v, i, v.id === current?.id && currentMeters ? currentMeters : usageMeters(tr, v, view.now, data.timeZone)))}</ol>`
}
${pager(ctx, data)}
</section>`;
  return layout(ctx, { title: tr.t('status.title'), body });
}

/** Links between pages of vouchers: plain links with the cursor, so they work without JavaScript. */
function pager(ctx: PageContext, data: StatusPageView['data']): SafeHtml | null {
  if (!data.cursor && !data.nextCursor) return null;
  const { tr } = ctx;
  return html`<nav class="pager" aria-label="${tr.t('vouchers.pages')}"><p>
${data.cursor ? html`<a class="btn btn-quiet btn-small" href="${ctx.base}/status#vouchers-h">${tr.t('vouchers.newest')}</a>` : null}
${data.nextCursor ? html`<a class="btn btn-quiet btn-small" rel="next" href="${ctx.base}/status?cursor=${encodeURIComponent(data.nextCursor)}#vouchers-h">${tr.t('vouchers.older')}</a>` : null}
</p></nav>`;
}

function voucherCard(
  ctx: PageContext,
  view: StatusPageView,
  voucher: Voucher,
  index: number,
  meters: SafeHtml,
): SafeHtml {
  const { tr } = ctx;
  const id = `v${index + 1}`;
  const tz = view.data.timeZone;
  const open = isOpenVoucher(voucher);
  return html`<li><article class="card voucher${open ? '' : ' ended'}" id="${id}" aria-labelledby="${id}-h" data-voucher-id="${voucher.id}" data-status="${voucher.status}">
<div class="voucher-head"><h3 id="${id}-h">${voucher.planName}</h3><span class="badge badge-${voucher.status}">${tr.t(`voucher.status.${voucher.status}`)}</span></div>
<p class="code-line">${tr.t('voucher.code')}: <strong>${voucher.code}</strong></p>
${meters}
<dl class="facts">
<dt>${tr.t('voucher.traffic')}</dt><dd>${trafficLimitText(tr, voucher)}</dd>
<dt>${tr.t('voucher.onlineTime')}</dt><dd>${voucher.limits.onlineTimeSeconds === undefined ? tr.t('voucher.notLimited') : tr.duration(voucher.limits.onlineTimeSeconds)}</dd>
<dt>${tr.t('voucher.speed')}</dt><dd>${speedText(tr, voucher)}</dd>
<dt>${tr.t('voucher.devices')}</dt><dd>${tr.t('voucher.devicesMax', { count: voucher.limits.simultaneousDevices })}</dd>
<dt>${tr.t('voucher.created')}</dt><dd>${tr.dateTime(voucher.createdAt, tz)}</dd>
${voucher.activatedAt ? html`<dt>${tr.t('voucher.activated')}</dt><dd>${tr.dateTime(voucher.activatedAt, tz)}</dd>` : null}
${
  voucher.endedAt
    ? html`<dt>${tr.t('voucher.ended')}</dt><dd>${tr.dateTime(voucher.endedAt, tz)}${voucher.endReason ? `, ${tr.t(`voucher.endReason.${voucher.endReason}`)}` : ''}</dd>`
    : voucher.expiresAt
      ? html`<dt>${tr.t('voucher.expires')}</dt><dd>${tr.dateTime(voucher.expiresAt, tz)}</dd>`
      : null
}
</dl>
${view.data.devicesEnabled ? devicesBlock(ctx, view, voucher, id, open) : null}
</article></li>`;
}

function trafficLimitText(tr: Translator, voucher: Voucher): string {
  const limit = voucher.limits.trafficLimit;
  if (!limit) return tr.t('voucher.notLimited');
  if ('totalBytes' in limit) return tr.bytes(limit.totalBytes);
  return tr.t('voucher.trafficSplit', { down: tr.bytes(limit.downloadBytes), up: tr.bytes(limit.uploadBytes) });
}

function speedText(tr: Translator, voucher: Voucher): string {
  const { downloadKbps, uploadKbps } = voucher.limits;
  if (downloadKbps === undefined && uploadKbps === undefined) return tr.t('voucher.notLimited');
  const fmt = (k: number | undefined) => (k === undefined ? tr.t('voucher.notLimited') : tr.speed(k));
  return tr.t('voucher.speedValue', { down: fmt(downloadKbps), up: fmt(uploadKbps) });
}

function deviceName(tr: Translator, device: Device): string {
  return device.label?.trim() || tr.t('devices.unnamed');
}

function devicesBlock(ctx: PageContext, view: StatusPageView, voucher: Voucher, id: string, open: boolean): SafeHtml {
  const { tr } = ctx;
  const limit = voucher.limits.simultaneousDevices;
  const full = voucher.devices.length >= limit;
  const echo = view.echo?.voucherId === voucher.id ? view.echo : undefined;
  const items = voucher.devices.map((device, i) => {
    const did = `${id}-d${i + 1}`;
    const name = deviceName(tr, device);
    return html`<li class="device">
<div><span class="device-name">${name}</span> <span class="mac">${device.mac}</span></div>
<p class="meter-foot">${tr.t('devices.addedAt', { date: tr.dateTime(device.addedAt, view.data.timeZone) })}</p>
${
  open
    ? html`<div class="device-forms">
<form class="rename" method="post" action="${ctx.base}/devices/rename">${csrfField(ctx)}<input type="hidden" name="voucherId" value="${voucher.id}"><input type="hidden" name="mac" value="${device.mac}">
<label class="sr-only" for="${did}-label">${tr.t('devices.renameLabel', { name })}</label><input id="${did}-label" type="text" name="label" value="${device.label ?? ''}" placeholder="${tr.t('devices.label')}" maxlength="64" required autocomplete="off">
<button class="btn btn-quiet btn-small" type="submit">${tr.t('devices.rename')}</button></form>
<form method="post" action="${ctx.base}/devices/remove">${csrfField(ctx)}<input type="hidden" name="voucherId" value="${voucher.id}"><input type="hidden" name="mac" value="${device.mac}">
<button class="btn btn-danger btn-small" type="submit">${tr.t('devices.remove')}<span class="sr-only"> ${name}</span></button></form>
</div>`
    : null
}
</li>`;
  });
  return html`<section class="devices" aria-labelledby="${id}-dh">
<h4 id="${id}-dh">${tr.t('devices.title')} <span class="muted">(${tr.t('devices.count', { count: voucher.devices.length, limit })})</span></h4>
${items.length > 0 ? html`<ul class="device-list">${items}</ul>` : html`<p class="muted">${tr.t('devices.none')}</p>`}
${
  open
    ? html`${full ? html`<p class="muted">${tr.t('devices.full')}</p>` : null}
<form class="add-device" method="post" action="${ctx.base}/devices/add">${csrfField(ctx)}<input type="hidden" name="voucherId" value="${voucher.id}">
<div class="field"><label for="${id}-mac">${tr.t('devices.mac')}</label>
<input id="${id}-mac" type="text" name="mac" value="${echo?.mac ?? ''}" required maxlength="64" autocomplete="off" autocapitalize="characters" spellcheck="false" aria-describedby="${id}-mac-hint">
<p class="hint" id="${id}-mac-hint">${tr.t('devices.macHint')}</p></div>
<div class="field"><label for="${id}-newlabel">${tr.t('devices.labelOptional')}</label>
<input id="${id}-newlabel" type="text" name="label" value="${echo?.label ?? ''}" maxlength="64" autocomplete="off"></div>
<button class="btn btn-small" type="submit">${tr.t('devices.add')}</button>
</form>`
    : null
}
</section>`;
}
