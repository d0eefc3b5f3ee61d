export function serviceAvailable(command: string, debianPackage: string, suite: string): boolean;
export function freePort(): Promise<number>;
export interface RedisServer {
  readonly port: number;
  readonly url: string;
  readonly dir: string;
  stop(): Promise<void>;
  kill(): Promise<void>;
  start(): Promise<void>;
  /** `DEBUG SLEEP`: the server answers nobody for `ms`; resolves when it answers again. */
  stall(ms: number): Promise<string>;
  /** One command on a fresh connection; resolves with the raw RESP reply. */
  command(words: string[]): Promise<string>;
  close(): Promise<void>;
}
export function startRedisServer(options?: { appendonly?: boolean }): Promise<RedisServer>;
export const CHROMIUM_PATH: string;
export const CHROMIUM_ARGS: readonly string[];
export function launchChromium(
  suite: string,
): Promise<import('playwright-core').Browser | undefined>;
