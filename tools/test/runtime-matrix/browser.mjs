// @ts-check
// The runtime matrix in a browser page (bundled): `globalThis.runMatrix(input)` for the test to call.
import { runMatrix } from './cases.mjs';

Object.assign(globalThis, {
  /** @param {import('./cases.mjs').MatrixInput} input */
  runMatrix: async (input) => ({ runtime: navigator.userAgent, ...(await runMatrix(input)) }),
});
