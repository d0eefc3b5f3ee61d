export function findRuntime(name: 'deno' | 'bun'): { path: string; version: string } | undefined;
export function available<T>(found: T | undefined, runtime: string, install: string): T | undefined;
