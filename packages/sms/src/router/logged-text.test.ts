import { describe, expect, it } from 'vitest';
import { loggedText } from './logged-text.js';

describe('loggedText', () => {
  it('masks digit runs of 4 to 10 in an OTP without logText, and only those', () => {
    const out = loggedText({ text: 'a 123 b 1234 c 1234567890 d 12345678901 e 0042', purpose: 'otp' });
    expect(out.text).toBe('a 123 b **** c ********** d 12345678901 e ****');
    expect(out.hide.map((h) => h.value)).toEqual(expect.arrayContaining(['1234', '1234567890', '0042']));
  });

  it('keeps logText when given, and other purposes as they are', () => {
    expect(loggedText({ text: 'Code 918273', logText: 'Code ******', purpose: 'otp' })).toEqual({
      text: 'Code ******',
      hide: [{ value: '918273', replacement: '******' }],
    });
    expect(loggedText({ text: 'Order 918273', purpose: 'notification' })).toEqual({ text: 'Order 918273', hide: [] });
    expect(loggedText({ text: 'no digits', purpose: 'otp' })).toEqual({ text: 'no digits', hide: [] });
  });
});
