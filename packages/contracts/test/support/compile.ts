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
 * Type-checks `source` as if it were a file of this package's test/ folder (its tsconfig.json,
 * imports resolved as the tests resolve them), and returns its errors. Compile-time claims about
 * the contract's types become assertions a test can make and that can fail.
 */
export function typeErrors(source: string): TypeError_[] {
  const file = join(PACKAGE, 'test', '__snippet__.ts');
  const host = ts.createCompilerHost(compilerOptions());
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, onError, shouldCreate) => {
    if (name === file) return ts.createSourceFile(name, source, language);
    if (!parsed.has(name)) parsed.set(name, getSourceFile(name, language, onError, shouldCreate));
    return parsed.get(name);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === file || fileExists(name);
  const program = ts.createProgram({ rootNames: [file], options: compilerOptions(), host });
  return ts.getPreEmitDiagnostics(program).map((d) => ({
    line:
      d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0,
    code: d.code,
    message: `${d.file ? `${d.file.fileName === file ? 'snippet' : d.file.fileName}: ` : ''}${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`,
  }));
}
