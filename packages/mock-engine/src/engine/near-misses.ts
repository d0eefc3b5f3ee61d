import type { ErrorDetail } from '@eggapi/contracts';
import type { JournalEntry } from './journal-entry.js';
import { diffEntry, type Expectation, type FieldDiff } from './request-matcher.js';

/** How many near misses a failed verification shows (as WireMock does). */
export const NEAR_MISS_COUNT = 3;
/** A wrong method or path counts as this many other fields. */
const ROUTE_WEIGHT = 3;

/** The outcome of checking an expectation against the journal's entries (newest first). */
export interface VerificationOutcome {
  matches: JournalEntry[];
  /** Whether the count of matches is within the expectation's bounds. */
  satisfied: boolean;
  /** The failure report (empty when satisfied): deterministic, with no ids, times or durations. */
  report: string;
  /** The report's near misses as error details: `near_misses.0.body.prompt`… */
  details: ErrorDetail[];
}

/**
 * Checks `expectation` against `entries` (newest first). On failure, the report says how many
 * matched out of how many recorded and shows the 3 nearest misses, ranked by how many fields
 * differ (a wrong method or path weighs as three), newest first among equals, each with a
 * field-by-field diff; when too many matched, it shows the first of them instead.
 */
export function verify(
  expectation: Expectation,
  entries: readonly JournalEntry[],
): VerificationOutcome {
  const misses: { entry: JournalEntry; diffs: FieldDiff[]; distance: number; order: number }[] = [];
  const matches: JournalEntry[] = [];
  entries.forEach((entry, order) => {
    const diffs = diffEntry(expectation.matcher, entry);
    if (diffs.length === 0) matches.push(entry);
    else misses.push({ entry, diffs, distance: distanceOf(diffs), order });
  });
  const satisfied = matches.length >= expectation.min && matches.length <= expectation.max;
  if (satisfied) return { matches, satisfied, report: '', details: [] };
  const within = expectation.within > 0 ? ` within ${expectation.within} ms` : '';
  const lines = [
    `Expected ${expectation.shownCount} matching ${expectation.matcher.shown}${within}, but ${matches.length} matched (${entries.length} recorded).`,
  ];
  const details: ErrorDetail[] = [];
  if (matches.length > expectation.max) {
    // Oldest first: the order they were sent in.
    const shownMatches = matches.slice().reverse().slice(0, NEAR_MISS_COUNT);
    lines.push(`${matches.length > NEAR_MISS_COUNT ? `First ${NEAR_MISS_COUNT}` : 'The'} matches:`);
    shownMatches.forEach((entry, i) => lines.push(`  ${i + 1}. ${summary(entry)}`));
  } else if (misses.length === 0) {
    lines.push('No other requests were recorded.');
  } else {
    const nearest = misses
      .sort((a, b) => a.distance - b.distance || a.order - b.order)
      .slice(0, NEAR_MISS_COUNT);
    lines.push(`${nearest.length} nearest miss${nearest.length === 1 ? '' : 'es'}:`);
    nearest.forEach(({ entry, diffs }, i) => {
      lines.push(`  ${i + 1}. ${summary(entry)}`);
      for (const diff of diffs) {
        lines.push(`       ${diff.field}: expected ${diff.expected}, got ${diff.actual}`);
        details.push({
          path: `near_misses.${i}.${diff.field}`,
          message: `expected ${diff.expected}, got ${diff.actual}`,
        });
      }
    });
  }
  return { matches, satisfied, report: lines.join('\n'), details };
}

function distanceOf(diffs: FieldDiff[]): number {
  return diffs.reduce(
    (sum, { field }) => sum + (field === 'method' || field === 'path' ? ROUTE_WEIGHT : 1),
    0,
  );
}

/** `POST /v1/generate → 202`, `GET /v1/tasks?page=2 → 401 UNAUTHORIZED`. */
function summary(entry: JournalEntry): string {
  const query = Object.entries(entry.query)
    .flatMap(([name, value]) => [value].flat().map((v) => `${name}=${v}`))
    .join('&');
  const answered = entry.status === 0 ? 'dropped' : String(entry.status);
  return `${entry.method} ${entry.path}${query ? `?${query}` : ''} → ${answered}${entry.code ? ` ${entry.code}` : ''}`;
}
