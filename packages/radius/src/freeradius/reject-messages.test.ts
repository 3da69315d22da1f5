import { describe, expect, it } from 'vitest';
import { fitReplyMessage, REJECT_MESSAGES, rejectMessage } from './reject-messages.js';

describe('reject messages', () => {
  it('every built-in language has every reason', () => {
    const reasons = Object.keys(REJECT_MESSAGES.en as object).sort();
    for (const messages of Object.values(REJECT_MESSAGES)) expect(Object.keys(messages).sort()).toEqual(reasons);
  });

  it('picks the region’s language, then the fallback, then English; overrides win', () => {
    expect(rejectMessage('used', 'de-AT', 'en')).toBe('Dieser Gutschein ist aufgebraucht');
    expect(rejectMessage('used', 'pt-BR', 'es')).toBe('Este cupón está agotado');
    expect(rejectMessage('used', undefined, 'xx')).toBe('This voucher is used up');
    expect(rejectMessage('used', 'de', 'en', { DE: { used: 'Leer' } })).toBe('Leer');
  });

  it('a Reply-Message never exceeds 253 bytes nor splits a character', () => {
    const long = fitReplyMessage('я'.repeat(200));
    expect(new TextEncoder().encode(long).length).toBe(252);
    expect(long).toBe('я'.repeat(126));
  });
});
