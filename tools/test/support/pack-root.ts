import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A scratch directory for this run: the packed tarballs and the installs made from them. */
    packRoot: string;
  }
}

/**
 * Vitest global setup: one scratch directory per run, shared by every test file that packs
 * (`packedOnce()`), removed when the run ends. Creating it costs nothing; nothing is packed
 * until a test file asks.
 */
export default function setup(project: TestProject): () => void {
  const root = mkdtempSync(join(tmpdir(), 'eggapi-packed-'));
  project.provide('packRoot', root);
  return () => rmSync(root, { recursive: true, force: true });
}
