import { describe, expect, it } from 'vitest';
import { parseDuration, parseSize } from './units.js';

describe('parseSize', () => {
  it.each([
    ['1024', 1024],
    ['1KB', 1024],
    ['500MB', 500 * 1024 ** 2],
    ['1.5gb', 1.5 * 1024 ** 3],
    [' 2 GB ', 2 * 1024 ** 3],
  ])('%s is %d bytes', (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });
  it.each(['', 'lots', '-1GB', '0', '1PB', '1,5GB'])('%s is refused', (text) => {
    expect(parseSize(text)).toBeNull();
  });
});

describe('parseDuration', () => {
  it.each([
    ['3600', 3600],
    ['90m', 5400],
    ['4h', 14_400],
    ['7d', 604_800],
    ['2w', 1_209_600],
    ['1.5h', 5400],
  ])('%s is %d seconds', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });
  it.each(['', 'soon', '-5m', '0', '3y'])('%s is refused', (text) => {
    expect(parseDuration(text)).toBeNull();
  });
});
