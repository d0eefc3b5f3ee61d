import type { RedisServer } from './services.mjs';

export interface RedisFixture {
  /** Whether `redis-server` is installed (false: skip the suite; under `CI=true` it threw). */
  readonly available: boolean;
  /** The file's private server (inside hooks and tests only). */
  readonly server: RedisServer;
  /** Its `redis://127.0.0.1:<port>` URL (inside hooks and tests only). */
  readonly url: string;
  /** A key prefix no other test (or run) on the same server uses: `<name>-<pid>-<n>`. */
  prefix: (name?: string) => string;
}

export function useRedisServer(suite: string, options?: { appendonly?: boolean }): RedisFixture;
