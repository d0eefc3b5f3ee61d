/**
 * Reads an environment variable where the runtime has `process.env` (Node, Bun, Deno's Node
 * compatibility). Browsers and edge workers have none: there it is always `undefined`. Empty
 * values count as unset.
 */
export function readEnv(name: string): string | undefined {
  const process = (globalThis as { process?: { env?: Record<string, string | undefined> } })
    .process;
  if (typeof process === 'undefined') return undefined;
  const value = process.env?.[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}
