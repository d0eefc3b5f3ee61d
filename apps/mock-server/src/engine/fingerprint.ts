/**
 * A recognisable but harmless form of an API key for admin answers and logs: `sk_t…ggapi` (the
 * first four and last five characters). Keys too short to hide that way show only their first
 * two characters.
 */
export function keyFingerprint(key: string): string {
  return key.length >= 12 ? `${key.slice(0, 4)}…${key.slice(-5)}` : `${key.slice(0, 2)}…`;
}
