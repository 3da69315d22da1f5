/**
 * The tables as Kysely sees them. Timestamps and JSON columns are `unknown` here because
 * the two dialects keep them differently (SQLite: epoch milliseconds and text; PostgreSQL:
 * `timestamptz` and `jsonb`); the {@link SqlCodec} converts both ways. Counters that may be
 * `int8` in PostgreSQL are read through `Number()` by the mappers, so a host's own `pg` pool
 * with default type parsers (int8 as string) works too.
 */
export interface Database {
  hotspot_migrations: MigrationsTable;
  hotspot_locations: LocationsTable;
  hotspot_customers: CustomersTable;
  hotspot_plans: PlansTable;
  hotspot_vouchers: VouchersTable;
  hotspot_voucher_devices: VoucherDevicesTable;
  hotspot_usage_sessions: UsageSessionsTable;
  hotspot_usage_totals: UsageTotalsTable;
  hotspot_usage_daily: UsageDailyTable;
  hotspot_otp_challenges: OtpChallengesTable;
  hotspot_rate_limits: RateLimitsTable;
  hotspot_notifications: NotificationsTable;
  hotspot_sms_log: SmsLogTable;
  hotspot_sms_receipts: SmsReceiptsTable;
  hotspot_alerts: AlertsTable;
  hotspot_portal_sessions: PortalSessionsTable;
}

/** A timestamp column (epoch ms in SQLite, `timestamptz` in PostgreSQL). */
type Ts = unknown;
/** A JSON column (text in SQLite, `jsonb` in PostgreSQL). */
type Json = unknown;
/** An integer that may come back as a string (PostgreSQL `int8`). */
type Int = number | string | bigint;

export interface MigrationsTable {
  version: number;
  name: string;
  applied_at: Ts;
}

export interface LocationsTable {
  id: string;
  name: string;
  timezone: string;
  sender_id: string | null;
  branding: Json | null;
  locale: string | null;
  created_at: Ts;
}

export interface CustomersTable {
  id: string;
  phone: string;
  name: string | null;
  email: string | null;
  location_id: string | null;
  created_at: Ts;
}

export interface PlansTable {
  id: string;
  name: string;
  limits: Json;
  created_at: Ts;
}

/** The devices bound to each voucher, kept by triggers from `hotspot_vouchers.devices`: MAC lookups. */
export interface VoucherDevicesTable {
  mac: string;
  voucher_id: string;
}

export interface VouchersTable {
  id: string;
  code: string;
  short_code: string | null;
  plan_id: string;
  plan_name: string;
  limits: Json;
  customer_id: string | null;
  location_id: string | null;
  state: string;
  created_at: Ts;
  activated_at: Ts | null;
  expires_at: Ts | null;
  ended_at: Ts | null;
  end_reason: string | null;
  devices: Json;
  version: Int;
}

export interface UsageSessionsTable {
  session_id: string;
  voucher_id: string;
  customer_id: string | null;
  mac: string | null;
  nas_id: string | null;
  input_bytes: Int;
  output_bytes: Int;
  session_time: Int;
  raw_input_octets: Int;
  raw_output_octets: Int;
  input_wraps: Int;
  output_wraps: Int;
  started_at: Ts;
  last_event_at: Ts;
  closed_at: Ts | null;
  closed_reason: string | null;
  version: Int;
}

export interface UsageTotalsTable {
  voucher_id: string;
  download_bytes: Int;
  upload_bytes: Int;
  online_seconds: Int;
}

export interface UsageDailyTable {
  voucher_id: string;
  day: string;
  download_bytes: Int;
  upload_bytes: Int;
  online_seconds: Int;
}

export interface OtpChallengesTable {
  id: string;
  phone: string;
  purpose: string;
  code_hmac: string;
  created_at: Ts;
  expires_at: Ts;
  attempts: Int;
  sends: Int;
  last_sent_at: Ts;
  resend_after: Ts;
  consumed_at: Ts | null;
  superseded_at: Ts | null;
  ip: string | null;
  location_id: string | null;
}

export interface RateLimitsTable {
  key: string;
  window_seconds: Int;
  /** Seconds since the Unix epoch. */
  window_start: Int;
  count: Int;
  reset_at: Ts;
}

export interface NotificationsTable {
  key: string;
  kind: string;
  status: string;
  recipient: string;
  text: string;
  customer_id: string | null;
  voucher_id: string | null;
  location_id: string | null;
  attempts: Int;
  next_attempt_at: Ts | null;
  last_error: string | null;
  sms_id: string | null;
  created_at: Ts;
  updated_at: Ts;
  version: Int;
}

export interface SmsLogTable {
  id: string;
  recipient: string;
  text: string;
  purpose: string;
  location_id: string | null;
  sender: string | null;
  status: string;
  gateway_id: string | null;
  provider_message_id: string | null;
  created_at: Ts;
  updated_at: Ts;
  delivered_at: Ts | null;
  error_code: string | null;
  attempts: Json;
  meta: Json | null;
}

export interface SmsReceiptsTable {
  provider_message_id: string;
  status: string;
  error_code: string | null;
  received_at: Ts;
}

export interface AlertsTable {
  id: string;
  gateway_id: string;
  amount: number;
  currency: string | null;
  threshold: number;
  created_at: Ts;
  dismissed_at: Ts | null;
}

export interface PortalSessionsTable {
  id: string;
  phone: string;
  created_at: Ts;
  expires_at: Ts;
  revoked_at: Ts | null;
}
