import { signWebhook } from '@eggapi/webhook/web';
import { createFetchSender } from './adapters/fetch-sender.js';
import { createMemoryStore } from './adapters/memory-store.js';
import { TimerHeapScheduler } from './adapters/timer-heap.js';
import type { Signer } from './engine/deliveries.js';
import { MockEngine } from './engine/engine.js';
import type { PngRenderer } from './images/picture.js';
import { storeInitOf } from './engine/store-init.js';
import type { EngineDeps } from './engine/types.js';
import type { ResolvedEngineOptions } from './options.js';

/** Signs deliveries with @eggapi/webhook's Web Crypto signer, exactly as upstream. */
export const signWithWebCrypto: Signer = async (body, secret, timestamp) => ({
  ...(await signWebhook(body, secret, timestamp)),
});

/** The portable renderer (fast-png), loaded on first use: a host that injects its own never loads it. */
export const renderPortablePng: PngRenderer = (key, index, width, height) =>
  import('./adapters/portable-png.js').then((portable) =>
    portable.renderPortablePng(key, index, width, height),
  );

/**
 * An engine over resolved options, with the portable defaults for every port not given: the
 * memory store, the timer scheduler, the fast-png renderer, the Web Crypto signer and the
 * `fetch` sender.
 */
export function createEngine(
  options: ResolvedEngineOptions,
  deps: Partial<EngineDeps> = {},
): MockEngine {
  const onError = deps.onError ?? ((error: unknown) => console.error('eggapi-mock:', error));
  return new MockEngine(options, {
    ...deps,
    onError,
    sign: deps.sign ?? signWithWebCrypto,
    sender: deps.sender ?? createFetchSender(),
    store: deps.store ?? createMemoryStore((salt) => storeInitOf(options, salt)),
    scheduler:
      deps.scheduler ??
      new TimerHeapScheduler(options.now, onError, () => options.mockClock.passes),
    renderPng: deps.renderPng ?? renderPortablePng,
  });
}
