import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { parseTsconfig, shareParsedFiles } from '../../../../test-support/typescript.mjs';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** A change to one source file, applied in memory only: `from` replaced by `to` in `file`. */
export interface Drift {
  file: string;
  from: string;
  to: string;
}

/** The files a project's build compiles (its tsconfig.lib.json): its source without the tests. */
export function buildFiles(project: string): string[] {
  return parseTsconfig(join(ROOT, project, 'tsconfig.lib.json')).fileNames;
}

/**
 * Files parsed once for every check of this test file: the declarations under node_modules and the
 * sources the projects share (never the drifted file).
 */
const parsedFiles = new Map<string, ts.SourceFile | undefined>();

/**
 * Type-checks a project (its tsconfig.json; all its files, or only `rootNames` and what they
 * import; workspace packages resolved to source) as if `drift` had been applied, and returns the
 * errors in the project's own files, as `path: message`.
 */
export function typeErrors(project: string, drift?: Drift, rootNames?: string[]): string[] {
  const parsed = parseTsconfig(join(ROOT, project, 'tsconfig.json'));
  const host = ts.createCompilerHost(parsed.options);
  shareParsedFiles(host, parsedFiles, (fileName) => fileName !== drift?.file);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, language, onError, shouldCreate) => {
    if (drift && fileName === drift.file) {
      const text = readFileSync(fileName, 'utf8');
      if (!text.includes(drift.from)) throw new Error(`drift target not found in ${fileName}`);
      return ts.createSourceFile(fileName, text.replace(drift.from, drift.to), language);
    }
    return getSourceFile(fileName, language, onError, shouldCreate);
  };
  const program = ts.createProgram({
    rootNames: rootNames ?? parsed.fileNames,
    options: { ...parsed.options, noEmit: true },
    host,
  });
  const projectDir = join(ROOT, project);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file && !relative(projectDir, d.file.fileName).startsWith('..'))
    .map(
      (d) =>
        `${relative(ROOT, d.file!.fileName)}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`,
    );
}
