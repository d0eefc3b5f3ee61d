/** The outcome of one check. */
export interface CheckResult {
  id: string;
  description: string;
  status: 'passed' | 'failed' | 'skipped';
  durationMs: number;
  /** Why it failed, or why it was skipped. */
  message?: string;
}

/** The outcome of a conformance run. */
export interface ConformanceReport {
  baseUrl: string;
  startedAt: string;
  durationMs: number;
  results: CheckResult[];
  passed: number;
  failed: number;
  skipped: number;
}
