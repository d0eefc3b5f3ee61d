import { describe, it } from 'vitest';
import { startMockServer } from '../src/index.js';
import { rawRequest } from './support/raw-http.js';

const out = (s: string) => process.stdout.write(`OUT ${s}\n`);

describe('review d', () => {
  it('raw requests Node answers itself', async () => {
    const server = await startMockServer({});
    const auth = `Authorization: Bearer ${server.apiKey}\r\n`;
    const cases: [string, string][] = [
      ['no Host (HTTP/1.1)', `GET /v1/tasks HTTP/1.1\r\n${auth}Connection: close\r\n\r\n`],
      ['Expect: foo', `GET /v1/tasks HTTP/1.1\r\nHost: x\r\n${auth}Expect: foo\r\nConnection: close\r\n\r\n`],
      ['bad chunk', `POST /v1/generate HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`],
    ];
    for (const [name, raw] of cases) {
      try {
        const a = await rawRequest(server.port, raw);
        out(`${name}: ${a.status} ct=${a.headers['content-type']} body=${JSON.stringify(a.body.slice(0, 100))}`);
      } catch (e) {
        out(`${name}: ${(e as Error).message}`);
      }
    }
    await server.close({ abandon: true });
  });
});
