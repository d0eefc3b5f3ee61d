import type { Consumer } from './consumers.js';

/**
 * Consumers that install exactly the same packages (ours and the extras) and run on the same
 * runtime: one install and one `tsc` program serve them all, each consumer in a file of its own
 * (`<id>.ts`), so an error still names its consumer. A consumer never shares with one that
 * installs more, so a dependency missing from its install still fails it. The only entry that
 * augments other modules' types with express installed (`webhook-express`) stays alone; on plain
 * node:http (`webhook-express-plain`) it shares the main entry's install.
 */
export interface ConsumerGroup {
  /** Directory name: the first consumer's id. */
  id: string;
  consumers: Consumer[];
}

/** What a group shares: the install (sorted) and the runtime. */
function groupKey(consumer: Consumer): string {
  return JSON.stringify([
    [...consumer.packages].sort(),
    [...consumer.extra].sort(),
    consumer.runtime,
  ]);
}

export function groupConsumers(consumers: readonly Consumer[]): ConsumerGroup[] {
  const groups = new Map<string, Consumer[]>();
  for (const consumer of consumers) {
    const key = groupKey(consumer);
    groups.set(key, [...(groups.get(key) ?? []), consumer]);
  }
  return [...groups.values()].map((members) => ({ id: members[0]!.id, consumers: members }));
}

/** A consumer's source file in its group's directory. */
export const consumerFile = (consumer: Consumer) => `${consumer.id}.ts`;

/**
 * tsc's error lines (`--pretty false`) by consumer id; the lines that name no consumer's file
 * (a declaration under node_modules, a tsconfig problem) under `undefined`.
 */
export function errorsByConsumer(
  lines: readonly string[],
  consumers: readonly Consumer[],
): Map<string | undefined, string[]> {
  const byFile = new Map(consumers.map((c) => [consumerFile(c), c.id]));
  const errors = new Map<string | undefined, string[]>(consumers.map((c) => [c.id, []]));
  for (const line of lines) {
    const file = /^([^(]+)\(\d+,\d+\)/.exec(line)?.[1];
    const id = file === undefined ? undefined : byFile.get(file);
    errors.set(id, [...(errors.get(id) ?? []), line]);
  }
  return errors;
}
