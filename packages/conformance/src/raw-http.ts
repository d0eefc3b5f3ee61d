/** An answer read as text and, where it parses, JSON. */
export interface RawAnswer {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

export interface RawRequest {
  headers?: Record<string, string>;
  /** Sent as JSON when not a string. */
  body?: unknown;
  /** API key to send as Bearer; `null` sends no Authorization header. Default: the run's key. */
  auth?: string | null;
}

/** Raw HTTP against the server under test, for what the typed client refuses to send. */
export class RawHttp {
  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  async request(method: string, path: string, init: RawRequest = {}): Promise<RawAnswer> {
    const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
    const auth = init.auth === undefined ? this.apiKey : init.auth;
    if (auth !== null) headers.authorization = `Bearer ${auth}`;
    let body: string | undefined;
    if (init.body !== undefined) {
      body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
      headers['content-type'] ??= 'application/json';
    }
    // Appended, not resolved: a base URL with a path prefix (behind a proxy) keeps it.
    const response = await this.fetchImpl(`${this.baseUrl}${path}`, {
      method,
      headers,
      body,
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, text, json };
  }
}
