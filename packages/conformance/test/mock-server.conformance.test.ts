import { startMockServer, type MockServer } from '@eggapi/mock-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_CHECKS, formatReport, runConformance, type ConformanceReport } from '../src/index.js';

const SECRET = 'whsec_conformance';
let server: MockServer;
let report: ConformanceReport;

beforeAll(async () => {
  server = await startMockServer({
    timing: 'fast',
    webhookSecret: SECRET,
    validateResponses: true,
  });
  report = await runConformance({
    baseUrl: server.url,
    apiKey: server.apiKey,
    webhookSecret: SECRET,
  });
}, 120_000);

afterAll(() => server.close());

describe('the mock server', () => {
  it('passes every conformance check, webhooks included', () => {
    const failures = report.results.filter((r) => r.status !== 'passed');
    expect(failures, formatReport(report)).toEqual([]);
    expect(report.results.map((r) => r.id)).toEqual(ALL_CHECKS.map((c) => c.id));
    expect(report.passed).toBe(ALL_CHECKS.length);
  });

  it('received every webhook the checks asked for, all verified', async () => {
    const deliveries = await server.deliveries();
    expect(deliveries.length).toBeGreaterThan(0);
    expect(deliveries.every((d) => d.state === 'succeeded')).toBe(true);
  });
});
