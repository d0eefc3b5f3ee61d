import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';

/** A seeded pseudo-random stream (pure-rand's xoroshiro128+, advanced in place). */
export type Random = RandomGenerator;

/**
 * A stream from a seed (reproducible: its SHA-256 is the 128-bit state) or from the platform's
 * CSPRNG (Web Crypto's `getRandomValues`, global in Node 20 and browsers).
 */
export function createRandom(seed: string | number | undefined): Random {
  const bytes =
    seed === undefined
      ? crypto.getRandomValues(new Uint8Array(16))
      : sha256(utf8ToBytes(String(seed)));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return xoroshiro128plusFromState([0, 4, 8, 12].map((offset) => view.getInt32(offset, true)));
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** `length` characters of [a-z0-9] drawn from `random`. */
export function randomToken(random: Random, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[uniformInt(random, 0, ALPHABET.length - 1)];
  return out;
}

/** A float in [0, 1). */
export function randomFraction(random: Random): number {
  return uniformInt(random, 0, 2 ** 32 - 1) / 2 ** 32;
}
