import { readFileSync } from 'node:fs';

/** The runtimes whose example the mock engine's README shows. */
export type ExampleRuntime = 'deno' | 'bun' | 'worker' | 'hono';

const README = new URL('../../../mock-engine/README.md', import.meta.url);

/**
 * The code of the README's example for `runtime`: the ```ts block after its
 * `<!-- example: <runtime> -->` marker, exactly as written there.
 * @throws Error when the README has no such example
 */
export function readmeExample(runtime: ExampleRuntime): string {
  const text = readFileSync(README, 'utf8');
  const marker = `<!-- example: ${runtime} -->`;
  const at = text.indexOf(marker);
  const block = at < 0 ? null : /```ts\n([\s\S]*?)```/.exec(text.slice(at));
  if (!block) throw new Error(`packages/mock-engine/README.md has no ${marker} with a ts block`);
  return block[1]!;
}
