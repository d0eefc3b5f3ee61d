import { createHash, randomBytes } from 'node:crypto';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';

/** A seeded pseudo-random stream (pure-rand's xoroshiro128+, advanced in place). */
export type Random = RandomGenerator;

/** A stream from a seed (reproducible: its SHA-256 is the 128-bit state) or from the OS. */
export function createRandom(seed: string | number | undefined): Random {
  const bytes =
    seed === undefined ? randomBytes(16) : createHash('sha256').update(String(seed)).digest();
  return xoroshiro128plusFromState([0, 4, 8, 12].map((offset) => bytes.readInt32LE(offset)));
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
