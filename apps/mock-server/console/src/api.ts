/**
 * The console's only way to the server: the admin API under `/__admin`, with the admin token
 * (kept for this tab in sessionStorage) as `Authorization: Bearer`. Paths are relative to the
 * page (`/console/`), so the console also works behind a proxy that mounts the mock under a path.
 */
import type { Page } from '@eggapi/contracts';
import type { Delivery } from '@eggapi/mock-engine/host';
import type { QueuedFault } from '@eggapi/mock-engine/host';
import type { RuntimeConfig } from '@eggapi/mock-engine/host';
import type { AdminTask } from '@eggapi/mock-engine/host';

export type { AdminTask, Delivery, Page, QueuedFault };
export type ConfigView = RuntimeConfig & { balances: Record<string, number> };
export interface Health {
  status: 'ok' | 'unavailable';
  store: 'memory' | 'redis';
  tasks: number | null;
  webhooks_in_flight: number;
  webhooks_queued: number;
}

const TOKEN_KEY = 'eggapi-mock-console:admin-token';

/** The admin token of this tab, if one was given. */
export function storedToken(): string | undefined {
  return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
}

export function storeToken(token: string | undefined): void {
  if (token === undefined) sessionStorage.removeItem(TOKEN_KEY);
  else sessionStorage.setItem(TOKEN_KEY, token);
}

/** An error answer of the admin API (its envelope's code and message). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Where the admin API is, from the page's own URL (`…/console/` → `…/__admin`). */
export const ADMIN = new URL('../__admin', document.baseURI).pathname;

export function authHeaders(token = storedToken()): Record<string, string> {
  return token === undefined ? {} : { authorization: `Bearer ${token}` };
}

/** Calls the admin API; resolves with the answer's `data`, rejects with an `ApiError`. */
export async function api<T>(
  path: string,
  init: { method?: string; body?: unknown; token?: string } = {},
): Promise<T> {
  const method = init.method ?? 'GET';
  const headers: Record<string, string> = { ...authHeaders(init.token ?? storedToken()) };
  // The server refuses state-changing admin requests that do not say JSON, bodies or not.
  if (init.body !== undefined || method !== 'GET') headers['content-type'] = 'application/json';
  const response = await fetch(`${ADMIN}${path}`, {
    method,
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const envelope = (await response.json().catch(() => null)) as {
    data?: T;
    error?: { code: string; message: string } | null;
  } | null;
  if (!response.ok || !envelope || envelope.error) {
    const error = envelope?.error;
    throw new ApiError(
      response.status,
      error?.code ?? 'HTTP_ERROR',
      error?.message ?? `${response.status} ${response.statusText}`,
    );
  }
  return envelope.data as T;
}

/** The console's own settings, public: whether the admin API wants a token. */
export async function consoleSettings(): Promise<{ admin_token_required: boolean }> {
  const response = await fetch(new URL('settings.json', document.baseURI));
  return (await response.json()) as { admin_token_required: boolean };
}
