import type { ConformanceReport } from '../report.js';

/** The report as JSON. */
export function jsonReport(report: ConformanceReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
