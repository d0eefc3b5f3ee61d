import { EggAPI } from '@eggapi/client';
import { UsageError } from './errors.js';

/** The global options every API command reads (flags win over the environment). */
export interface GlobalOptions {
  apiKey?: string;
  baseUrl?: string;
}

/**
 * The client for an API command. The key comes from `--api-key` or `EGGAPI_API_KEY`, the base URL
 * from `--base-url` or `EGGAPI_BASE_URL` (the real service by default); commander has already
 * read the environment into the options.
 *
 * @throws UsageError without a key, or with a base URL that is not an absolute http(s) URL.
 */
export function apiClient(options: GlobalOptions): EggAPI {
  if (!options.apiKey) {
    throw new UsageError('no API key: set EGGAPI_API_KEY or pass --api-key <key>');
  }
  const baseURL = options.baseUrl;
  if (baseURL !== undefined && !isHttpUrl(baseURL)) {
    throw new UsageError(
      `--base-url must be an absolute http(s) URL, got ${JSON.stringify(baseURL)}`,
    );
  }
  return new EggAPI({ apiKey: options.apiKey, ...(baseURL ? { baseURL } : {}) });
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
