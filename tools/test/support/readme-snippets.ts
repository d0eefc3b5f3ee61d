import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT, workspacePackages } from './workspace.js';

/**
 * Every TypeScript block of every README of the workspace. A block is compiled by default; the
 * HTML comments right above its fence change that:
 *
 * - `<!-- snippet: run -->`: also run with Node against a fresh mock (`EGGAPI_BASE_URL`,
 *   `EGGAPI_API_KEY` and `EGGAPI_WEBHOOK_SECRET` set), and must exit 0;
 * - `<!-- snippet: not compiled: REASON -->`: a fragment or another runtime's code, said why.
 */
export interface Snippet {
  /** `packages/client/README.md:12`: the README and the line of the opening fence. */
  id: string;
  /** A file name for it: `packages-client-L12.ts`. */
  file: string;
  source: string;
  mode: 'run' | 'compile' | 'skip';
  /** Why it is not compiled, for `skip`. */
  reason?: string;
}

const FENCE = /^```(ts|typescript)\s*$/;
const MARKER = /^<!--\s*snippet:\s*(run|not compiled:\s*(.+?))\s*-->$/;

/** The README files: the root's and each workspace package's. */
export function readmeFiles(): string[] {
  return [ROOT, ...workspacePackages().map((pkg) => pkg.dir)]
    .map((dir) => join(dir, 'README.md'))
    .filter((file) => existsSync(file));
}

/** The comment lines right above line `index` (blank lines and other comments in between). */
function markersAbove(lines: string[], index: number): string[] {
  const found: string[] = [];
  for (let i = index - 1; i >= 0; i--) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    if (!line.startsWith('<!--')) break;
    found.push(line);
  }
  return found;
}

export function snippetsOf(readme: string): Snippet[] {
  const name = relative(ROOT, readme) || 'README.md';
  const lines = readFileSync(readme, 'utf8').split('\n');
  const snippets: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!FENCE.test(lines[i]!)) continue;
    const end = lines.findIndex((line, j) => j > i && line.startsWith('```'));
    const marker = markersAbove(lines, i)
      .map((line) => MARKER.exec(line))
      .find(Boolean);
    const slug = name.replace(/\/?README\.md$/, '').replace(/\W+/g, '-') || 'root';
    snippets.push({
      id: `${name}:${i + 1}`,
      file: `${slug}-L${i + 1}.ts`,
      source: lines.slice(i + 1, end).join('\n'),
      mode: marker?.[2] ? 'skip' : marker ? 'run' : 'compile',
      ...(marker?.[2] ? { reason: marker[2] } : {}),
    });
    i = end;
  }
  return snippets;
}

/** Every snippet of every README. */
export function allSnippets(): Snippet[] {
  return readmeFiles().flatMap(snippetsOf);
}
