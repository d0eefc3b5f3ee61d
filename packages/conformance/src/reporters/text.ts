import type { ConformanceReport } from '../report.js';

const MARK = { passed: '✓', failed: '✗', skipped: '-' } as const;

/** A readable pass/fail list, one line per check, failures explained, then the totals. */
export function textReport(report: ConformanceReport): string {
  const lines = [`EggAPI conformance against ${report.baseUrl}`, ''];
  for (const result of report.results) {
    lines.push(
      `${MARK[result.status]} ${result.id} — ${result.description} (${result.durationMs} ms)`,
    );
    if (result.message)
      lines.push(`    ${result.status === 'failed' ? 'failed: ' : 'skipped: '}${result.message}`);
  }
  lines.push('', `${report.passed} passed, ${report.failed} failed, ${report.skipped} skipped`);
  return `${lines.join('\n')}\n`;
}
