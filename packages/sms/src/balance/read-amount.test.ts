import { describe, expect, it } from 'vitest';
import { firstNumber, getAtJsonPath, readAmount } from './read-amount.js';

describe('readAmount', () => {
  it('reads a JSON path in its usual spellings, numbers or numeric strings', () => {
    const body = JSON.stringify({ data: { balance: '300.50', accounts: [{ amount: 7 }] } });
    expect(readAmount(body, 'data.balance')).toEqual({ amount: 300.5 });
    expect(readAmount(body, '$.data.accounts[0].amount')).toEqual({ amount: 7 });
    expect(readAmount(body, "$['data'].accounts.0.amount")).toEqual({ amount: 7 });
    expect(readAmount(body, 'data.missing')).toHaveProperty('reason');
    expect(readAmount('not json', 'data')).toHaveProperty('reason');
  });

  it('takes the first number by default', () => {
    expect(readAmount('{"UserData":{"balance":"KES 1785.50"}}')).toEqual({ amount: 1785.5 });
    expect(firstNumber('balance: -3.25 EUR')).toBe(-3.25);
    expect(readAmount('no digits here')).toHaveProperty('reason');
    expect(getAtJsonPath({ a: [1, { b: 2 }] }, 'a[1].b')).toBe(2);
  });
});
