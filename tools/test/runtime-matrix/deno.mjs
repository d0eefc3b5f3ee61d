/* global Deno */
// The runtime matrix in Deno (`deno run -A deno.mjs <input>`): packages from the project's
// node_modules, the input as the first argument, one `MATRIX <json>` line out.
import { runMatrix } from './cases.mjs';

const result = await runMatrix(JSON.parse(Deno.args[0] ?? '{}'));
console.log(`MATRIX ${JSON.stringify({ runtime: `deno ${Deno.version.deno}`, ...result })}`);
