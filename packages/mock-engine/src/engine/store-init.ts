import { timingOf, type ResolvedEngineOptions } from '../options.js';
import { ownerIdOf } from './fingerprint.js';
import type { StoreInit } from './ports/store.js';

/**
 * What a new (or reset) store holds: the configured balances (by owner id, with the store's
 * `salt`) and runtime settings.
 */
export function storeInitOf(options: ResolvedEngineOptions, salt: string): StoreInit {
  return {
    capacity: options.maxTasks,
    journalSize: options.journalSize,
    balances: Object.fromEntries(
      Object.entries(options.balances).map(([key, micros]) => [ownerIdOf(salt, key), micros]),
    ),
    config: {
      timing: timingOf(options.timing),
      rateLimit: options.rateLimit,
      webhooks: { ...options.webhooks },
    },
  };
}
