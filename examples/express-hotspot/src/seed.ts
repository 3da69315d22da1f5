import { createHotspotKit, type HotspotStore, type PhoneKitOptions, type Voucher } from '@hotspot-kit/core';

const MB = 1024 * 1024;
const GB = 1024 * MB;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The demo customer's vouchers by state, as seeded. */
export interface DemoSeed {
  customerId: string;
  phone: string;
  vouchers: { new: Voucher; active: Voucher; used: Voucher; expired: Voucher };
  /** MAC of the device the simulated NAS keeps online on the active voucher. */
  onlineMac: string;
}

/**
 * Seeds a demo customer whose last six days already happened: one voucher used up, one
 * expired, one active (the simulated NAS brings it online) and one new. The past is written
 * through a second kit on the same store whose clock is moved back, so every record is
 * made by the public API exactly as live traffic would make it, and nothing is sent.
 */
export async function seedDemoData(input: {
  store: HotspotStore;
  secret: string | string[];
  phone: string;
  name: string;
  locationId: string;
  phoneOptions?: PhoneKitOptions;
  now?: Date;
}): Promise<DemoSeed> {
  const now = (input.now ?? new Date()).getTime();
  let at = new Date(now - 6 * DAY);
  // No SMS sender and no notifications: the past must not text anyone.
  const kit = createHotspotKit({
    store: input.store,
    secret: input.secret,
    clock: () => at,
    ...(input.phoneOptions ? { phone: input.phoneOptions } : {}),
  });
  const { locationId } = input;

  const customer = await kit.customers.ensure({ phone: input.phone, name: input.name, locationId });
  const starter = await kit.plans.create({
    name: 'Starter 300 MB',
    downloadKbps: 10_000,
    uploadKbps: 2_000,
    trafficLimit: { totalBytes: 300 * MB },
    simultaneousDevices: 1,
    expiry: { kind: 'after-activation', seconds: 3 * 86_400 },
  });
  const weekend = await kit.plans.create({
    name: 'Weekend 2 GB',
    trafficLimit: { totalBytes: 2 * GB },
    onlineTimeSeconds: 20 * 3_600,
    simultaneousDevices: 2,
    expiry: { kind: 'after-activation', seconds: 2 * 86_400 },
  });
  const week = await kit.plans.create({
    name: 'Week 5 GB',
    downloadKbps: 50_000,
    uploadKbps: 10_000,
    trafficLimit: { downloadBytes: 5 * GB, uploadBytes: 1 * GB },
    simultaneousDevices: 3,
    expiry: { kind: 'after-activation', seconds: 7 * 86_400 },
  });
  const day = await kit.plans.create({
    name: 'Day pass, 4 hours online',
    onlineTimeSeconds: 4 * 3_600,
    simultaneousDevices: 2,
    expiry: { kind: 'after-activation', seconds: 86_400 },
  });

  let sessionNo = 0;
  async function session(voucherId: string, mac: string, start: number, minutes: number, downMb: number, upMb: number) {
    sessionNo += 1;
    const sessionId = `seed-${voucherId}-${sessionNo}`;
    const base = { sessionId, voucherId, mac, nasId: 'seed-nas' };
    const steps = 4;
    for (let i = 0; i <= steps; i++) {
      at = new Date(start + (i * minutes * 60_000) / steps);
      await kit.usage.record({
        ...base,
        type: i === 0 ? 'start' : i === steps ? 'stop' : 'interim',
        outputOctets: Math.round((downMb * MB * i) / steps),
        inputOctets: Math.round((upMb * MB * i) / steps),
        sessionTime: Math.round((i * minutes * 60) / steps),
        eventTime: at,
      });
    }
  }

  const macPhone = 'a4:83:e7:12:34:56';
  const macLaptop = '3c:22:fb:98:76:54';

  // Used: 300 MB gone on its second day.
  at = new Date(now - 6 * DAY);
  const used = await kit.vouchers.create({ planId: starter.id, customerId: customer.id, locationId });
  await kit.vouchers.activate(used.id, { mac: macPhone, customerId: customer.id });
  await session(used.id, macPhone, now - 6 * DAY + HOUR, 90, 140, 20);
  await session(used.id, macPhone, now - 5 * DAY + 2 * HOUR, 120, 160, 25);

  // Expired: a weekend pass that ran out of days, not of data.
  at = new Date(now - 5 * DAY + 6 * HOUR);
  const expired = await kit.vouchers.create({ planId: weekend.id, customerId: customer.id, locationId });
  await kit.vouchers.activate(expired.id, { mac: macPhone, customerId: customer.id });
  await session(expired.id, macPhone, now - 5 * DAY + 7 * HOUR, 180, 420, 60);
  await session(expired.id, macLaptop, now - 4 * DAY + 3 * HOUR, 240, 380, 90);

  // Active: a week pass in use for three days; the simulated NAS keeps it online.
  at = new Date(now - 3 * DAY);
  const active = await kit.vouchers.create({ planId: week.id, customerId: customer.id, locationId });
  await kit.vouchers.activate(active.id, { mac: macPhone, customerId: customer.id });
  at = new Date(now - 3 * DAY + 60_000);
  await kit.vouchers.updateDevice(active.id, macPhone, { label: 'Demo phone' });
  await kit.vouchers.addDevice(active.id, { mac: macLaptop, label: 'Laptop', addedBy: 'operator' });
  await session(active.id, macPhone, now - 3 * DAY + HOUR, 150, 310, 45);
  await session(active.id, macLaptop, now - 2 * DAY + 4 * HOUR, 200, 520, 80);
  await session(active.id, macPhone, now - DAY + 2 * HOUR, 90, 260, 30);

  // New: bought today, not activated yet.
  at = new Date(now);
  const fresh = await kit.vouchers.create({ planId: day.id, customerId: customer.id, locationId });
  await kit.vouchers.expireDue();
  await kit.settled();

  const read = async (id: string) => {
    const v = await kit.vouchers.get(id);
    if (!v) throw new Error(`seeded voucher ${id} disappeared`);
    return v;
  };
  const seeded: DemoSeed = {
    customerId: customer.id,
    phone: customer.phone,
    vouchers: {
      new: await read(fresh.id),
      active: await read(active.id),
      used: await read(used.id),
      expired: await read(expired.id),
    },
    onlineMac: macPhone,
  };
  // This kit is ours to close; the store is the caller's and stays open.
  await kit.close();
  return seeded;
}
