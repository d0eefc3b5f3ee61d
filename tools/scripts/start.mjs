// @ts-check
/**
 * `npm start`: builds the mock server and what it depends on (Nx, cached), then runs its CLI
 * in this process with the arguments given after `npm start --`.
 */
import { buildFirst } from './build-first.mjs';

await buildFirst(['@eggapi/mock-server']);
// The bin runs the CLI by itself only as the main module; imported, it hands over runCli().
/** @type {{ default: { runCli?: () => void } }} */
const bin = await import(
  new URL('../../apps/mock-server/bin/eggapi-mock.cjs', import.meta.url).href
);
bin.default.runCli?.();
