import { createEggapiHandlers } from '@eggapi/mock-server/msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_CHECKS, formatReport, runConformance, type ConformanceReport } from '../src/index.js';

// The conformance kit drives its target only through fetch (the client and raw requests), so it
// runs against the MSW handlers as against the HTTP server (mock-server.conformance.test.ts):
// the same checks must pass. Its webhook receiver is a real local server; MSW lets those
// deliveries through.
const SECRET = 'whsec_conformance_msw';
const BASE_URL = 'https://eggapi.msw.test';
const mock = createEggapiHandlers({
  baseUrl: BASE_URL,
  timing: 'fast',
  webhookSecret: SECRET,
  validateResponses: true,
});
const server = setupServer(...mock.handlers);
let report: ConformanceReport;

beforeAll(async () => {
  server.listen({ onUnhandledRequest: 'bypass' });
  report = await runConformance({ baseUrl: BASE_URL, apiKey: mock.apiKey, webhookSecret: SECRET });
}, 120_000);

afterAll(async () => {
  server.close();
  await mock.close();
});

describe('the MSW handlers', () => {
  it('pass every conformance check, webhooks included', () => {
    const failures = report.results.filter((r) => r.status !== 'passed');
    expect(failures, formatReport(report)).toEqual([]);
    expect(report.results.map((r) => r.id)).toEqual(ALL_CHECKS.map((c) => c.id));
  });

  it('delivered every webhook the checks asked for', async () => {
    const deliveries = await mock.deliveries();
    expect(deliveries.length).toBeGreaterThan(0);
    expect(deliveries.every((d) => d.state === 'succeeded')).toBe(true);
  });
});
