import { bearerToken } from '@eggapi/contracts';
import { EngineError } from './errors.js';
import { keyFingerprint, keyFingerprints, ownerIdOf } from './fingerprint.js';

/**
 * The API keys an instance accepts: the owner id each is stored under (a keyed hash with the
 * store's salt, `ownerIdOf`), and the fingerprint shown for each owner (`sk_t…ggapi`).
 */
export class KeyRing {
  readonly #ownerOfKey = new Map<string, string>();
  readonly #fingerprintOfOwner = new Map<string, string>();

  constructor(apiKeys: readonly string[], salt: string) {
    for (const [key, shown] of keyFingerprints(apiKeys)) {
      const owner = ownerIdOf(salt, key);
      this.#ownerOfKey.set(key, owner);
      this.#fingerprintOfOwner.set(owner, shown);
    }
  }

  /**
   * The owner id of an `Authorization` value's API key; UNAUTHORIZED when missing, malformed or
   * unknown.
   */
  authenticate(authorization: string | undefined): Promise<string> {
    if (!authorization) {
      return Promise.reject(
        new EngineError('UNAUTHORIZED', 'missing API key: send "Authorization: Bearer <api key>"'),
      );
    }
    const key = bearerToken(authorization);
    if (key === undefined) {
      return Promise.reject(
        new EngineError(
          'UNAUTHORIZED',
          'malformed Authorization header: expected "Bearer <api key>"',
        ),
      );
    }
    const owner = this.#ownerOfKey.get(key);
    if (owner === undefined) {
      return Promise.reject(new EngineError('UNAUTHORIZED', 'invalid API key'));
    }
    return Promise.resolve(owner);
  }

  /** The owner id of an accepted API key; anything else is taken as an owner id already. */
  ownerOf(ownerOrKey: string): string {
    return this.#ownerOfKey.get(ownerOrKey) ?? ownerOrKey;
  }

  /** The fingerprint shown for an owner id (an owner of a key this instance does not accept: its id). */
  fingerprintOf(owner: string): string {
    return this.#fingerprintOfOwner.get(owner) ?? owner;
  }

  /**
   * How a raw key is shown (the request journal): an accepted key's fingerprint as the admin
   * answers show it, any other key's `keyFingerprint`.
   */
  shownKey(key: string): string {
    const owner = this.#ownerOfKey.get(key);
    return owner === undefined ? keyFingerprint(key) : this.fingerprintOf(owner);
  }

  /** The fingerprints of the accepted keys, in their configured order. */
  fingerprints(): string[] {
    return [...this.#fingerprintOfOwner.values()];
  }

  /** The owner ids whose keys are shown as `fingerprint` (none when no accepted key is). */
  ownersShownAs(fingerprint: string): string[] {
    return [...this.#fingerprintOfOwner]
      .filter(([, shown]) => shown === fingerprint)
      .map(([owner]) => owner);
  }
}
