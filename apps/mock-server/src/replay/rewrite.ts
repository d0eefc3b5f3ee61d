import type { RecordedTask } from './recording.js';

/** How a recorded task's answers are shown for a task served from it. */
export interface Rewrite {
  task: RecordedTask;
  /** The id it is served under (a new one for a task started by a matching `POST`). */
  servedId: string;
  /** Where image links point: this mock's base URL. */
  base: string;
  /** For a new task: its creation (mock ms) and the gap scale, to move the recorded times. */
  retime?: { createdAt: number; scale: number };
}

const TIME_FIELDS = new Set(['created_at', 'started_at', 'completed_at']);

/** The mock's link of output `index` of a served task. */
export function imageLink(base: string, servedId: string, index: number): string {
  return `${base}/images/${servedId}/${index}.png`;
}

/**
 * A recorded answer (or webhook payload) as a served task's: the recorded id becomes the served
 * one, the upstream's image links become this mock's, and for a new task the lifecycle times
 * (and a webhook's `timestamp`) follow its creation on the mock's clock, gaps scaled.
 */
export function rewriteAnswer(value: unknown, rewrite: Rewrite): unknown {
  const recordedStart = rewrite.task.steps[0]?.at ?? 0;
  const moved = (recorded: number) =>
    rewrite.retime!.createdAt + Math.max(0, recorded - recordedStart) * rewrite.retime!.scale;
  const visit = (node: unknown, key: string | undefined): unknown => {
    if (typeof node === 'string') {
      if (node === rewrite.task.id) return rewrite.servedId;
      const index = rewrite.task.imageIndexOf.get(node);
      if (index !== undefined) return imageLink(rewrite.base, rewrite.servedId, index);
      if (rewrite.retime && key !== undefined && TIME_FIELDS.has(key)) {
        const at = Date.parse(node);
        if (!Number.isNaN(at)) return new Date(moved(at)).toISOString();
      }
      return node;
    }
    if (typeof node === 'number' && key === 'timestamp' && rewrite.retime) {
      return Math.floor(moved(node * 1000) / 1000);
    }
    if (Array.isArray(node)) return node.map((item) => visit(item, undefined));
    if (typeof node === 'object' && node !== null) {
      return Object.fromEntries(
        Object.entries(node).map(([name, item]) => [name, visit(item, name)]),
      );
    }
    return node;
  };
  return visit(value, undefined);
}

/** Image links of any recorded task in an answer (lists, usage) as this mock's. */
export function rewriteImageLinks(
  value: unknown,
  links: ReadonlyMap<string, { id: string; index: number }>,
  base: string,
): unknown {
  if (links.size === 0) return value;
  const visit = (node: unknown): unknown => {
    if (typeof node === 'string') {
      const image = links.get(node);
      return image ? imageLink(base, image.id, image.index) : node;
    }
    if (Array.isArray(node)) return node.map(visit);
    if (typeof node === 'object' && node !== null) {
      return Object.fromEntries(Object.entries(node).map(([name, item]) => [name, visit(item)]));
    }
    return node;
  };
  return visit(value);
}
