/**
 * The longest a Lua call may take on the clock, however little CPU the machine gave it: its
 * deadline is CPU time (a busy machine does not make a script "too slow"), up to this cap.
 */
export function wallCapMs(deadlineMs: number): number {
  return deadlineMs * 10 + 1000;
}
