#!/usr/bin/env node
import { main } from './main.js';
import type { Io } from './output/terminal.js';

const io: Io = {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
};
const code = await main(process.argv.slice(2), io);
// Exit once what was written has left (stdout may be a pipe), without waiting for idle
// keep-alive sockets of the HTTP client.
process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
