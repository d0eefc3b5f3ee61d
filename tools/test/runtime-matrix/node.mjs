// @ts-check
// The runtime matrix in Node (any version): the input as the first argument, one `MATRIX <json>` line out.
import { runMatrix } from './cases.mjs';

const result = await runMatrix(JSON.parse(process.argv[2] ?? '{}'));
process.stdout.write(
  `MATRIX ${JSON.stringify({ runtime: `node ${process.version}`, ...result })}\n`,
);
