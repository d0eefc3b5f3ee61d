/* global Bun */
// The runtime matrix in Bun (`bun bun.mjs <input>`): the input as the first argument, one
// `MATRIX <json>` line out.
import { runMatrix } from './cases.mjs';

const result = await runMatrix(JSON.parse(Bun.argv[2] ?? '{}'));
console.log(`MATRIX ${JSON.stringify({ runtime: `bun ${Bun.version}`, ...result })}`);
