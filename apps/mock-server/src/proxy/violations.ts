import type { ContractIssue } from '@eggapi/contracts';
import type { ContractViolation, MockEngine } from '@eggapi/mock-engine/host';
import type { Logger } from 'pino';

/** The most issues one log line spells out; the admin route keeps them all. */
const ISSUES_PER_LINE = 5;

/** One readable line: `response GET /v1/tasks/gen_x → 200: body.data.status: undocumented …`. */
export function violationLine(violation: Omit<ContractViolation, 'id'>): string {
  const { direction, method, path, status, issues } = violation;
  const shown = issues
    .slice(0, ISSUES_PER_LINE)
    .map((issue) => (issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`));
  const more = issues.length > ISSUES_PER_LINE ? `; … ${issues.length - ISSUES_PER_LINE} more` : '';
  return `contract violation (${direction}) ${method} ${path} → ${status}: ${shown.join('; ')}${more}`;
}

/**
 * Keeps and logs the violations of one exchange: one for the request's issues, one for the
 * answer's, each only when there are any.
 */
export function reportViolations(
  engine: MockEngine,
  logger: Logger,
  exchange: Omit<ContractViolation, 'id' | 'direction' | 'issues' | 'at'>,
  issues: { request: ContractIssue[]; response: ContractIssue[] },
): void {
  for (const direction of ['request', 'response'] as const) {
    if (issues[direction].length === 0) continue;
    const violation: Omit<ContractViolation, 'id'> = {
      at: new Date().toISOString(),
      direction,
      ...exchange,
      issues: issues[direction],
    };
    engine.recordViolation(violation);
    logger.warn(
      { req_id: violation.request_id, direction, issues: violation.issues.length },
      violationLine(violation),
    );
  }
}
