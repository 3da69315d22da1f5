import { describe, it } from 'vitest';
import type { MakeStore } from './types.js';

// PLACEHOLDER: the cases for this repository are being written (see the issue that owns it).
export function notificationsSuite(_makeStore: MakeStore): void {
  describe('notifications', () => {
    it.todo('conformance cases');
  });
}
