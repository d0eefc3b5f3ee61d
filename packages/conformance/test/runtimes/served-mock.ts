import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ALL_CHECKS,
  formatReport,
  runConformance,
  type ConformanceReport,
} from '../../src/index.js';
import { MOCK_OPTIONS } from './mock-options.js';
import type { ServedMock } from './runtimes.js';
import { waitForTask } from './seed-wait-for-task.mjs';
import { withUpstreamAt } from './upstream-at.js';

const { apiKey, webhookSecret } = MOCK_OPTIONS;

/** A runtime's known conformance failures: check id → why it fails there. */
export type KnownFailures = Record<string, string>;

/**
 * The behaviour every runtime must show, over real HTTP: the conformance kit passes (webhooks
 * included: the runtime delivers to the kit's receiver in this process), and the seed's
 * `waitForTask`, unchanged, gets a completed task. `start` serves the mock once for the file
 * (or resolves `undefined` when the runtime is missing: the tests then skip). A check listed in
 * `knownFailures` must fail, and the test says so once it passes, so the list cannot go stale.
 */
export function describeServedMock(
  runtime: string,
  start: () => Promise<ServedMock | undefined>,
  knownFailures: KnownFailures = {},
) {
  const known = Object.keys(knownFailures);
  const conforms =
    known.length === 0
      ? 'passes every conformance check, webhooks included'
      : `passes every conformance check but the known failures: ${known.join(', ')}`;
  describe(`the mock's fetch handler in ${runtime}`, () => {
    let served: ServedMock | undefined;
    let report: ConformanceReport;

    beforeAll(async () => {
      served = await start();
      // Instant timing: a task ends at once and its webhook follows, so 5 s is plenty.
      if (served) {
        report = await runConformance({
          baseUrl: served.url,
          apiKey,
          webhookSecret,
          taskTimeoutMs: 5_000,
        });
      }
    }, 120_000);

    afterAll(() => served?.stop());

    it(conforms, (ctx) => {
      if (!served) return ctx.skip();
      const failed = report.results.filter((r) => r.status !== 'passed').map((r) => r.id);
      const why = `${formatReport(report)}\n${served.log()}`;
      expect(
        failed.filter((id) => !known.includes(id)),
        why,
      ).toEqual([]);
      expect(
        known.filter((id) => !failed.includes(id)),
        `these pass in ${runtime} now: take them out of its known failures`,
      ).toEqual([]);
      expect(report.results.map((r) => r.id)).toEqual(ALL_CHECKS.map((c) => c.id));
    });

    it("gets a completed task to the seed's waitForTask helper, unchanged", async (ctx) => {
      if (!served) return ctx.skip();
      const created = await fetch(`${served.url}/v1/generate`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ model: 'nanobanana', prompt: `an egg served by ${runtime}` }),
      });
      expect(created.status, served.log()).toBe(202);
      const { data } = await created.json();

      const { result, requested } = await withUpstreamAt(served.url, () =>
        waitForTask(data.id, apiKey),
      );

      expect(result).toMatchObject({ id: data.id, status: 'completed' });
      expect(result.output.urls).toHaveLength(1);
      // Instant timing: the first poll finds it completed, so the helper never sleeps its 3 s.
      expect(requested).toEqual([`${served.url}/v1/tasks/${data.id}`]);
    });
  });
}
