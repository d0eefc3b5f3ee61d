import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseRecordingEntry, type ContractIssue } from '@eggapi/contracts';
import type { CheckResult, ConformanceReport } from '../report.js';
import { checkRecordedExchange, checkRecordedWebhook, type EntryVerdict } from './check-entry.js';
import { printable } from './printable.js';
import { listRecordingFiles, readRecordingFile, type RecordingFile } from './read-recording.js';

/** The most issues listed for one file; the rest are counted. */
const MAX_ISSUES_SHOWN = 20;

/**
 * Checks a recording (the mock's `--record`, `eggapi webhooks listen --record`) against the
 * contract without contacting any server: each entry file is one check, failed with its issues
 * (`path: message`, one a line) when the answer it holds differs from the contract, or when the
 * file is not an entry of the recording format (tampered, truncated, another format).
 *
 * @throws RecordingUsageError when the recording has no directory or no entry, or too many
 */
export async function checkRecording(dir: string): Promise<ConformanceReport> {
  const startedAt = new Date();
  const files = await listRecordingFiles(dir);
  const results: CheckResult[] = [];
  for (const file of files) {
    const started = performance.now();
    const verdict = await checkFile(dir, file);
    const result: CheckResult = {
      id: printable(file.file),
      description: printable(verdict.description),
      status: verdict.issues.length === 0 ? 'passed' : 'failed',
      durationMs: Math.round(performance.now() - started),
    };
    if (verdict.issues.length > 0) result.message = describeIssues(verdict.issues);
    results.push(result);
  }
  const failed = results.filter((r) => r.status === 'failed').length;
  return {
    baseUrl: pathToFileURL(resolve(dir)).href,
    recording: dir,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    results,
    passed: results.length - failed,
    failed,
    skipped: 0,
  };
}

async function checkFile(dir: string, file: RecordingFile): Promise<EntryVerdict> {
  const unread = (message: string) => ({
    description: file.kind === 'exchange' ? 'an exchange entry' : 'a webhook entry',
    issues: [{ path: 'file', message }],
  });
  const read = await readRecordingFile(dir, file);
  if (!read.ok) return unread(read.problem);
  const parsed = parseRecordingEntry(read.text);
  if (!parsed.ok) return unread(`not a recording entry: ${parsed.problem}`);
  const { entry } = parsed;
  if (entry.kind !== file.kind) return unread(`a ${entry.kind} entry among the ${file.kind}s`);
  return entry.kind === 'exchange' ? checkRecordedExchange(entry) : checkRecordedWebhook(entry);
}

function describeIssues(issues: ContractIssue[]): string {
  const lines = issues
    .slice(0, MAX_ISSUES_SHOWN)
    .map(({ path, message }) => printable(`${path}: ${message}`));
  if (issues.length > MAX_ISSUES_SHOWN) {
    lines.push(`… and ${issues.length - MAX_ISSUES_SHOWN} more`);
  }
  return lines.join('\n');
}
