/**
 * Exact money arithmetic for EggAPI costs. Tasks say `"$0.0100"`, webhooks `"0.010000"`; both
 * parse to one integer unit, micro-dollars (1 USD = 1,000,000), so sums never meet a float.
 */

/** Micro-dollars in one dollar. */
export const MICROS_PER_DOLLAR = 1_000_000;
/** Upstream price of one output image, `$0.0100`, in micro-dollars. */
export const PRICE_PER_IMAGE_MICROS = 10_000;

const COST_PATTERN = /^(\$)?(\d+)(?:\.(\d+))?$/;

/** Thrown when a string is not a cost in either documented format. */
export class CostFormatError extends Error {
  override name = 'CostFormatError';
}

/**
 * Parses a task cost (`"$0.0100"`, `"$0.00"`) or a webhook cost (`"0.010000"`) into micro-dollars.
 * @throws {CostFormatError} for anything else, for fractions finer than a micro-dollar, and for
 * amounts beyond `Number.MAX_SAFE_INTEGER` micro-dollars.
 */
export function parseCost(cost: string): number {
  const match = COST_PATTERN.exec(cost.trim());
  if (!match) throw new CostFormatError(`not a cost: ${JSON.stringify(cost)}`);
  const [, , whole = '0', fraction = ''] = match;
  const significant = fraction.replace(/0+$/, '');
  if (significant.length > 6) {
    throw new CostFormatError(`cost finer than a micro-dollar: ${JSON.stringify(cost)}`);
  }
  const micros = Number(whole) * MICROS_PER_DOLLAR + Number(significant.padEnd(6, '0'));
  if (!Number.isSafeInteger(micros)) {
    throw new CostFormatError(`cost out of range: ${JSON.stringify(cost)}`);
  }
  return micros;
}

function assertMicros(micros: number): void {
  if (!Number.isSafeInteger(micros) || micros < 0) {
    throw new RangeError(`micro-dollars must be a non-negative safe integer, got ${micros}`);
  }
}

function splitMicros(micros: number): { whole: string; fraction: string } {
  assertMicros(micros);
  return {
    whole: String(Math.floor(micros / MICROS_PER_DOLLAR)),
    fraction: String(micros % MICROS_PER_DOLLAR).padStart(6, '0'),
  };
}

/**
 * Formats micro-dollars as a task cost: `"$0.00"` for zero (as upstream shows pending and failed
 * tasks), otherwise four decimals (`"$0.0100"`), more only when needed to stay exact.
 * @throws {RangeError} for negative or non-integer input.
 */
export function formatTaskCost(micros: number): string {
  if (micros === 0) return '$0.00';
  const { whole, fraction } = splitMicros(micros);
  const exact = fraction.replace(/0+$/, '');
  return `$${whole}.${exact.length > 4 ? exact : fraction.slice(0, 4)}`;
}

/**
 * Formats micro-dollars as a webhook cost: six decimals, no currency sign (`"0.010000"`).
 * @throws {RangeError} for negative or non-integer input.
 */
export function formatWebhookCost(micros: number): string {
  const { whole, fraction } = splitMicros(micros);
  return `${whole}.${fraction}`;
}

/** Micro-dollars billed for `images` output images at the upstream price. */
export function costForImages(images: number): number {
  return images * PRICE_PER_IMAGE_MICROS;
}
