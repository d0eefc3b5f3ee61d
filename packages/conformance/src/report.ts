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
  /** The server checked; for a recording, its directory as a `file:` URL. */
  baseUrl: string;
  /** The recording's directory as given, when a recording was checked instead of a server. */
  recording?: string;
  startedAt: string;
  durationMs: number;
  results: CheckResult[];
  passed: number;
  failed: number;
  skipped: number;
}
