// @ts-check
// Type-checking in a test's own process, shared by the packages' tests that build TypeScript
// programs (conformance's lockstep checks, tools' consumer projects).
import ts from 'typescript';

/**
 * The tsconfig at `configPath`, parsed; throws with TypeScript's message when it cannot be read.
 * @param {string} configPath
 * @returns {import('typescript').ParsedCommandLine}
 */
export function parseTsconfig(configPath) {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    configPath,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (!parsed) throw new Error(`cannot read ${configPath}`);
  return parsed;
}

/**
 * Makes `host` parse each file that `shared` accepts once for every program built with the same
 * `cache`: parsing depends only on the file and the language settings (both in the key); each
 * program still binds and checks on its own.
 * @param {import('typescript').CompilerHost} host
 * @param {Map<string, import('typescript').SourceFile | undefined>} cache
 * @param {(fileName: string) => boolean} [shared]
 */
export function shareParsedFiles(host, cache, shared = () => true) {
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, language, onError, shouldCreate) => {
    if (!shared(fileName)) return getSourceFile(fileName, language, onError, shouldCreate);
    const key = `${fileName}\0${JSON.stringify(language)}`;
    if (!cache.has(key)) cache.set(key, getSourceFile(fileName, language, onError, shouldCreate));
    return cache.get(key);
  };
}
