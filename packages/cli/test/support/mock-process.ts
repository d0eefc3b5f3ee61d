// The mock server's bin, run as a separate process. The CLI may not import the mock server (the
// dependency graph allows it contracts, client and webhook only), so its tests talk to the mock
// as any user would: over HTTP, the `/v1` API and the `/__admin` routes. Nx builds the mock before
// this package's tests (`dependsOn` in package.json), a task dependency that adds no graph edge.
import { MOCK_BIN, spawnMockProcess } from '../../../../test-support/mock-process.mjs';

export { MOCK_BIN };

/** A running `eggapi-mock` process. */
export interface MockProcess {
  /** Base URL, no trailing slash. */
  url: string;
  /** The API key it accepts. */
  apiKey: string;
  /** Calls an admin route (`/__admin/...`) and resolves with its `data`. */
  admin(method: string, path: string, body?: unknown): Promise<any>;
  /** SIGTERM, then SIGKILL after 5 s. */
  close(): Promise<void>;
}

export interface MockOptions {
  webhookSecret?: string;
  timing?: 'fast' | 'instant' | 'realistic';
  /** Required as a Bearer token on `/__admin` (the `admin` helper sends it). */
  adminToken?: string;
}

export const API_KEY = 'sk_test_cli';

/** Starts `eggapi-mock --port 0` (the workspace's process harness) once it prints where it listens. */
export async function startMock(options: MockOptions = {}): Promise<MockProcess> {
  const args = ['--port', '0', '--api-key', API_KEY, '--log-level', 'silent'];
  args.push('--timing', options.timing ?? 'instant', '--shutdown-grace', '0');
  if (options.webhookSecret) args.push('--webhook-secret', options.webhookSecret);
  if (options.adminToken) args.push('--admin-token', options.adminToken);
  const mock = spawnMockProcess({ args, env: { NO_COLOR: '1' } });
  const url = await mock.url;
  return {
    url,
    apiKey: API_KEY,
    async admin(method, path, body) {
      const response = await fetch(`${url}/__admin${path}`, {
        method,
        headers: {
          ...(options.adminToken && { authorization: `Bearer ${options.adminToken}` }),
          // Admin POSTs need it even without a body (no other site's page can send it).
          ...(method !== 'GET' && { 'content-type': 'application/json' }),
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      const json = (await response.json()) as { data: unknown; error?: unknown };
      if (!response.ok)
        throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
      return json.data;
    },
    close: async () => void (await mock.stop(5_000)),
  };
}
