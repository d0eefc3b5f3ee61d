import type { WEBHOOK_SIGNATURE_HEADER, WEBHOOK_TIMESTAMP_HEADER } from '@eggapi/contracts';

/**
 * Anything a framework hands over as request headers: a Fetch `Headers`, Node's
 * `IncomingHttpHeaders` (values may be arrays) or a plain object with keys in any case.
 */
export type WebhookHeaders =
  | { get(name: string): string | null }
  | Readonly<Record<string, string | readonly string[] | number | undefined>>;

/**
 * The value of header `name` (case-insensitive), several values joined with `, ` as HTTP does;
 * `undefined` when absent. Never throws, whatever `headers` is.
 */
export function readHeader(headers: unknown, name: string): string | undefined {
  if (headers === null || typeof headers !== 'object') return undefined;
  const lower = name.toLowerCase();
  const getter = (headers as { get?: unknown }).get;
  if (typeof getter === 'function') {
    const value: unknown = getter.call(headers, lower);
    return typeof value === 'string' ? value : undefined;
  }
  const record = headers as Record<string, unknown>;
  // Node lower-cases incoming names, so the direct hit is the common case.
  let value = record[lower];
  if (value === undefined) {
    for (const key of Object.keys(record)) {
      if (key.toLowerCase() === lower) {
        value = record[key];
        break;
      }
    }
  }
  return headerText(value);
}

function headerText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) {
    const parts = value.filter((part): part is string => typeof part === 'string');
    return parts.length > 0 ? parts.join(', ') : undefined;
  }
  return undefined;
}

/**
 * The headers EggAPI sends with a signed delivery, as `signWebhook` returns them. A type literal,
 * not an interface, so it can be passed straight to `fetch` as `HeadersInit`.
 */
export type WebhookSignatureHeaders = {
  [WEBHOOK_TIMESTAMP_HEADER]: string;
  [WEBHOOK_SIGNATURE_HEADER]: string;
};
