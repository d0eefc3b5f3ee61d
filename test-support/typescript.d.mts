import type { CompilerHost, ParsedCommandLine, SourceFile } from 'typescript';

/** The tsconfig at `configPath`, parsed; throws with TypeScript's message when it cannot be read. */
export declare function parseTsconfig(configPath: string): ParsedCommandLine;

/**
 * Makes `host` parse each file that `shared` accepts once for every program built with the same
 * `cache`: parsing depends only on the file and the language settings (both in the key); each
 * program still binds and checks on its own.
 */
export declare function shareParsedFiles(
  host: CompilerHost,
  cache: Map<string, SourceFile | undefined>,
  shared?: (fileName: string) => boolean,
): void;
