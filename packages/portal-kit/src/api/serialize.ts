import type { Voucher } from '@hotspot-kit/core';
import { isOpenVoucher, type StatusData, voucherFigures } from '../status/status-data.js';

/** A voucher as `GET /api/status` returns it (the OpenAPI `Voucher` schema). */
export function voucherJson(voucher: Voucher, now: Date, devicesEnabled: boolean) {
  const f = voucherFigures(voucher, now);
  return {
    id: voucher.id,
    code: voucher.code,
    planName: voucher.planName,
    status: voucher.status,
    limits: {
      downloadKbps: voucher.limits.downloadKbps ?? null,
      uploadKbps: voucher.limits.uploadKbps ?? null,
      trafficLimit: voucher.limits.trafficLimit ?? null,
      onlineTimeSeconds: voucher.limits.onlineTimeSeconds ?? null,
      simultaneousDevices: voucher.limits.simultaneousDevices,
      expiry: voucher.limits.expiry,
    },
    usage: {
      downloadBytes: voucher.usage.downloadBytes,
      uploadBytes: voucher.usage.uploadBytes,
      totalBytes: f.totalBytes,
      onlineSeconds: voucher.usage.onlineSeconds,
    },
    remaining: voucher.remaining ?? null,
    percent: { traffic: f.trafficPercent, onlineTime: f.onlinePercent },
    createdAt: voucher.createdAt.toISOString(),
    activatedAt: voucher.activatedAt?.toISOString() ?? null,
    expiresAt: voucher.expiresAt?.toISOString() ?? null,
    endedAt: voucher.endedAt?.toISOString() ?? null,
    endReason: voucher.endReason ?? null,
    onlineSessions: voucher.onlineSessions,
    devices: devicesEnabled
      ? voucher.devices.map((d) => ({
          mac: d.mac,
          label: d.label ?? null,
          addedAt: d.addedAt.toISOString(),
          addedBy: d.addedBy,
        }))
      : null,
    canManageDevices: devicesEnabled && isOpenVoucher(voucher),
  };
}

/** `GET /api/status` (the OpenAPI `Status` schema). */
export function statusJson(data: StatusData, now: Date) {
  return {
    phone: data.phone,
    customer: data.customer ? { name: data.customer.name ?? null } : null,
    verified: data.verified,
    devicesEnabled: data.devicesEnabled,
    currentVoucherId: data.current?.id ?? null,
    vouchers: data.vouchers.map((v) => voucherJson(v, now, data.devicesEnabled)),
    vouchersTotal: data.vouchersTotal,
    nextCursor: data.nextCursor,
    history: data.history.map((d) => ({
      day: d.day,
      downloadBytes: d.downloadBytes,
      uploadBytes: d.uploadBytes,
      onlineSeconds: d.onlineSeconds,
    })),
    timeZone: data.timeZone,
  };
}
