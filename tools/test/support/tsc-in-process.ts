import { dirname } from 'node:path';
import ts from 'typescript';
import { parseTsconfig, shareParsedFiles } from '../../../test-support/typescript.mjs';

/** TypeScript's own lib.*.d.ts: the same files for every program this test file builds. */
const LIB_DIR = dirname(ts.getDefaultLibFilePath({}));
const libFiles = new Map<string, ts.SourceFile | undefined>();

/**
 * What `tsc -p <configPath> --pretty false` prints, as lines (paths relative to the config's
 * directory), from a program built in this process. TypeScript's lib files are parsed once for
 * every program (they never change and parse the same way); everything else is each program's own.
 */
export function tscErrorLines(configPath: string): string[] {
  const dir = dirname(configPath);
  const config = parseTsconfig(configPath);
  const host = ts.createCompilerHost(config.options);
  shareParsedFiles(host, libFiles, (fileName) => fileName.startsWith(`${LIB_DIR}/`));
  const program = ts.createProgram({
    rootNames: config.fileNames,
    options: config.options,
    host,
    configFileParsingDiagnostics: config.errors,
  });
  const text = ts.formatDiagnostics(ts.getPreEmitDiagnostics(program), {
    getCanonicalFileName: (name) => name,
    getCurrentDirectory: () => dir,
    getNewLine: () => '\n',
  });
  return text.split('\n').filter((line) => line.trim() !== '');
}
