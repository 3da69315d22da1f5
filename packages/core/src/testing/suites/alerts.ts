import { describe, it } from 'vitest';
import type { MakeStore } from './types.js';

// PLACEHOLDER: the cases for this repository are being written (see the issue that owns it).
export function alertsSuite(_makeStore: MakeStore): void {
  describe('alerts', () => {
    it.todo('conformance cases');
  });
}
