/**
 * A signed-in portal session as the store keeps it. The signed cookie names the session;
 * this record says whether it still counts, so a sign-out holds on every app instance.
 */
export interface PortalSessionRecord {
  /** Random, unguessable; the cookie carries it. */
  id: string;
  /** The E.164 phone the session is signed in as. */
  phone: string;
  createdAt: Date;
  /** The session's absolute end (its maximum age); renewals of the cookie never pass it. */
  expiresAt: Date;
  /** Set when the session was ended: logout, a new login, or "sign out everywhere". */
  revokedAt?: Date;
}
