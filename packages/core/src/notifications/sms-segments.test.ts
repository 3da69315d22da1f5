import { describe, expect, it } from 'vitest';
import { countSmsSegments, nonGsm7Characters } from './sms-segments.js';

describe('countSmsSegments', () => {
  it('counts plain GSM-7 text: 160 in one segment, then 153 per part', () => {
    expect(countSmsSegments('Hello')).toMatchObject({ encoding: 'GSM-7', segments: 1, characters: 5, units: 5 });
    expect(countSmsSegments('a'.repeat(160))).toMatchObject({ segments: 1, remainingInSegment: 0 });
    expect(countSmsSegments('a'.repeat(161))).toMatchObject({ segments: 2, unitsPerSegment: 153 });
    expect(countSmsSegments('a'.repeat(306)).segments).toBe(2);
    expect(countSmsSegments('a'.repeat(307)).segments).toBe(3);
  });

  it('keeps the whole GSM 03.38 alphabet in GSM-7, newlines included', () => {
    const text = '@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà !"#%&\'()*+,-./:;<=>?\n\r';
    expect(countSmsSegments(text)).toMatchObject({ encoding: 'GSM-7', units: [...text].length });
    expect(nonGsm7Characters(text)).toEqual([]);
  });

  it('counts extension-table characters as two septets', () => {
    expect(countSmsSegments('€')).toMatchObject({ encoding: 'GSM-7', characters: 1, units: 2 });
    expect(countSmsSegments('[]{}^~|\\€\f')).toMatchObject({ encoding: 'GSM-7', characters: 10, units: 20 });
    expect(countSmsSegments('€'.repeat(80))).toMatchObject({ segments: 1, units: 160 });
    expect(countSmsSegments('€'.repeat(81))).toMatchObject({ segments: 2, characters: 81, units: 162 });
  });

  it('never splits an escape pair across parts', () => {
    // 306 septets would fit two parts of 153, but the euro sign cannot straddle them.
    const text = `${'a'.repeat(152)}€${'a'.repeat(152)}`;
    expect(countSmsSegments(text)).toMatchObject({ units: 306, segments: 3 });
  });

  it('switches the whole message to UCS-2 for one character outside GSM-7 (a curly apostrophe)', () => {
    const text = `${'a'.repeat(100)}’s`;
    expect(countSmsSegments(text)).toMatchObject({ encoding: 'UCS-2', segments: 2, characters: 102, units: 102 });
    expect(nonGsm7Characters(text)).toEqual(['’']);
  });

  it('counts UCS-2 text: 70 in one segment, then 67 per part', () => {
    expect(countSmsSegments('Привет')).toMatchObject({ encoding: 'UCS-2', segments: 1, characters: 6 });
    expect(countSmsSegments('Ж'.repeat(70)).segments).toBe(1);
    expect(countSmsSegments('Ж'.repeat(71))).toMatchObject({ segments: 2, unitsPerSegment: 67 });
    expect(countSmsSegments('Ж'.repeat(134)).segments).toBe(2);
    expect(countSmsSegments('Ж'.repeat(135)).segments).toBe(3);
  });

  it('counts an emoji as two UTF-16 units and never splits it', () => {
    expect(countSmsSegments('😀'.repeat(35))).toMatchObject({
      encoding: 'UCS-2',
      segments: 1,
      characters: 35,
      units: 70,
    });
    expect(countSmsSegments('😀'.repeat(36))).toMatchObject({ segments: 2, characters: 36, units: 72 });
    const text = `${'Ж'.repeat(66)}😀${'Ж'.repeat(66)}`;
    expect(countSmsSegments(text)).toMatchObject({ units: 134, segments: 3 });
  });

  it('says an empty text costs nothing', () => {
    expect(countSmsSegments('')).toMatchObject({ segments: 0, characters: 0, units: 0 });
  });
});
