import { keyFingerprint } from '@eggapi/mock-engine';
import { replayError } from './loader.js';

/** `replayKey`: a recorded fingerprint for every configured key, or fingerprint → key. */
export type ReplayKeyOption = string | Record<string, string>;

/**
 * The recorded fingerprints each configured key sees: its own (`keyFingerprint`), and those
 * `replayKey` maps to it. A fingerprint the recording does not hold, or a key that is not
 * configured, fails the start.
 */
export function recordedKeysOf(
  apiKeys: readonly string[],
  replayKey: ReplayKeyOption | undefined,
  recorded: ReadonlySet<string>,
): Map<string, Set<string>> {
  const seen = new Map(apiKeys.map((key) => [key, new Set([keyFingerprint(key)])]));
  const mapped: [string, string[]][] =
    replayKey === undefined
      ? []
      : typeof replayKey === 'string'
        ? [[replayKey, [...apiKeys]]]
        : Object.entries(replayKey).map(([fingerprint, key]) => [fingerprint, [key]]);
  for (const [fingerprint, keys] of mapped) {
    if (!recorded.has(fingerprint)) {
      throw replayError(
        `replayKey: no recorded request has the key fingerprint ${JSON.stringify(fingerprint)} (recorded: ${[...recorded].map((f) => JSON.stringify(f)).join(', ') || 'none'})`,
      );
    }
    for (const key of keys) {
      const own = seen.get(key);
      if (!own) {
        throw replayError(
          `replayKey: ${JSON.stringify(fingerprint)} is mapped to a key that is not configured (${keyFingerprint(key)})`,
        );
      }
      own.add(fingerprint);
    }
  }
  return seen;
}

/** The API key of an `Authorization: Bearer <key>` value (already accepted by the guards). */
export function bearerKey(authorization: string | undefined): string | undefined {
  return /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? '')?.[1];
}
