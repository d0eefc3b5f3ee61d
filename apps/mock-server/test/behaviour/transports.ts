import { setupServer } from 'msw/node';
import { startMockServer, type MockServerOptions } from '../../src/index.js';
import type { MockControls } from '@eggapi/mock-engine/host';
import { createFetchHandler } from '@eggapi/mock-engine';
import { createEggapiHandlers, type EggapiHandlersOptions } from '@eggapi/mock-engine/msw';
import { serveFetch } from '../support/serve-fetch.js';

/** A transport under test: where it answers, its key and test controls, and how it stops. */
export interface TransportUnderTest {
  /** Base URL of the API and image links (no trailing slash). */
  url: string;
  apiKey: string;
  controls: MockControls;
  close(): Promise<void>;
}

/** The options both transports take. */
export type SharedOptions = MockServerOptions & EggapiHandlersOptions;

/**
 * How each transport is started for the shared HTTP-level table: the express server on a free
 * port, the MSW handlers under `setupServer` (which intercepts the test's own `fetch`) at the
 * real service's base URL, and `createFetchHandler` hosted on a free port as a runtime's server
 * hosts it. All validate their answers against the contract.
 */
export const TRANSPORT_FACTORIES: [
  name: string,
  start: (options?: SharedOptions) => Promise<TransportUnderTest>,
][] = [
  [
    'HTTP server (startMockServer)',
    async (options = {}) => {
      const server = await startMockServer({ validateResponses: true, ...options });
      return {
        url: server.url,
        apiKey: server.apiKey,
        controls: server,
        close: async () => void (await server.close({ abandon: true })),
      };
    },
  ],
  [
    'MSW handlers (setupServer)',
    (options = {}) => {
      const mock = createEggapiHandlers({ validateResponses: true, ...options });
      const msw = setupServer(...mock.handlers);
      // Webhooks to a real receiver on loopback pass through.
      msw.listen({ onUnhandledRequest: 'bypass' });
      return Promise.resolve({
        url: mock.baseUrl,
        apiKey: mock.apiKey,
        controls: mock,
        close: async () => {
          msw.close();
          await mock.close();
        },
      });
    },
  ],
  [
    'fetch handler (createFetchHandler)',
    async (options = {}) => {
      // The handler answers at the address it is served on: it is made once that is known.
      const served = await serveFetch((request) => mock.fetch(request));
      const mock = createFetchHandler({ validateResponses: true, baseUrl: served.url, ...options });
      return {
        url: served.url,
        apiKey: mock.apiKey,
        controls: mock,
        close: async () => {
          await mock.close();
          await served.close();
        },
      };
    },
  ],
];
