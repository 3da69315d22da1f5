import { describe, it } from 'vitest';
import type { MakeStore } from './types.js';

// PLACEHOLDER: the cases for this repository are being written (see the issue that owns it).
export function usageSuite(_makeStore: MakeStore): void {
  describe('usage', () => {
    it.todo('conformance cases');
  });
}
