#!/usr/bin/env node
// @ts-check
/**
 * `check`: the `typecheck` and `lint` of the workspace's projects in one process, each TypeScript
 * program built once.
 *
 * Run separately, `tsc -p tsconfig.json` and ESLint's type-aware rules each parse, bind and
 * check the same files. Here every `tsc -p <config>` of the project's `typecheck` script becomes
 * one program; its diagnostics are reported as tsc reports them, then ESLint lints the project
 * (`eslint .`, the same configuration) with the programs of the `tsconfig.json` files (the ones
 * ESLint's project service would pick) as its type information, on an already warm checker.
 *
 * A project's `tsconfig.json` reaches the other workspace packages' sources (the `@eggapi/source`
 * condition), so tsc would check each package's source again in every project that imports it.
 * Here each file is type-checked once, by its own project under that project's settings, as
 * with TypeScript's project references: in a project's `tsconfig.json` program, the files of
 * another workspace project get syntax errors only (their types are that project's check's). A
 * project's other configs (the proofs that an entry runs without Node, the console's) still
 * report every file they reach: that is what they prove. So `npm run typecheck` (tsc per config)
 * can report more: another project's file under the importer's settings (e.g. without the DOM
 * library that project's own `tsconfig.json` has).
 *
 * The projects are checked one after another in this one process (the root's `npm run check`,
 * Nx's `check` target): a process per project spent more time loading and warming up TypeScript
 * and ESLint than checking (the 8 projects: about 105 s of CPU in 8 processes, 55 s in one).
 *
 * Usage: `node tools/scripts/check.mjs [project-dir …]`; without one, every project of the
 * workspace when run at its root (the `workspaces` of its `package.json`), else the project in the
 * current directory. Exits 1 on any type error or lint error, 2 when a project cannot be checked
 * (no `typecheck` script naming `tsc -p <config>`, an unreadable config); the other projects are
 * checked all the same.
 */
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Thrown for a project this script cannot check: exit 2, not a failed check. */
export class CheckUsageError extends Error {}

/**
 * The tsconfig files a project's `typecheck` script compiles: every `tsc -p <config>` (or
 * `--project`) in it, in order, relative to the project.
 * @param {string} projectDir
 * @returns {string[]}
 */
export function typecheckConfigs(projectDir) {
  const manifestPath = resolve(projectDir, 'package.json');
  /** @type {{ scripts?: Record<string, string> }} */
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch (error) {
    throw new CheckUsageError(
      `cannot read ${manifestPath}: ${/** @type {Error} */ (error).message}`,
    );
  }
  const script = manifest.scripts?.typecheck;
  if (typeof script !== 'string') {
    throw new CheckUsageError(`${manifestPath} has no "typecheck" script to take the configs from`);
  }
  const configs = [...script.matchAll(/\btsc\s+(?:[^&|;]*?\s)?(?:-p|--project)\s+(\S+)/g)].map(
    (match) => /** @type {string} */ (match[1]),
  );
  if (configs.length === 0) {
    throw new CheckUsageError(
      `the "typecheck" script of ${manifestPath} runs no "tsc -p <config>"`,
    );
  }
  return configs;
}

/**
 * The directories of the workspace's projects (its root `package.json`'s `workspaces`: plain
 * directories and `dir/*` patterns), found from any directory inside it; none outside a workspace.
 * @param {string} fromDir
 * @returns {string[]}
 */
export function workspaceProjectDirs(fromDir) {
  for (let dir = resolve(fromDir); ; dir = dirname(dir)) {
    const manifestPath = join(dir, 'package.json');
    /** @type {{ workspaces?: unknown }} */
    const manifest = existsSync(manifestPath) ? JSON.parse(readFileSync(manifestPath, 'utf8')) : {};
    if (Array.isArray(manifest.workspaces)) {
      return manifest.workspaces
        .filter((pattern) => typeof pattern === 'string')
        .flatMap((pattern) =>
          pattern.endsWith('/*')
            ? readdirSync(join(dir, pattern.slice(0, -2)), { withFileTypes: true })
                .filter((entry) => entry.isDirectory())
                .map((entry) => join(dir, pattern.slice(0, -2), entry.name))
            : [join(dir, pattern)],
        )
        .filter((projectDir) => existsSync(join(projectDir, 'package.json')));
    }
    if (dirname(dir) === dir) return [];
  }
}

/**
 * The diagnostics tsc reports for `program`, except the semantic and declaration ones of files
 * for which `isOwn` is false (they keep their syntax errors).
 * @param {typeof import('typescript')} ts
 * @param {import('typescript').Program} program
 * @param {(fileName: string) => boolean} isOwn
 */
function diagnosticsOfOwnFiles(ts, program, isOwn) {
  const files = program.getSourceFiles();
  const own = files.filter((file) => isOwn(file.fileName));
  const diagnostics = [
    ...program.getConfigFileParsingDiagnostics(),
    ...program.getOptionsDiagnostics(),
    ...files.flatMap((file) => program.getSyntacticDiagnostics(file)),
    ...program.getGlobalDiagnostics(),
    ...own.flatMap((file) => program.getSemanticDiagnostics(file)),
  ];
  // As tsc --noEmit does when the options emit declarations.
  if (program.getCompilerOptions().declaration || program.getCompilerOptions().composite) {
    diagnostics.push(...own.flatMap((file) => program.getDeclarationDiagnostics(file)));
  }
  return ts.sortAndDeduplicateDiagnostics(diagnostics);
}

/**
 * The files parsed in one run, shared by the programs of every project it checks: the other
 * packages' sources, Node's and the libraries' declarations, TypeScript's libs are each parsed
 * (and bound) once instead of once per project. As with TypeScript's own document registry,
 * only programs whose settings parse a file the same way share it (the registry's key for the
 * settings is part of the key). Files do not change during a run.
 */
export class ParsedFiles {
  /** @type {Map<string, import('typescript').SourceFile | undefined>} */
  #files = new Map();
  #reused = 0;

  /** How many times a program got a file another program had parsed. */
  get reused() {
    return this.#reused;
  }

  /**
   * Makes `host` take its source files from this cache.
   * @param {typeof import('typescript')} ts
   * @param {import('typescript').CompilerHost} host
   * @param {import('typescript').CompilerOptions} options
   */
  share(ts, host, options) {
    const settings = ts.createDocumentRegistry().getKeyForCompilationSettings(options);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (fileName, language, onError, shouldCreate) => {
      // What else decides the parse: the language version, the module format the file is in
      // (ESM or CommonJS, from its package.json) and how much JSDoc is parsed.
      const { languageVersion, impliedNodeFormat, jsDocParsingMode } =
        typeof language === 'object' ? language : { languageVersion: language };
      const key = [settings, languageVersion, impliedNodeFormat, jsDocParsingMode, fileName].join(
        '\0',
      );
      if (this.#files.has(key)) {
        this.#reused += 1;
      } else {
        this.#files.set(key, getSourceFile(fileName, language, onError, shouldCreate));
      }
      return this.#files.get(key);
    };
  }
}

/**
 * @typedef {object} CheckResult
 * @property {number} typeErrors type-check diagnostics of category error, over every config
 * @property {number} lintErrors ESLint errors, fatal ones (unparsable files) included
 * @property {number} lintWarnings
 * @property {string} output everything to print, as tsc and ESLint's stylish format print it
 */

/**
 * Type-checks and lints the project in `projectDir`. Never throws for problems in the code; only
 * {@link CheckUsageError} for a project that cannot be checked.
 * `otherProjects` (default: the workspace's other projects) are the directories whose files a
 * `tsconfig.json` program leaves to their own check. `parsedFiles`, given to every project of one
 * run, lets their programs share what they parse (see {@link ParsedFiles}).
 * @param {string} projectDir
 * @param {{ color?: boolean, otherProjects?: string[], parsedFiles?: ParsedFiles }} [options]
 * @returns {Promise<CheckResult>}
 */
export async function checkProject(projectDir, options = {}) {
  const configs = typecheckConfigs(resolve(projectDir));
  // Real paths: TypeScript names the files it resolves by theirs.
  const realPath = (/** @type {string} */ path) =>
    existsSync(path) ? realpathSync(path) : resolve(path);
  const dir = realPath(projectDir);
  const others = (options.otherProjects ?? workspaceProjectDirs(dir))
    .map(realPath)
    .filter((other) => other !== dir && !dir.startsWith(other + sep))
    .map((other) => other + sep);
  const isOwn = (/** @type {string} */ fileName) => {
    const file = resolve(fileName);
    return file.includes(`${sep}node_modules${sep}`) || !others.some((o) => file.startsWith(o));
  };
  // Loaded here, not at the top: a usage error answers without loading either.
  const { default: ts } = await import('typescript');
  const { ESLint } = await import('eslint');

  const formatHost = {
    getCanonicalFileName: (/** @type {string} */ name) => name,
    getCurrentDirectory: () => dir,
    getNewLine: () => '\n',
  };
  const format = (/** @type {readonly import('typescript').Diagnostic[]} */ diagnostics) =>
    options.color
      ? ts.formatDiagnosticsWithColorAndContext(diagnostics, formatHost)
      : ts.formatDiagnostics(diagnostics, formatHost);

  const parsedFiles = options.parsedFiles ?? new ParsedFiles();
  let output = '';
  let typeErrors = 0;
  /** @type {import('typescript').Program[]} */
  const lintPrograms = [];
  for (const config of configs) {
    const configPath = resolve(dir, config);
    /** @type {import('typescript').Diagnostic[]} */
    const configErrors = [];
    const parsed = ts.getParsedCommandLineOfConfigFile(
      configPath,
      { noEmit: true },
      { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => configErrors.push(d) },
    );
    if (!parsed) {
      throw new CheckUsageError(`cannot read ${configPath}:\n${format(configErrors)}`);
    }
    const host = ts.createCompilerHost(parsed.options);
    parsedFiles.share(ts, host, parsed.options);
    const program = ts.createProgram({
      host,
      rootNames: parsed.fileNames,
      options: parsed.options,
      projectReferences: parsed.projectReferences,
      configFileParsingDiagnostics: parsed.errors,
    });
    // Only the project's own tsconfig.json leaves other projects' files to their own one (as
    // project references would: each file type-checked once, under its project's settings). A
    // nested one (the console's) or a proof config checks everything it reaches.
    const reported =
      configPath === join(dir, 'tsconfig.json')
        ? diagnosticsOfOwnFiles(ts, program, isOwn)
        : ts.getPreEmitDiagnostics(program);
    const diagnostics = [...parsed.errors, ...reported.filter((d) => !parsed.errors.includes(d))];
    const errors = diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error);
    typeErrors += errors.length;
    if (diagnostics.length > 0) output += format(diagnostics);
    if (basename(configPath) === 'tsconfig.json') lintPrograms.push(program);
  }

  const eslint = new ESLint({
    cwd: dir,
    overrideConfig:
      lintPrograms.length === 0
        ? []
        : [
            {
              // What the project service would build for these files, built once above. A
              // TypeScript file in none of them fails to parse, as it does with the service.
              files: ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'],
              languageOptions: { parserOptions: { programs: lintPrograms, projectService: false } },
            },
          ],
  });
  const results = await eslint.lintFiles(['.']);
  const stylish = await eslint.loadFormatter('stylish');
  output += await stylish.format(results);
  const lintErrors = results.reduce((sum, r) => sum + r.errorCount, 0);
  const lintWarnings = results.reduce((sum, r) => sum + r.warningCount, 0);
  return { typeErrors, lintErrors, lintWarnings, output };
}

/**
 * The projects to check when none is named: the workspace's when `cwd` is its root, else `cwd`.
 * @param {string} cwd
 * @returns {string[]}
 */
export function defaultProjects(cwd) {
  const manifestPath = join(cwd, 'package.json');
  const manifest = existsSync(manifestPath) ? JSON.parse(readFileSync(manifestPath, 'utf8')) : {};
  return Array.isArray(manifest.workspaces) ? workspaceProjectDirs(cwd) : [cwd];
}

/** @param {string[]} argv */
async function main(argv) {
  const projectDirs = argv.length > 0 ? argv : defaultProjects(process.cwd());
  const totals = { typeErrors: 0, lintErrors: 0, unchecked: 0 };
  const parsedFiles = new ParsedFiles();
  const runStarted = performance.now();
  const seconds = (/** @type {number} */ since) => ((performance.now() - since) / 1000).toFixed(1);
  for (const projectDir of projectDirs) {
    const where = relative(process.cwd(), resolve(projectDir)) || '.';
    const started = performance.now();
    try {
      const result = await checkProject(projectDir, {
        color: process.stdout.isTTY === true,
        parsedFiles,
      });
      process.stdout.write(result.output);
      console.log(
        `check ${where}: ${result.typeErrors} type error(s), ${result.lintErrors} lint error(s), ` +
          `${result.lintWarnings} warning(s) in ${seconds(started)} s`,
      );
      totals.typeErrors += result.typeErrors;
      totals.lintErrors += result.lintErrors;
    } catch (error) {
      // Not only a usage error: whatever stops one project leaves the others to be checked.
      const reason =
        error instanceof CheckUsageError
          ? error.message
          : `could not be checked: ${/** @type {Error} */ (error).stack ?? String(error)}`;
      console.error(`check ${where}: ${reason}`);
      totals.unchecked += 1;
    }
  }
  if (projectDirs.length > 1) {
    console.log(
      `check: ${projectDirs.length} projects, ${totals.typeErrors} type error(s), ` +
        `${totals.lintErrors} lint error(s)` +
        (totals.unchecked > 0 ? `, ${totals.unchecked} not checked` : '') +
        ` in ${seconds(runStarted)} s`,
    );
  }
  process.exitCode = totals.unchecked > 0 ? 2 : totals.typeErrors + totals.lintErrors > 0 ? 1 : 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href)
  await main(process.argv.slice(2));
