/**
 * The kit's session id for a NAS's Acct-Session-Id: `<nasId>/<Acct-Session-Id>`, because
 * NAS number their sessions on their own (two MikroTiks both have a session `81a00003`).
 *
 * @example
 * ```ts
 * kitSessionId('hq-router', '81a00003') // 'hq-router/81a00003'
 * ```
 */
export function kitSessionId(nasId: string, acctSessionId: string): string {
  return `${nasId}/${acctSessionId}`;
}

/** The Acct-Session-Id the NAS knows, back from a session the handler stored (others as they are). */
export function nasSessionId(session: { sessionId: string; nasId?: string }): string {
  const prefix = session.nasId === undefined ? undefined : `${session.nasId}/`;
  return prefix !== undefined && session.sessionId.startsWith(prefix)
    ? session.sessionId.slice(prefix.length)
    : session.sessionId;
}
