import type { createMockHandler } from './mock-handler.js';

/**
 * How every runtime's mock is configured: a key and a webhook secret of its own, and `instant`
 * timing (a task has ended by the next request after its creation), so polling never sleeps.
 */
export const MOCK_OPTIONS = {
  apiKey: 'sk_test_runtimes',
  webhookSecret: 'whsec_runtimes',
  timing: 'instant',
} as const satisfies Parameters<typeof createMockHandler>[0];

/** What a served entry prints once it listens; the harness waits for it. */
export const LISTENING = 'eggapi-mock listening on';

/** Tells the harness where the entry listens (one line on stdout). */
export function announce(url: string): void {
  console.log(`${LISTENING} ${url}`);
}
