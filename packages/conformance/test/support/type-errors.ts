import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** A change to one source file, applied in memory only: `from` replaced by `to` in `file`. */
export interface Drift {
  file: string;
  from: string;
  to: string;
}

/** A project's tsconfig file (`tsconfig.json`, `tsconfig.lib.json`), parsed; throws if unreadable. */
function parseConfig(project: string, file: string): ts.ParsedCommandLine {
  return ts.getParsedCommandLineOfConfigFile(
    join(ROOT, project, file),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  )!;
}

/** The files a project's build compiles (its tsconfig.lib.json): its source without the tests. */
export function buildFiles(project: string): string[] {
  return parseConfig(project, 'tsconfig.lib.json').fileNames;
}

/**
 * Files parsed once for every check of this test file: the declarations under node_modules and the
 * sources the projects share (never the drifted file). Parsing depends only on the language
 * settings, which are part of the key; each program still binds and checks on its own.
 */
const parsedFiles = new Map<string, ts.SourceFile | undefined>();

/**
 * Type-checks a project (its tsconfig.json; all its files, or only `rootNames` and what they
 * import; workspace packages resolved to source) as if `drift` had been applied, and returns the
 * errors in the project's own files, as `path: message`.
 */
export function typeErrors(project: string, drift?: Drift, rootNames?: string[]): string[] {
  const parsed = parseConfig(project, 'tsconfig.json');
  const host = ts.createCompilerHost(parsed.options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, language, onError, shouldCreate) => {
    if (drift && fileName === drift.file) {
      const text = readFileSync(fileName, 'utf8');
      if (!text.includes(drift.from)) throw new Error(`drift target not found in ${fileName}`);
      return ts.createSourceFile(fileName, text.replace(drift.from, drift.to), language);
    }
    const key = `${fileName}\0${JSON.stringify(language)}`;
    if (!parsedFiles.has(key)) {
      parsedFiles.set(key, getSourceFile(fileName, language, onError, shouldCreate));
    }
    return parsedFiles.get(key);
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
