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
    // A check passes on the delivery it waits for; an attempt of another may still be on the wire.
    const states = async () => (await server.deliveries()).map((d) => d.state);
    await expect
      .poll(async () => (await states()).includes('pending'), { timeout: 15_000 })
      .toBe(false);
    const settled = await states();
    expect(settled.length).toBeGreaterThan(0);
    expect(settled.filter((state) => state !== 'succeeded')).toEqual([]);
  });
});
