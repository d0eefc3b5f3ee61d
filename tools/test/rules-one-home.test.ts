import { readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT, workspacePackages } from './support/workspace.js';

/**
 * Rules have one home: the task-id rule, the id prefixes and the header names live in
 * @eggapi/contracts, and every other package imports them. This test reads the string, template
 * and regular-expression literals (not the comments) of every package's own source and names
 * each literal that types one of those rules again. Tests are not read: they may, and should,
 * spell out the values on the wire.
 */

/** The one package allowed to spell the rules out. */
const HOME = 'packages/contracts';

const SOURCE_EXTENSIONS = new Set(['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs', '.jsx']);
const NOT_SOURCE_DIRS = new Set(['node_modules', 'dist', 'test', 'tests', 'bench', 'coverage']);
const NOT_SOURCE_FILE = /\.(?:test|spec|bench)\.[cm]?[jt]sx?$|\.d\.[cm]?ts$/;

interface Literal {
  kind: 'string' | 'template-head' | 'template-part' | 'regexp';
  text: string;
  line: number;
}

interface Rule {
  name: string;
  home: string;
  matches: (literal: Literal) => boolean;
}

const PREFIX = /(?:gen|whd|usage)_/;

const RULES: Rule[] = [
  {
    name: 'a header name',
    home: 'REQUEST_ID_HEADER, IDEMPOTENT_REPLAYED_HEADER, MOCK_*_HEADER, WEBHOOK_*_HEADER',
    // Not `Idempotency-Key`: error messages name it in prose (IDEMPOTENCY_KEY_HEADER is its home).
    matches: ({ text }) =>
      /idempotent-replayed|x-eggapi-(?:mock-|timestamp|signature)|x-request-id/i.test(text),
  },
  {
    name: 'an id prefix',
    home: 'TASK_ID_PREFIX, USAGE_RECORD_ID_PREFIX, WEBHOOK_DELIVERY_ID_PREFIX',
    matches: ({ kind, text }) =>
      // 'gen_' itself, `gen_${…}` (minting), /^gen_/ (taking one apart).
      (kind === 'string' && new RegExp(`^${PREFIX.source}$`).test(text)) ||
      (kind === 'template-head' && new RegExp(`(?:^|[^\\w])${PREFIX.source}$`).test(text)) ||
      (kind === 'regexp' && PREFIX.test(text)),
  },
  {
    name: 'the task-id rule',
    home: 'TaskIdSchema, isTaskId',
    // A character class with the URL-unreserved `._~`, as in /^[A-Za-z0-9._~-]+$/.
    matches: ({ text }) => /\[[^\]]*\._~[^\]]*\]/.test(text),
  },
];

function scriptKind(file: string): ts.ScriptKind {
  const ext = extname(file);
  if (ext === '.tsx') return ts.ScriptKind.TSX;
  if (ext === '.jsx') return ts.ScriptKind.JSX;
  if (ext === '.js' || ext === '.mjs' || ext === '.cjs') return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

/** The string, template and regular-expression literals of a source file, with their lines. */
function literalsOf(fileName: string, code: string): Literal[] {
  const source = ts.createSourceFile(
    fileName,
    code,
    ts.ScriptTarget.Latest,
    true,
    scriptKind(fileName),
  );
  const found: Literal[] = [];
  const add = (node: ts.LiteralLikeNode, kind: Literal['kind']) =>
    found.push({
      kind,
      text: node.text,
      line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1,
    });
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) add(node, 'string');
    else if (ts.isTemplateHead(node)) add(node, 'template-head');
    else if (ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) add(node, 'template-part');
    else if (ts.isRegularExpressionLiteral(node)) add(node, 'regexp');
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Each literal of `code` that re-types a rule, as `file:line: what (use …): literal`. */
function copiesIn(fileName: string, code: string): string[] {
  return literalsOf(fileName, code).flatMap((literal) =>
    RULES.filter((rule) => rule.matches(literal)).map(
      (rule) =>
        `${fileName}:${literal.line}: ${rule.name} (import ${rule.home} from @eggapi/contracts): ` +
        JSON.stringify(literal.text),
    ),
  );
}

/** The source files of a package directory: no tests, benches, build output or dependencies. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return NOT_SOURCE_DIRS.has(entry.name) ? [] : sourceFiles(path);
    return entry.isFile() &&
      SOURCE_EXTENSIONS.has(extname(entry.name)) &&
      !NOT_SOURCE_FILE.test(entry.name)
      ? [path]
      : [];
  });
}

describe('rules that live in @eggapi/contracts', () => {
  const packages = workspacePackages()
    .map(({ dir }) => relative(ROOT, dir).split('\\').join('/'))
    .filter((dir) => dir !== HOME);

  it('reads the source of every other workspace package', () => {
    expect(packages).toEqual(
      expect.arrayContaining(['packages/client', 'packages/cli', 'apps/mock-server']),
    );
    expect(packages).not.toContain(HOME);
  });

  it('are typed nowhere else: every other package imports them', () => {
    const copies = packages.flatMap((dir) =>
      sourceFiles(join(ROOT, dir)).flatMap((file) =>
        copiesIn(relative(ROOT, file).split('\\').join('/'), readFileSync(file, 'utf8')),
      ),
    );
    expect(copies).toEqual([]);
  });

  it('finds each kind of copy, and not the same words in comments or other strings', () => {
    const code = [
      "res.setHeader('Idempotent-Replayed', 'true');",
      "const FAULT = 'x-eggapi-mock-fault';",
      "headers.set('X-EggAPI-Mock-Fault-Injected', kind);",
      "req.headers['x-request-id'];",
      'const id = `gen_${token}`;',
      'const usage = `usage_${id.replace(/^gen_/, "")}`;',
      "const prefix = 'whd_';",
      'const TASK_ID = /^[A-Za-z0-9._~-]+$/;',
      "const ID = new RegExp('^[-._~A-Za-z0-9]+$');",
      "type Signed = { 'X-EggAPI-Signature': string };",
      '// Idempotent-Replayed, x-eggapi-mock-fault, `gen_${x}` and /^[A-Za-z0-9._~-]+$/ in a comment',
      '/** A task id is `gen_` + letters; see X-EggAPI-Mock-Scenario. */',
      "const probe = '/v1/tasks/gen_conformance_probe';",
      'const missing = `/v1/tasks/gen_conformance_missing_${Date.now()}`;',
      "const message = 'letters, digits and -._~, not . or ..';",
      "const generation = 'regen_';",
    ].join('\n');
    expect(copiesIn('sample.ts', code).map((copy) => copy.split(' (')[0])).toEqual([
      'sample.ts:1: a header name',
      'sample.ts:2: a header name',
      'sample.ts:3: a header name',
      'sample.ts:4: a header name',
      'sample.ts:5: an id prefix',
      'sample.ts:6: an id prefix',
      'sample.ts:6: an id prefix',
      'sample.ts:7: an id prefix',
      'sample.ts:8: the task-id rule',
      'sample.ts:9: the task-id rule',
      'sample.ts:10: a header name',
    ]);
  });
});
