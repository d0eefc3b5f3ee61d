import type { ConformanceReport } from '../report.js';
import { jsonReport } from './json.js';
import { junitReport } from './junit.js';
import { textReport } from './text.js';

export const REPORTERS = { text: textReport, json: jsonReport, junit: junitReport } as const;
export type ReporterName = keyof typeof REPORTERS;

/** Formats a report with the named reporter. */
export function formatReport(report: ConformanceReport, reporter: ReporterName = 'text'): string {
  return REPORTERS[reporter](report);
}
