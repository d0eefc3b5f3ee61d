// Error codes (Node/undici, Bun) and names (Deno) of failures that happen before the request
// left this machine: nothing reached the server, so even a creating POST may be sent again.
const NEVER_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'UND_ERR_CONNECT_TIMEOUT',
  'ConnectionRefused',
]);
const NEVER_SENT_NAMES = new Set(['ConnectionRefused', 'ConnectTimeoutError']);

/**
 * Whether a fetch rejection proves the request was never sent (refused connection, unknown
 * host). Walks the `cause` chain, where undici puts the system error. Browsers do not say why
 * a fetch failed: there this is always `false`, the safe answer.
 */
export function failedBeforeSend(error: unknown): boolean {
  for (let e = error, depth = 0; e !== null && typeof e === 'object' && depth < 5; depth++) {
    const { code, name, cause } = e as { code?: unknown; name?: unknown; cause?: unknown };
    if (typeof code === 'string' && NEVER_SENT_CODES.has(code)) return true;
    if (typeof name === 'string' && NEVER_SENT_NAMES.has(name)) return true;
    // undici wraps several connection attempts (IPv4 and IPv6) in an AggregateError.
    if (e instanceof AggregateError && e.errors.length > 0 && e.errors.every(failedBeforeSend)) {
      return true;
    }
    e = cause;
  }
  return false;
}
