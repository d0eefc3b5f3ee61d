import type { ConformanceReport } from '../report.js';

const ENTITIES: Record<string, string> = {
  '<': '&lt;',
  '>': '&gt;',
  '&': '&amp;',
  '"': '&quot;',
  "'": '&apos;',
  // Kept in attributes, where a parser would turn a raw line break into a space.
  '\n': '&#10;',
};
const escape = (text: string) => text.replace(/[<>&"'\n]/g, (c) => ENTITIES[c]!);

/** JUnit XML, one testcase per check, for CI dashboards. */
export function junitReport(report: ConformanceReport): string {
  const cases = report.results.map((r) => {
    const open = `    <testcase classname="eggapi.conformance" name="${escape(`${r.id}: ${r.description}`)}" time="${(r.durationMs / 1000).toFixed(3)}"`;
    if (r.status === 'passed') return `${open}/>`;
    const inner =
      r.status === 'failed'
        ? `<failure message="${escape(r.message ?? 'failed')}"/>`
        : `<skipped message="${escape(r.message ?? 'skipped')}"/>`;
    return `${open}>\n      ${inner}\n    </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="eggapi-conformance" tests="${report.results.length}" failures="${report.failed}" skipped="${report.skipped}" time="${(report.durationMs / 1000).toFixed(3)}">`,
    `  <testsuite name="${escape(report.baseUrl)}" tests="${report.results.length}" failures="${report.failed}" skipped="${report.skipped}" timestamp="${report.startedAt}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
