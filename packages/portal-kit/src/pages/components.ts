import type { DailyUsage, Voucher } from '@hotspot-kit/core';
import { html, type SafeHtml } from '../html/html.js';
import type { Translator } from '../i18n/i18n.js';
import { type VoucherFigures, voucherFigures } from '../status/status-data.js';

/** A used-vs-limit bar as inline SVG (attributes only, no inline style: the CSP forbids it). */
export function bar(label: string, percent: number): SafeHtml {
  const p = Math.max(0, Math.min(100, percent));
  const width = p === 0 ? 0 : Math.max(p, 1.5);
  return html`<svg class="bar" role="img" aria-label="${label}" viewBox="0 0 100 10" preserveAspectRatio="none" focusable="false"><rect class="track" width="100" height="10" rx="5"></rect><rect class="fill${p >= 90 ? ' high' : ''}" width="${width.toFixed(1)}" height="10" rx="5"></rect></svg>`;
}

function meter(
  tr: Translator,
  view: { name: string; headline: string; percent: number | null; foot?: string | null },
): SafeHtml {
  return html`<div class="meter">
<div class="meter-head"><span class="meter-name">${view.name}</span><span>${view.headline}</span></div>
${view.percent === null ? null : bar(tr.t('usage.barLabel', { name: view.name, percent: Math.round(view.percent) }), view.percent)}
${view.foot ? html`<p class="meter-foot">${view.foot}</p>` : null}
</div>`;
}

/** Data, online time and validity of one voucher, as bars where there is a limit. */
export function usageMeters(tr: Translator, voucher: Voucher, now: Date, timeZone: string): SafeHtml {
  const f = voucherFigures(voucher, now);
  const meters: SafeHtml[] = [];
  const { usage } = voucher;
  if (f.trafficLimit?.kind === 'total') {
    meters.push(
      meter(tr, {
        name: tr.t('usage.data'),
        headline: tr.t('usage.usedOf', { used: tr.bytes(f.totalBytes), limit: tr.bytes(f.trafficLimit.bytes) }),
        percent: f.trafficPercent,
        foot: tr.t('usage.left', {
          left: tr.bytes(voucher.remaining?.totalBytes ?? Math.max(0, f.trafficLimit.bytes - f.totalBytes)),
        }),
      }),
    );
  } else if (f.trafficLimit?.kind === 'split') {
    const { downloadBytes, uploadBytes } = f.trafficLimit;
    for (const [name, used, limit, left] of [
      [tr.t('usage.download'), usage.downloadBytes, downloadBytes, voucher.remaining?.downloadBytes],
      [tr.t('usage.upload'), usage.uploadBytes, uploadBytes, voucher.remaining?.uploadBytes],
    ] as const) {
      meters.push(
        meter(tr, {
          name,
          headline: tr.t('usage.usedOf', { used: tr.bytes(used), limit: tr.bytes(limit) }),
          percent: limit > 0 ? Math.min(100, (used / limit) * 100) : 100,
          foot: tr.t('usage.left', { left: tr.bytes(left ?? Math.max(0, limit - used)) }),
        }),
      );
    }
  } else {
    meters.push(
      meter(tr, {
        name: tr.t('usage.data'),
        headline: tr.t('usage.unlimited'),
        percent: null,
        foot: tr.t('usage.usedNoLimit', { used: tr.bytes(f.totalBytes) }),
      }),
    );
  }
  meters.push(
    f.onlineLimitSeconds === null
      ? meter(tr, {
          name: tr.t('usage.time'),
          headline: tr.t('usage.unlimited'),
          percent: null,
          foot: tr.t('usage.usedNoLimit', { used: tr.duration(usage.onlineSeconds) }),
        })
      : meter(tr, {
          name: tr.t('usage.time'),
          headline: tr.t('usage.usedOf', {
            used: tr.duration(usage.onlineSeconds),
            limit: tr.duration(f.onlineLimitSeconds),
          }),
          percent: f.onlinePercent,
          foot: tr.t('usage.left', { left: tr.duration(f.onlineRemainingSeconds ?? 0) }),
        }),
  );
  meters.push(validityMeter(tr, voucher, f, now, timeZone));
  return html`<div class="meters">${meters}</div>`;
}

function validityMeter(tr: Translator, voucher: Voucher, f: VoucherFigures, now: Date, timeZone: string): SafeHtml {
  const name = tr.t('usage.validity');
  const { expiry } = voucher.limits;
  if (voucher.status === 'expired' || voucher.status === 'used') {
    return meter(tr, { name, headline: tr.t('usage.over'), percent: null });
  }
  if (!voucher.expiresAt) {
    const headline =
      expiry.kind === 'after-activation'
        ? tr.t('usage.afterActivation', { duration: tr.duration(expiry.seconds) })
        : tr.t('usage.noExpiry');
    return meter(tr, { name, headline, percent: null });
  }
  const start = (voucher.activatedAt ?? voucher.createdAt).getTime();
  const end = voucher.expiresAt.getTime();
  const left = f.validitySeconds ?? Math.max(0, Math.floor((end - now.getTime()) / 1000));
  const percent = end > start ? Math.min(100, Math.max(0, ((now.getTime() - start) / (end - start)) * 100)) : 100;
  return meter(tr, {
    name,
    headline: tr.t('usage.left', { left: tr.duration(left) }),
    percent,
    foot: tr.t('usage.validUntil', { date: tr.dateTime(voucher.expiresAt, timeZone) }),
  });
}

/** The per-day usage chart: inline SVG columns, plus the same numbers as a table for screen readers. */
export function usageChart(tr: Translator, days: readonly DailyUsage[]): SafeHtml {
  const total = days.reduce((sum, d) => sum + d.downloadBytes + d.uploadBytes, 0);
  const count = days.length;
  if (total === 0 && days.every((d) => d.onlineSeconds === 0)) {
    return html`<p class="muted">${tr.t('chart.empty', { days: count })}</p>`;
  }
  const colW = 24;
  const chartH = 120;
  const top = 16;
  const width = Math.max(count * colW, 120);
  const height = top + chartH + 22;
  const max = Math.max(1, ...days.map((d) => d.downloadBytes + d.uploadBytes));
  const every = count > 16 ? Math.ceil(count / 8) : count > 8 ? 2 : 1;
  const cols: SafeHtml[] = [];
  const rows: SafeHtml[] = [];
  for (let i = 0; i < count; i++) {
    const d = days[i] as DailyUsage;
    const bytes = d.downloadBytes + d.uploadBytes;
    const h = bytes === 0 ? 0 : Math.max(2, (bytes / max) * chartH);
    const x = i * colW + 4;
    const [day, size] = [tr.day(d.day, 'long'), tr.bytes(bytes)];
    cols.push(
      html`<rect class="col" x="${x}" y="${(top + chartH - h).toFixed(1)}" width="${colW - 8}" height="${h.toFixed(1)}" rx="2"><title>${day}: ${size}</title></rect>${
        (count - 1 - i) % every === 0
          ? html`<text x="${x + (colW - 8) / 2}" y="${top + chartH + 15}" text-anchor="middle">${tr.day(d.day)}</text>`
          : null
      }`,
    );
    rows.push(
      html`<tr><th scope="row">${day}</th><td class="num">${size}</td><td class="num">${tr.duration(d.onlineSeconds)}</td></tr>`,
    );
  }
  const caption = tr.t('chart.caption', { days: count, total: tr.bytes(total) });
  return html`<figure class="chart" aria-labelledby="chart-caption">
<svg viewBox="-4 0 ${width + 24} ${height}" role="img" aria-label="${caption}" focusable="false">
<text x="0" y="10">${tr.bytes(max)}</text>
<line class="axis" x1="0" y1="${top + chartH + 0.5}" x2="${width}" y2="${top + chartH + 0.5}"></line>
${cols}
</svg>
<figcaption id="chart-caption" class="muted">${caption}</figcaption>
</figure>
<details><summary>${tr.t('chart.table')}</summary>
<table><thead><tr><th scope="col">${tr.t('chart.day')}</th><th scope="col" class="num">${tr.t('chart.data')}</th><th scope="col" class="num">${tr.t('chart.time')}</th></tr></thead><tbody>${rows}</tbody></table>
</details>`;
}
