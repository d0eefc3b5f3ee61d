import { taskFixture } from '@eggapi/contracts/testing';
import { EggAPI } from '../../src/client.js';
import type { ClientOptions } from '../../src/options.js';
import type { ScriptServer } from './script-server.js';

/** A client for `server` with a test key; retries on unless `options` say otherwise. */
export function clientFor(server: ScriptServer, options: ClientOptions = {}): EggAPI {
  return new EggAPI({ apiKey: 'sk_test', baseURL: server.url, ...options });
}

/** A `202` answer to `POST /v1/generate` with a pending task. */
export function created(id = 'gen_1') {
  return { status: 202, json: { data: taskFixture({ id, status: 'pending' }), error: null } };
}
