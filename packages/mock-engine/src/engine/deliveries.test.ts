import { describe, expect, it } from 'vitest';
import { excerptOf, RESPONSE_EXCERPT_BYTES } from './deliveries.js';

describe('excerptOf (the answer body kept with an attempt)', () => {
  const max = RESPONSE_EXCERPT_BYTES;
  it.each([
    ['empty', '', '', false],
    ['exactly the limit', 'a'.repeat(max), 'a'.repeat(max), false],
    ['one byte over', 'a'.repeat(max + 1), 'a'.repeat(max), true],
    ['a 2-byte character across the limit', `${'a'.repeat(max - 1)}é`, 'a'.repeat(max - 1), true],
    ['a 4-byte character across the limit', `${'a'.repeat(max - 2)}🥚`, 'a'.repeat(max - 2), true],
    ['multi-byte text that fits', 'é'.repeat(max / 2), 'é'.repeat(max / 2), false],
  ])('%s', (_name, text, kept, truncated) => {
    expect(excerptOf(text)).toEqual({ text: kept, truncated });
  });
});
