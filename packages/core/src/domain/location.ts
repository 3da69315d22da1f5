/** Per-location look of the customer portal. Every field is operator text: always escaped. */
export interface LocationBranding {
  operatorName?: string;
  logoUrl?: string;
  /** CSS colour, e.g. `#0a7d5a`. */
  primaryColor?: string;
  accentColor?: string;
}

/** A hotspot site. `senderId` is the SMS sender name used as `%LOCATION%` by gateways. */
export interface Location {
  id: string;
  name: string;
  /** IANA time zone, e.g. `Europe/Riga`; per-day usage buckets follow it. */
  timezone: string;
  senderId?: string;
  /**
   * Language of the customers there (BCP 47, e.g. `de`): texts the hotspot shows, such as a
   * RADIUS `Reply-Message`, use it when the kit has them in that language.
   */
  locale?: string;
  branding?: LocationBranding;
  createdAt: Date;
}
