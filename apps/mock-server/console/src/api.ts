/**
 * The console's only way to the server: the admin API under `/__admin`, with the admin token
 * (kept for this tab in sessionStorage) as `Authorization: Bearer`. Paths are relative to the
 * page (`/console/`), so the console also works behind a proxy that mounts the mock under a path.
 *
 * Requests and answers are typed by the mock's admin contract (`adminContract` of
 * `@eggapi/mock-engine`), imported as types only: its runtime would bring zod and ts-rest into
 * the bundle, so each route's method and path are written below and checked against it.
 */
import type { AdminContract } from '@eggapi/mock-engine';
import type { ClientInferRequest, ClientInferResponses } from '@ts-rest/core';

/** A route of the admin API, by its name in the contract (`health`, `configure`, …). */
export type AdminRoute = keyof AdminContract;

type Request<R extends AdminRoute> = ClientInferRequest<AdminContract[R]>;

type Parts<R extends AdminRoute> = Pick<
  Request<R>,
  Extract<keyof Request<R>, 'params' | 'query' | 'body'>
>;

/**
 * What a route takes: those of its path `params`, `query` and `body` that it has; a part that
 * may be `undefined` (a body a route does not need) may be left out.
 */
export type AdminInput<R extends AdminRoute> = Flat<
  {
    [P in keyof Parts<R> as undefined extends Parts<R>[P] ? never : P]: Parts<R>[P];
  } & {
    [P in keyof Parts<R> as undefined extends Parts<R>[P] ? P : never]?: Parts<R>[P];
  }
>;

type Flat<T> = { [K in keyof T]: T[K] };

/** What a route answers, unwrapped: the `data` of its envelope (health's 503 has one too). */
export type AdminData<R extends AdminRoute> = Extract<
  ClientInferResponses<AdminContract[R]>,
  { body: { data: unknown } }
>['body']['data'];

export type AdminTask = AdminData<'task'>;
export type Delivery = AdminData<'delivery'>;
export type JournalEntry = AdminData<'requests'>['items'][number];
export type ContractViolation = AdminData<'violations'>[number];

type MethodAndPath<T> = T extends { method: infer M; path: infer P } ? readonly [M, P] : never;

/** Each route's method and path; the compiler holds them to the contract's. */
const ROUTES = {
  health: ['GET', '/__admin/health'],
  config: ['GET', '/__admin/config'],
  configure: ['PATCH', '/__admin/config'],
  reset: ['POST', '/__admin/reset'],
  faults: ['GET', '/__admin/faults'],
  injectFault: ['POST', '/__admin/faults'],
  clearFaults: ['DELETE', '/__admin/faults'],
  deliveries: ['GET', '/__admin/webhooks'],
  delivery: ['GET', '/__admin/webhooks/:id'],
  redeliver: ['POST', '/__admin/webhooks/:id/redeliver'],
  tasks: ['GET', '/__admin/tasks'],
  keys: ['GET', '/__admin/keys'],
  events: ['GET', '/__admin/events'],
  task: ['GET', '/__admin/tasks/:id'],
  completeTask: ['POST', '/__admin/tasks/:id/complete'],
  failTask: ['POST', '/__admin/tasks/:id/fail'],
  webhookEvent: ['GET', '/__admin/tasks/:id/webhook-event'],
  clock: ['GET', '/__admin/clock'],
  advanceClock: ['POST', '/__admin/clock/advance'],
  requests: ['GET', '/__admin/requests'],
  clearRequests: ['DELETE', '/__admin/requests'],
  verifyRequests: ['POST', '/__admin/requests/verify'],
  violations: ['GET', '/__admin/violations'],
} as const satisfies { [R in AdminRoute]: MethodAndPath<AdminContract[R]> };

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

export function authHeaders(token = storedToken()): Record<string, string> {
  return token === undefined ? {} : { authorization: `Bearer ${token}` };
}

/**
 * Where a route is, from the page's own URL (`…/console/` → `…/__admin/…`): its path
 * parameters filled in, its query (empty values left out) appended.
 */
export function adminUrl(
  route: AdminRoute,
  { params = {}, query = {} }: { params?: Record<string, string>; query?: object } = {},
): string {
  const path = ROUTES[route][1].replace(/:(\w+)/g, (_, name: string) =>
    encodeURIComponent(params[name] ?? ''),
  );
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') search.set(name, String(value));
  }
  const url = new URL(`..${path}`, document.baseURI);
  url.search = search.toString();
  return `${url.pathname}${url.search}`;
}

type Call<R extends AdminRoute> = AdminInput<R> & { token?: string };

/**
 * Calls a route of the admin API; resolves with its answer's `data`, rejects with an `ApiError`
 * (or the network's error).
 */
export async function api<R extends AdminRoute>(
  route: R,
  ...[call]: Partial<AdminInput<R>> extends AdminInput<R> ? [call?: Call<R>] : [call: Call<R>]
): Promise<AdminData<R>> {
  const { params, query, body, token } = (call ?? {}) as {
    params?: Record<string, string>;
    query?: object;
    body?: unknown;
    token?: string;
  };
  const method = ROUTES[route][0];
  const headers: Record<string, string> = { ...authHeaders(token ?? storedToken()) };
  // The server refuses state-changing admin requests that do not say JSON, bodies or not.
  if (body !== undefined || method !== 'GET') headers['content-type'] = 'application/json';
  const response = await fetch(adminUrl(route, { params, query }), {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const envelope = (await response.json().catch(() => null)) as {
    data?: AdminData<R>;
    error?: { code: string; message: string } | null;
  } | null;
  // An answer with data is what the contract says it is, whatever its status (health's 503).
  if (!envelope || envelope.error || !('data' in envelope)) {
    const error = envelope?.error;
    throw new ApiError(
      response.status,
      error?.code ?? 'HTTP_ERROR',
      error?.message ?? `${response.status} ${response.statusText}`,
    );
  }
  return envelope.data as AdminData<R>;
}

/** The console's own settings, public: whether the admin API wants a token. */
export async function consoleSettings(): Promise<{ admin_token_required: boolean }> {
  const response = await fetch(new URL('settings.json', document.baseURI));
  return (await response.json()) as { admin_token_required: boolean };
}
