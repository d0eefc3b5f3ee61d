import { describe, expect, it } from 'vitest';
import { call, mockServer } from './support/harness.js';

describe('logs', () => {
  it('are silent by default and structured JSON lines, one per request, when enabled', async () => {
    const lines: string[] = [];
    const server = await mockServer({
      logLevel: 'info',
      logDestination: { write: (line) => lines.push(line) },
    });
    const answer = await call(server, 'GET', '/v1/tasks/gen_missing');
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries).toContainEqual(
      expect.objectContaining({
        level: 30,
        msg: 'request',
        req_id: answer.headers.get('x-request-id'),
        method: 'GET',
        url: '/v1/tasks/gen_missing',
        status: 404,
        ms: expect.any(Number),
      }),
    );
    const quietLines: string[] = [];
    const quiet = await mockServer({ logDestination: { write: (line) => quietLines.push(line) } });
    await call(quiet, 'GET', '/v1/tasks/gen_missing');
    expect(quietLines).toEqual([]);
  });
});
