import { UPSTREAM_BASE_URL } from '@eggapi/contracts';
import { http, type HttpHandler } from 'msw';
import {
  buildFetchHandler,
  type FetchHandler,
  type FetchHandlerOptions,
} from '../create-fetch-handler.js';

/** The engine options that make sense for handlers inside a test process or a page. */
const SHARED_OPTIONS = [
  'apiKey',
  'apiKeys',
  'webhookSecret',
  'timing',
  'seed',
  'maxTasks',
  'balances',
  'rateLimit',
  'corsOrigins',
  'webhooks',
  'maxBodyBytes',
  'validateResponses',
  'journalSize',
  'now',
  'clock',
] as const;

/** Options of `createEggapiHandlers`; every one is optional. */
export type EggapiHandlersOptions = Pick<
  FetchHandlerOptions,
  (typeof SHARED_OPTIONS)[number] | 'baseUrl' | 'onError'
>;

/** The mock as MSW handlers, with its engine and test controls. */
export interface EggapiHandlers extends Omit<FetchHandler, 'fetch'> {
  /** Pass them to `setupServer(...)` (msw/node) or `setupWorker(...)` (msw/browser). */
  handlers: HttpHandler[];
  /** The transport under the handlers, as a Fetch API handler (`Request` → `Response`). */
  handle: (request: Request) => Promise<Response>;
}

/**
 * The stateful EggAPI mock inside MSW handlers: one catch-all over `createFetchHandler`, so the
 * same engine and answers as the HTTP server, with no port, in a test process (`setupServer`)
 * or a browser page (`setupWorker`). Nothing it imports is Node-only.
 *
 * @throws TypeError naming a bad or unknown option
 */
export function createEggapiHandlers(options: EggapiHandlersOptions = {}): EggapiHandlers {
  const { baseUrl, onError, ...shared } = options;
  const unknown = Object.keys(shared).filter(
    (name) => !(SHARED_OPTIONS as readonly string[]).includes(name),
  );
  if (unknown.length > 0) {
    throw new TypeError(
      `invalid MSW handler options: ${unknown.join(', ')}: not an option of createEggapiHandlers (it takes ${[...SHARED_OPTIONS, 'baseUrl', 'onError'].join(', ')})`,
    );
  }
  const mock = buildFetchHandler(
    { ...shared, baseUrl: baseUrl ?? UPSTREAM_BASE_URL, onError: onError ?? defaultOnError },
    'MSW handler',
  );
  // Extended in place: its engine stays built at first use (a getter a spread would call).
  return Object.assign(mock, {
    handlers: [http.all(`${mock.baseUrl}/*`, ({ request }) => mock.fetch(request))],
    handle: mock.fetch,
  });
}

function defaultOnError(error: unknown): void {
  console.error('eggapi-mock (msw):', error);
}
