import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const PACKAGE = fileURLToPath(new URL('../../', import.meta.url));

/** One compile error of a snippet: its 1-based line, TS code and message. */
export interface TypeError_ {
  line: number;
  code: number;
  message: string;
}

let options: ts.CompilerOptions | undefined;
/** Parsed files other than the snippet, shared by every check (parsing is half the time). */
const parsed = new Map<string, ts.SourceFile | undefined>();

function compilerOptions(): ts.CompilerOptions {
  if (options) return options;
  const parsed = ts.getParsedCommandLineOfConfigFile(
    join(PACKAGE, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  )!;
  options = { ...parsed.options, noEmit: true };
  return options;
}

/**
 * Type-checks each snippet as if it were a file of this package's test/ folder (its
 * tsconfig.json, imports resolved as the tests resolve them), all in one program, and returns
 * the errors of each by its name (errors elsewhere under the name `''`). Compile-time claims
 * about the contract's types become assertions a test can make and that can fail.
 */
export function typeErrors(snippets: Record<string, string>): Record<string, TypeError_[]> {
  const byFile = new Map(
    Object.entries(snippets).map(([name, source], i) => [
      join(PACKAGE, 'test', `__snippet_${i}__.ts`),
      { name, source },
    ]),
  );
  const host = ts.createCompilerHost(compilerOptions());
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, language, onError, shouldCreate) => {
    const snippet = byFile.get(file);
    if (snippet) return ts.createSourceFile(file, snippet.source, language);
    if (!parsed.has(file)) parsed.set(file, getSourceFile(file, language, onError, shouldCreate));
    return parsed.get(file);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (file) => byFile.has(file) || fileExists(file);
  const program = ts.createProgram({
    rootNames: [...byFile.keys()],
    options: compilerOptions(),
    host,
  });
  const errors: Record<string, TypeError_[]> = Object.fromEntries(
    ['', ...Object.keys(snippets)].map((name) => [name, []]),
  );
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const snippet = d.file ? byFile.get(d.file.fileName) : undefined;
    errors[snippet?.name ?? '']!.push({
      line:
        d.file && d.start !== undefined
          ? d.file.getLineAndCharacterOfPosition(d.start).line + 1
          : 0,
      code: d.code,
      message: `${d.file && !snippet ? `${d.file.fileName}: ` : ''}${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`,
    });
  }
  return errors;
}
