import { UPSTREAM_BASE_URL } from '@eggapi/contracts';

/**
 * Runs `run` with a global `fetch` that sends requests for the real service
 * (`https://api.eggapi.ai/…`) to `local` instead, and restores the original afterwards. Code
 * that hard-codes the service's address, such as the seed's `waitForTask`, then reaches a mock
 * unchanged. Other requests pass through.
 * @returns what `run` resolved to, and each rewritten URL in order
 */
export async function withUpstreamAt<T>(
  local: string,
  run: () => Promise<T>,
): Promise<{ result: T; requested: string[] }> {
  const original = globalThis.fetch;
  const requested: string[] = [];
  globalThis.fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (!url.startsWith(`${UPSTREAM_BASE_URL}/`)) return original(input, init);
    const rewritten = local.replace(/\/+$/, '') + url.slice(UPSTREAM_BASE_URL.length);
    requested.push(rewritten);
    return original(input instanceof Request ? new Request(rewritten, input) : rewritten, init);
  };
  try {
    return { result: await run(), requested };
  } finally {
    globalThis.fetch = original;
  }
}
