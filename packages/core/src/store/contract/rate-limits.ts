/** The answer of a rate-limit counter. */
export interface RateLimitResult {
  allowed: boolean;
  /** The window's count after this call (unchanged when refused). */
  count: number;
  /** When the current window ends. */
  resetAt: Date;
}

/**
 * Fixed-window counters shared by every app instance (OTP send limits, failure budgets,
 * portal login limits, the global SMS budget). Windows start at multiples of
 * `windowSeconds` since the Unix epoch.
 */
export interface RateLimitRepository {
  /**
   * Atomically: if `count + cost <= limit` in the window holding `at`, adds `cost` and
   * answers allowed; otherwise answers refused and adds nothing. Parallel calls never let
   * the count pass `limit`. `cost` defaults to 1.
   */
  consume(
    key: string,
    options: { limit: number; windowSeconds: number; at: Date; cost?: number },
  ): Promise<RateLimitResult>;
  /** The count in the window holding `at` (0 when none), without changing it. */
  peek(key: string, options: { windowSeconds: number; at: Date }): Promise<{ count: number; resetAt: Date }>;
  /** Drops every window of `key`. */
  reset(key: string): Promise<void>;
}
