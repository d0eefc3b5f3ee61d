import { setupServer } from 'msw/node';
import { startMockServer, type MockServerOptions } from '../../src/index.js';
import type { MockControls } from '@eggapi/mock-engine/host';
import { createEggapiHandlers, type EggapiHandlersOptions } from '@eggapi/mock-engine/msw';

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
 * port, and the MSW handlers under `setupServer` (which intercepts the test's own `fetch`) at
 * the real service's base URL. Both validate their answers against the contract.
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
];
