import type { Ddl } from './ddl.js';

/** One schema change: statements run in one transaction together with recording `version`. */
export interface Migration {
  version: number;
  name: string;
  statements(ddl: Ddl): string[];
}

/**
 * Every migration, oldest first. Append only: a released migration is never edited, a
 * change ships as a new version. Each one must keep the previous release working against
 * the migrated schema (additive changes), because during a rolling deploy old and new app
 * instances share one database.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    statements: (d) => {
      const t = d.table;
      return [
        `CREATE TABLE ${t('hotspot_locations')} (
  id ${d.text} PRIMARY KEY,
  name ${d.text} NOT NULL,
  timezone ${d.text} NOT NULL,
  sender_id ${d.text},
  branding ${d.json},
  created_at ${d.ts} NOT NULL
)`,
        `CREATE TABLE ${t('hotspot_customers')} (
  id ${d.text} PRIMARY KEY,
  phone ${d.text} NOT NULL UNIQUE,
  name ${d.text},
  email ${d.text},
  location_id ${d.text},
  created_at ${d.ts} NOT NULL
)`,
        `CREATE TABLE ${t('hotspot_plans')} (
  id ${d.text} PRIMARY KEY,
  name ${d.text} NOT NULL,
  limits ${d.json} NOT NULL,
  created_at ${d.ts} NOT NULL
)`,
        `CREATE TABLE ${t('hotspot_vouchers')} (
  id ${d.text} PRIMARY KEY,
  code ${d.text} NOT NULL UNIQUE,
  short_code ${d.text} UNIQUE,
  plan_id ${d.text} NOT NULL,
  plan_name ${d.text} NOT NULL,
  limits ${d.json} NOT NULL,
  customer_id ${d.text},
  location_id ${d.text},
  state ${d.text} NOT NULL,
  created_at ${d.ts} NOT NULL,
  activated_at ${d.ts},
  expires_at ${d.ts},
  ended_at ${d.ts},
  end_reason ${d.text},
  devices ${d.json} NOT NULL,
  version INTEGER NOT NULL
)`,
        // The portal's list of a customer's vouchers, newest first.
        `CREATE INDEX hotspot_vouchers_customer ON ${t('hotspot_vouchers')} (customer_id, created_at)`,
        // The expiry sweep reads only vouchers that can still expire.
        `CREATE INDEX hotspot_vouchers_expiring ON ${t('hotspot_vouchers')} (expires_at) WHERE state IN ('new', 'active')`,
        `CREATE TABLE ${t('hotspot_usage_sessions')} (
  session_id ${d.text} PRIMARY KEY,
  voucher_id ${d.text} NOT NULL,
  customer_id ${d.text},
  mac ${d.text},
  nas_id ${d.text},
  input_bytes ${d.bigint} NOT NULL,
  output_bytes ${d.bigint} NOT NULL,
  session_time ${d.bigint} NOT NULL,
  raw_input_octets ${d.bigint} NOT NULL,
  raw_output_octets ${d.bigint} NOT NULL,
  input_wraps INTEGER NOT NULL,
  output_wraps INTEGER NOT NULL,
  started_at ${d.ts} NOT NULL,
  last_event_at ${d.ts} NOT NULL,
  closed_at ${d.ts},
  closed_reason ${d.text},
  version INTEGER NOT NULL
)`,
        // Open sessions only: "online" of a customer's vouchers, and the stale-session sweep.
        `CREATE INDEX hotspot_usage_sessions_open ON ${t('hotspot_usage_sessions')} (voucher_id, last_event_at) WHERE closed_at IS NULL`,
        `CREATE INDEX hotspot_usage_sessions_stale ON ${t('hotspot_usage_sessions')} (last_event_at) WHERE closed_at IS NULL`,
        `CREATE TABLE ${t('hotspot_usage_totals')} (
  voucher_id ${d.text} PRIMARY KEY,
  download_bytes ${d.bigint} NOT NULL,
  upload_bytes ${d.bigint} NOT NULL,
  online_seconds ${d.bigint} NOT NULL
)`,
        `CREATE TABLE ${t('hotspot_usage_daily')} (
  voucher_id ${d.text} NOT NULL,
  day ${d.text} NOT NULL,
  download_bytes ${d.bigint} NOT NULL,
  upload_bytes ${d.bigint} NOT NULL,
  online_seconds ${d.bigint} NOT NULL,
  PRIMARY KEY (voucher_id, day)
)`,
        `CREATE TABLE ${t('hotspot_otp_challenges')} (
  id ${d.text} PRIMARY KEY,
  phone ${d.text} NOT NULL,
  purpose ${d.text} NOT NULL,
  code_hmac ${d.text} NOT NULL,
  created_at ${d.ts} NOT NULL,
  expires_at ${d.ts} NOT NULL,
  attempts INTEGER NOT NULL,
  sends INTEGER NOT NULL,
  last_sent_at ${d.ts} NOT NULL,
  resend_after ${d.ts} NOT NULL,
  consumed_at ${d.ts},
  superseded_at ${d.ts},
  ip ${d.text},
  location_id ${d.text}
)`,
        `CREATE INDEX hotspot_otp_challenges_phone ON ${t('hotspot_otp_challenges')} (phone, purpose)`,
        // The prune of long-expired challenges.
        `CREATE INDEX hotspot_otp_challenges_expires ON ${t('hotspot_otp_challenges')} (expires_at)`,
        `CREATE TABLE ${t('hotspot_rate_limits')} (
  key ${d.text} NOT NULL,
  window_seconds INTEGER NOT NULL,
  window_start ${d.bigint} NOT NULL,
  count INTEGER NOT NULL,
  reset_at ${d.ts} NOT NULL,
  PRIMARY KEY (key, window_seconds, window_start)
)`,
        `CREATE TABLE ${t('hotspot_notifications')} (
  key ${d.text} PRIMARY KEY,
  kind ${d.text} NOT NULL,
  status ${d.text} NOT NULL,
  recipient ${d.text} NOT NULL,
  text ${d.text} NOT NULL,
  customer_id ${d.text},
  voucher_id ${d.text},
  location_id ${d.text},
  attempts INTEGER NOT NULL,
  next_attempt_at ${d.ts},
  last_error ${d.text},
  sms_id ${d.text},
  created_at ${d.ts} NOT NULL,
  updated_at ${d.ts} NOT NULL,
  version INTEGER NOT NULL
)`,
        `CREATE INDEX hotspot_notifications_due ON ${t('hotspot_notifications')} (next_attempt_at) WHERE status IN ('failed', 'claimed')`,
        `CREATE INDEX hotspot_notifications_voucher ON ${t('hotspot_notifications')} (voucher_id, created_at)`,
        `CREATE INDEX hotspot_notifications_customer ON ${t('hotspot_notifications')} (customer_id, created_at)`,
        `CREATE TABLE ${t('hotspot_sms_log')} (
  id ${d.text} PRIMARY KEY,
  recipient ${d.text} NOT NULL,
  text ${d.text} NOT NULL,
  purpose ${d.text} NOT NULL,
  location_id ${d.text},
  sender ${d.text},
  status ${d.text} NOT NULL,
  gateway_id ${d.text},
  provider_message_id ${d.text},
  created_at ${d.ts} NOT NULL,
  updated_at ${d.ts} NOT NULL,
  delivered_at ${d.ts},
  error_code ${d.text},
  attempts ${d.json} NOT NULL,
  meta ${d.json}
)`,
        // The log page: newest first, optionally filtered by one of these columns.
        `CREATE INDEX hotspot_sms_log_created ON ${t('hotspot_sms_log')} (created_at, id)`,
        `CREATE INDEX hotspot_sms_log_recipient ON ${t('hotspot_sms_log')} (recipient, created_at)`,
        `CREATE INDEX hotspot_sms_log_status ON ${t('hotspot_sms_log')} (status, created_at)`,
        `CREATE INDEX hotspot_sms_log_purpose ON ${t('hotspot_sms_log')} (purpose, created_at)`,
        `CREATE INDEX hotspot_sms_log_gateway ON ${t('hotspot_sms_log')} (gateway_id, created_at)`,
        `CREATE INDEX hotspot_sms_log_location ON ${t('hotspot_sms_log')} (location_id, created_at)`,
        `CREATE INDEX hotspot_sms_log_provider_id ON ${t('hotspot_sms_log')} (provider_message_id)`,
        `CREATE TABLE ${t('hotspot_sms_receipts')} (
  provider_message_id ${d.text} PRIMARY KEY,
  status ${d.text} NOT NULL,
  error_code ${d.text},
  received_at ${d.ts} NOT NULL
)`,
        `CREATE TABLE ${t('hotspot_alerts')} (
  id ${d.text} PRIMARY KEY,
  gateway_id ${d.text} NOT NULL,
  amount ${d.real} NOT NULL,
  currency ${d.text},
  threshold ${d.real} NOT NULL,
  created_at ${d.ts} NOT NULL,
  dismissed_at ${d.ts}
)`,
        `CREATE INDEX hotspot_alerts_created ON ${t('hotspot_alerts')} (created_at)`,
      ];
    },
  },
  {
    version: 2,
    name: 'portal sessions',
    statements: (d) => {
      const t = d.table;
      return [
        `CREATE TABLE ${t('hotspot_portal_sessions')} (
  id ${d.text} PRIMARY KEY,
  phone ${d.text} NOT NULL,
  created_at ${d.ts} NOT NULL,
  expires_at ${d.ts} NOT NULL,
  revoked_at ${d.ts}
)`,
        // "Sign out everywhere": a phone's sessions that are still open.
        `CREATE INDEX hotspot_portal_sessions_phone ON ${t('hotspot_portal_sessions')} (phone) WHERE revoked_at IS NULL`,
        // The prune of long-ended sessions.
        `CREATE INDEX hotspot_portal_sessions_expires ON ${t('hotspot_portal_sessions')} (expires_at)`,
      ];
    },
  },
  {
    version: 3,
    name: 'RADIUS lookups: devices by MAC, codes by key, sessions by NAS, location locale',
    statements: (d) => radiusLookups(d),
  },
];

/**
 * What a RADIUS login and accounting look up: the vouchers a device (MAC) is bound to, a
 * code typed with other separators, the open sessions of a NAS. The device index is kept by
 * triggers, so every writer (old app instances during a rolling deploy included) keeps it
 * exact; the code key is an expression index over `code`, so nothing writes it.
 */
function radiusLookups(d: Ddl): string[] {
  const t = d.table;
  const devices = t('hotspot_voucher_devices');
  const vouchers = t('hotspot_vouchers');
  // Must match VOUCHER_CODE_SEPARATORS in @hotspot-kit/core and the repository's query.
  const statements = [
    `ALTER TABLE ${t('hotspot_locations')} ADD COLUMN locale ${d.text}`,
    `CREATE INDEX hotspot_vouchers_loose_code ON ${vouchers} (${CODE_KEY_SQL})`,
    `CREATE INDEX hotspot_usage_sessions_nas ON ${t('hotspot_usage_sessions')} (nas_id, last_event_at) WHERE closed_at IS NULL`,
    `CREATE TABLE ${devices} (
  mac ${d.text} NOT NULL,
  voucher_id ${d.text} NOT NULL,
  PRIMARY KEY (mac, voucher_id)
)`,
    `CREATE INDEX hotspot_voucher_devices_voucher ON ${devices} (voucher_id)`,
  ];
  if (d.dialect === 'sqlite') {
    const fill = (v: string) =>
      `INSERT OR IGNORE INTO ${devices} (mac, voucher_id) SELECT json_extract(value, '$.mac'), ${v}.id FROM json_each(${v}.devices) WHERE json_extract(value, '$.mac') IS NOT NULL`;
    return [
      ...statements,
      `INSERT OR IGNORE INTO ${devices} (mac, voucher_id) SELECT json_extract(j.value, '$.mac'), v.id FROM ${vouchers} v, json_each(v.devices) j WHERE json_extract(j.value, '$.mac') IS NOT NULL`,
      `CREATE TRIGGER hotspot_vouchers_devices_insert AFTER INSERT ON ${vouchers} WHEN NEW.devices <> '[]'
BEGIN
  ${fill('NEW')};
END`,
      `CREATE TRIGGER hotspot_vouchers_devices_update AFTER UPDATE OF devices ON ${vouchers} WHEN OLD.devices IS NOT NEW.devices
BEGIN
  DELETE FROM ${devices} WHERE voucher_id = NEW.id;
  ${fill('NEW')};
END`,
    ];
  }
  const sync = t('hotspot_voucher_devices_sync');
  return [
    ...statements,
    `INSERT INTO ${devices} (mac, voucher_id) SELECT DISTINCT e->>'mac', v.id FROM ${vouchers} v, jsonb_array_elements(v.devices) e WHERE e->>'mac' IS NOT NULL ON CONFLICT DO NOTHING`,
    `CREATE FUNCTION ${sync}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    DELETE FROM ${devices} WHERE voucher_id = NEW.id;
  END IF;
  INSERT INTO ${devices} (mac, voucher_id)
    SELECT DISTINCT e->>'mac', NEW.id FROM jsonb_array_elements(NEW.devices) e WHERE e->>'mac' IS NOT NULL
    ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$`,
    `CREATE TRIGGER hotspot_vouchers_devices_insert AFTER INSERT ON ${vouchers} FOR EACH ROW WHEN (NEW.devices <> '[]'::jsonb) EXECUTE FUNCTION ${sync}()`,
    `CREATE TRIGGER hotspot_vouchers_devices_update AFTER UPDATE OF devices ON ${vouchers} FOR EACH ROW WHEN (OLD.devices IS DISTINCT FROM NEW.devices) EXECUTE FUNCTION ${sync}()`,
  ];
}

/** `code` with the separators of `voucherCodeKey` removed: the indexed lookup key. */
export const CODE_KEY_SQL = "replace(replace(replace(replace(code, ' ', ''), '-', ''), '_', ''), '.', '')";

/** The schema version this release of `@hotspot-kit/store-sql` needs. */
export const SCHEMA_VERSION: number = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
