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

/**
 * Sends the replayed webhooks a move of the virtual clock made due. The engine announces no
 * clock moves and the admin route and the test controls both call `advanceClock`, so the replay
 * follows that one method.
 */
export function followClock(engine: MockEngine, replayer: Replayer): void {
  const advance = engine.advanceClock.bind(engine);
  engine.advanceClock = async (ms) => {
    const view = await advance(ms);
    replayer.runDue();
    return view;
  };
}
