import type { ConformanceReport } from '../report.js';

const MARK = { passed: '✓', failed: '✗', skipped: '-' } as const;

/** A readable pass/fail list, one line per check, failures explained, then the totals. */
export function textReport(report: ConformanceReport): string {
  const subject = report.recording ? `the recording ${report.recording}` : report.baseUrl;
  const lines = [`EggAPI conformance against ${subject}`, ''];
  for (const result of report.results) {
    lines.push(
      `${MARK[result.status]} ${result.id} — ${result.description} (${result.durationMs} ms)`,
    );
    if (result.message) {
      const label = `    ${result.status === 'failed' ? 'failed: ' : 'skipped: '}`;
      // A message of several lines (a recording's issues) stays aligned under its first line.
      lines.push(`${label}${result.message.replace(/\n/g, `\n${' '.repeat(label.length)}`)}`);
    }
  }
  lines.push('', `${report.passed} passed, ${report.failed} failed, ${report.skipped} skipped`);
  return `${lines.join('\n')}\n`;
}
