import { EggAPI, type Task } from '@eggapi/client';
import { isTerminalStatus } from '@eggapi/contracts';
import {
  assertTargetAllowed,
  CheckFailure,
  type Check,
  type CheckContext,
  type ConformanceOptions,
} from './check.js';
import { ALL_CHECKS } from './checks/index.js';
import { RawHttp } from './raw-http.js';
import { startReceiver, type WebhookReceiver } from './receiver.js';
import type { CheckResult, ConformanceReport } from './report.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new CheckFailure(`${what} did not finish within ${ms} ms`)),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function describeError(error: unknown): string {
  if (error instanceof CheckFailure) return error.message;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** The checks a run with `options` executes (after `only`), in order. */
export function selectChecks(
  options: Pick<ConformanceOptions, 'only'>,
  checks: readonly Check[] = ALL_CHECKS,
) {
  const only = options.only?.filter(Boolean) ?? [];
  return only.length === 0
    ? [...checks]
    : checks.filter((c) => only.some((p) => c.id.startsWith(p)));
}

/**
 * Runs the conformance checks against an EggAPI-compatible server and reports each one. It
 * drives the server only through `@eggapi/client` and raw HTTP, and checks the answers against
 * `@eggapi/contracts`. Never point it at the real service from CI: it creates (billed) tasks.
 */
export async function runConformance(
  input: ConformanceOptions,
  checks: readonly Check[] = ALL_CHECKS,
): Promise<ConformanceReport> {
  assertTargetAllowed(input.baseUrl, input.allowProduction);
  const options = {
    taskTimeoutMs: 120_000,
    checkTimeoutMs: 180_000,
    ...input,
    baseUrl: input.baseUrl.replace(/\/+$/, ''),
  };
  const startedAt = new Date();
  const client = new EggAPI({
    apiKey: options.apiKey,
    baseURL: options.baseUrl,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const http = new RawHttp(options.baseUrl, options.apiKey, options.fetch);
  let receiver: WebhookReceiver | undefined;
  if (options.webhookSecret)
    receiver = await startReceiver(options.webhookSecret, options.receiverHost);

  const ctx: CheckContext = {
    options,
    client,
    http,
    receiver,
    async waitForEnd(id) {
      const deadline = Date.now() + options.taskTimeoutMs;
      const statuses: string[] = [];
      const snapshots: Task[] = [];
      let pause = 100;
      for (;;) {
        const task = await client.tasks.get(id);
        snapshots.push(task);
        if (statuses.at(-1) !== task.status) statuses.push(task.status);
        if (isTerminalStatus(task.status)) return { task, statuses, snapshots };
        if (Date.now() > deadline) {
          throw new CheckFailure(
            `task ${id} still ${task.status} after ${options.taskTimeoutMs} ms`,
          );
        }
        await sleep(pause);
        pause = Math.min(2_000, Math.round(pause * 1.5));
      }
    },
  };

  const results: CheckResult[] = [];
  try {
    for (const check of selectChecks(options, checks)) {
      const started = performance.now();
      const base = { id: check.id, description: check.description };
      if (check.requires === 'webhook' && !receiver) {
        results.push({
          ...base,
          status: 'skipped',
          durationMs: 0,
          message: 'needs --webhook-secret',
        });
        continue;
      }
      try {
        await withTimeout(check.run(ctx), options.checkTimeoutMs, check.id);
        results.push({
          ...base,
          status: 'passed',
          durationMs: Math.round(performance.now() - started),
        });
      } catch (error) {
        results.push({
          ...base,
          status: 'failed',
          durationMs: Math.round(performance.now() - started),
          message: describeError(error),
        });
      }
    }
  } finally {
    await receiver?.close();
  }
  const count = (status: CheckResult['status']) =>
    results.filter((r) => r.status === status).length;
  return {
    baseUrl: options.baseUrl,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    results,
    passed: count('passed'),
    failed: count('failed'),
    skipped: count('skipped'),
  };
}
