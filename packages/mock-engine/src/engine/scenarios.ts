/**
 * Deterministic behaviour chosen per request, for testing what is hard to provoke upstream.
 *
 * Task scenarios: header `X-EggAPI-Mock-Scenario` on `POST /v1/generate`, or a marker
 * `[[mock: …]]` anywhere in the prompt (the header wins). Directives, separated by `;`:
 *   fail | fail="message"   the task fails (default message: upstream's provider failure)
 *   moderation              the task fails with upstream's content-moderation message
 *   delay=<ms>              processing takes this long
 *   queue=<ms>              the task waits this long at `pending`
 *   polls=<n>               the task ends (completes, or fails with `fail`) on the n-th poll
 *
 * HTTP faults: header `X-EggAPI-Mock-Fault` on any route: `<429|500|502|503|reset>` with
 * optional `; times=<n>` (default 1) and `; retry-after=<seconds>` (429/503). The first n
 * requests carrying the same header value to the same method and path with the same key get the
 * fault; later ones pass, so client retries can be tested.
 */

export {
  MOCK_SCENARIO_HEADER as SCENARIO_HEADER,
  MOCK_FAULT_HEADER as FAULT_HEADER,
} from '@eggapi/contracts';

export const DEFAULT_FAILURE_MESSAGE = 'generation failed: upstream provider unavailable';
export const MODERATION_FAILURE_MESSAGE = 'Content moderation: prompt contains prohibited content';

export interface TaskScenario {
  fail?: string;
  queueMs?: number;
  processingMs?: number;
  polls?: number;
}

export const FAULT_KINDS = ['429', '500', '502', '503', 'reset'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultSpec {
  kind: FaultKind;
  times: number;
  retryAfterSeconds?: number;
}

/** Thrown for a scenario or fault header that does not parse; names what is wrong. */
export class ScenarioSyntaxError extends Error {
  override name = 'ScenarioSyntaxError';
}

const MAX_DELAY_MS = 10 * 60_000;

/** Longest directive list read; longer input is refused before any parsing. */
export const MAX_DIRECTIVES_LENGTH = 1_024;

const NAME_CHAR = /[a-z0-9-]/i;
const isSpace = (c: string | undefined) => c === ' ' || c === '\t';

/**
 * `a; b=1; c="x; y"` → [['a', undefined], ['b', '1'], ['c', 'x; y']]. One pass over the text
 * (no backtracking regex: a hostile header must not stall the server), length capped.
 */
function directives(text: string): [string, string | undefined][] {
  if (text.length > MAX_DIRECTIVES_LENGTH) {
    throw new ScenarioSyntaxError(`longer than ${MAX_DIRECTIVES_LENGTH} characters`);
  }
  const out: [string, string | undefined][] = [];
  let i = 0;
  const skipSpaces = () => {
    while (isSpace(text[i])) i++;
  };
  while (i < text.length) {
    skipSpaces();
    const nameStart = i;
    while (i < text.length && NAME_CHAR.test(text[i]!)) i++;
    if (i === nameStart) {
      throw new ScenarioSyntaxError(
        `cannot parse "${text.slice(nameStart, nameStart + 40).trim()}"`,
      );
    }
    const name = text.slice(nameStart, i).toLowerCase();
    skipSpaces();
    let value: string | undefined;
    if (text[i] === '=') {
      i++;
      skipSpaces();
      if (text[i] === '"') {
        let quoted = '';
        for (i++; i < text.length && text[i] !== '"'; i++) {
          if (text[i] === '\\' && i + 1 < text.length) i++;
          quoted += text[i];
        }
        if (text[i] !== '"') throw new ScenarioSyntaxError(`${name}: unterminated quote`);
        i++;
        value = quoted;
      } else {
        const valueStart = i;
        while (i < text.length && text[i] !== ';' && text[i] !== '"') i++;
        value = text.slice(valueStart, i).trim();
      }
      if (!value) throw new ScenarioSyntaxError(`${name} needs a value`);
      skipSpaces();
    }
    if (i < text.length && text[i] !== ';') {
      throw new ScenarioSyntaxError(`cannot parse "${text.slice(i, i + 40).trim()}"`);
    }
    i++;
    out.push([name, value]);
  }
  if (out.length === 0) throw new ScenarioSyntaxError('empty directive list');
  return out;
}

function integer(name: string, value: string | undefined, min: number, max: number): number {
  const n = Number(value);
  if (value === undefined || !/^\d+$/.test(value) || n < min || n > max) {
    throw new ScenarioSyntaxError(`${name} must be an integer from ${min} to ${max}`);
  }
  return n;
}

/** Parses the directives of a task scenario. */
export function parseTaskScenario(text: string): TaskScenario {
  const scenario: TaskScenario = {};
  for (const [name, value] of directives(text)) {
    switch (name) {
      case 'fail':
        scenario.fail = value || DEFAULT_FAILURE_MESSAGE;
        break;
      case 'moderation':
        scenario.fail = MODERATION_FAILURE_MESSAGE;
        break;
      case 'delay':
        scenario.processingMs = integer('delay', value, 0, MAX_DELAY_MS);
        break;
      case 'queue':
        scenario.queueMs = integer('queue', value, 0, MAX_DELAY_MS);
        break;
      case 'polls':
        scenario.polls = integer('polls', value, 1, 1_000);
        break;
      default:
        throw new ScenarioSyntaxError(
          `unknown directive "${name}" (known: fail, moderation, delay, queue, polls)`,
        );
    }
  }
  return scenario;
}

/** The text of the first `[[mock: …]]` marker in a prompt (case-insensitive `mock`), if any. */
function promptMarker(prompt: string): string | undefined {
  const start = prompt.toLowerCase().indexOf('[[mock:');
  if (start < 0) return undefined;
  const end = prompt.indexOf(']]', start);
  const body = prompt.slice(start + 7, end < 0 ? undefined : end);
  return end < 0 || body.includes(']') ? undefined : body;
}

/** The scenario of a create request: its header, else a `[[mock: …]]` prompt marker, else none. */
export function scenarioFor(header: string | undefined, prompt: string): TaskScenario | undefined {
  if (header !== undefined && header.trim() !== '') return parseTaskScenario(header);
  const marker = promptMarker(prompt);
  return marker === undefined ? undefined : parseTaskScenario(marker);
}

/** Parses `X-EggAPI-Mock-Fault`. */
export function parseFault(text: string): FaultSpec {
  const [first, ...rest] = directives(text);
  const kind = first?.[0];
  if (!first || first[1] !== undefined || !FAULT_KINDS.includes(kind as FaultKind)) {
    throw new ScenarioSyntaxError(`the fault must start with one of ${FAULT_KINDS.join(', ')}`);
  }
  const fault: FaultSpec = { kind: kind as FaultKind, times: 1 };
  for (const [name, value] of rest) {
    if (name === 'times') fault.times = integer('times', value, 1, 1_000);
    else if (name === 'retry-after')
      fault.retryAfterSeconds = integer('retry-after', value, 0, 3_600);
    else
      throw new ScenarioSyntaxError(`unknown fault option "${name}" (known: times, retry-after)`);
  }
  return fault;
}
