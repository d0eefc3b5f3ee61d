import type { MockEngine } from '@eggapi/mock-engine/host';
import type { ResolvedOptions } from '../config.js';
import { Replayer } from './replayer.js';

/** The replay of `options.replay` with the server's keys, timing, clock and secret. */
export function createReplayer(options: ResolvedOptions): Replayer {
  return new Replayer({
    dir: options.replay!,
    apiKeys: options.apiKeys,
    replayKey: options.replayKey,
    fallback: options.replayFallback,
    timing: options.timing,
    now: options.now,
    realClock: options.clock !== 'virtual',
    webhookSecret: options.webhookSecret,
    publicBaseUrl: options.publicBaseUrl,
    maxTasks: options.maxTasks,
  });
}

/** Sends the replayed webhooks a move of the clock made due (`clock.moved`); returns the unsubscribe. */
export function followClock(engine: MockEngine, replayer: Replayer): () => void {
  return engine.on((event) => {
    if (event.type === 'clock.moved') replayer.runDue();
  });
}
