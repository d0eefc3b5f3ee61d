import { DEFAULT_API_KEY } from '@eggapi/mock-engine';

/**
 * What the README's examples configure (`createFetchHandler({ webhookSecret: 'whsec_test' })`):
 * the default key, a webhook secret, and the default `instant` timing (a task has ended by the
 * next request after its creation), so polling never sleeps.
 */
export const MOCK_OPTIONS = { apiKey: DEFAULT_API_KEY, webhookSecret: 'whsec_test' } as const;

/** What a served entry prints once it listens; the harness waits for it. */
export const LISTENING = 'eggapi-mock listening on';

/** Tells the harness where the entry listens (one line on stdout). */
export function announce(url: string): void {
  console.log(`${LISTENING} ${url}`);
}
