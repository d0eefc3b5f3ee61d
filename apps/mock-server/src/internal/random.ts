import { createHash, randomBytes } from 'node:crypto';

/** A source of uniformly distributed 32-bit integers. */
export interface Random {
  next(): number;
}

/** sfc32, a small fast PRNG: deterministic for a seed, good enough for ids and jitter. */
function sfc32(a: number, b: number, c: number, d: number): Random {
  return {
    next() {
      a >>>= 0;
      b >>>= 0;
      c >>>= 0;
      d >>>= 0;
      const t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (c << 21) | (c >>> 11);
      c = (c + t) | 0;
      return t >>> 0;
    },
  };
}

/** A PRNG from a seed (reproducible) or from the OS (when `seed` is undefined). */
export function createRandom(seed: string | number | undefined): Random {
  const bytes =
    seed === undefined ? randomBytes(16) : createHash('sha256').update(String(seed)).digest();
  return sfc32(
    bytes.readUInt32LE(0),
    bytes.readUInt32LE(4),
    bytes.readUInt32LE(8),
    bytes.readUInt32LE(12),
  );
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** `length` characters of [a-z0-9] drawn from `random`. */
export function randomToken(random: Random, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[random.next() % ALPHABET.length];
  return out;
}

/** A float in [0, 1). */
export function randomFraction(random: Random): number {
  return random.next() / 2 ** 32;
}
