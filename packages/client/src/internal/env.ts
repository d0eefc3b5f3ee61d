/**
 * Reads an environment variable where the runtime has `process.env` (Node, Bun, Deno). Browsers
 * and edge workers have none: there it is always `undefined`, as it is where reading throws (Deno
 * without `--allow-env`). Empty values count as unset.
 */
export function readEnv(name: string): string | undefined {
  const process = (globalThis as { process?: { env?: Record<string, string | undefined> } })
    .process;
  if (typeof process === 'undefined') return undefined;
  let value: string | undefined;
  try {
    value = process.env?.[name]?.trim();
  } catch {
    return undefined;
  }
  return value === undefined || value === '' ? undefined : value;
}
