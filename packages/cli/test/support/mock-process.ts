import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The mock server's bin, run as a separate process. The CLI may not import the mock server (the
 * dependency graph allows it contracts, client and webhook only), so its tests talk to the mock
 * as any user would: over HTTP, the `/v1` API and the `/__admin` routes. Nx builds the mock before
 * this package's tests (`dependsOn` in package.json), a task dependency that adds no graph edge.
 */
export const MOCK_BIN = fileURLToPath(
  new URL('../../../../apps/mock-server/bin/eggapi-mock.cjs', import.meta.url),
);
const MOCK_BUNDLE = fileURLToPath(
  new URL('../../../../apps/mock-server/dist/cli.cjs', import.meta.url),
);

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

/** Starts `eggapi-mock --port 0` and resolves once it prints where it listens. */
export async function startMock(options: MockOptions = {}): Promise<MockProcess> {
  if (!existsSync(MOCK_BUNDLE)) {
    throw new Error(
      `${MOCK_BUNDLE} is missing: build the mock server first (npx nx run @eggapi/cli:test builds it)`,
    );
  }
  const args = [MOCK_BIN, '--port', '0', '--api-key', API_KEY, '--log-level', 'silent'];
  args.push('--timing', options.timing ?? 'instant', '--shutdown-grace', '0');
  if (options.webhookSecret) args.push('--webhook-secret', options.webhookSecret);
  if (options.adminToken) args.push('--admin-token', options.adminToken);
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  const url = await listeningUrl(child);
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
    close: () => stop(child),
  };
}

function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the mock did not start within 15 s:\n${output}`));
    }, 15_000);
    const read = (chunk: Buffer) => {
      output += String(chunk);
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout!.off('data', read);
        child.stdout!.resume();
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', (chunk: Buffer) => (output += String(chunk)));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the mock exited with ${code} before listening:\n${output}`));
    });
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
