import { readFileSync } from 'node:fs';
import spectralCore, { type RulesetDefinition } from '@stoplight/spectral-core';
import spectralParsers from '@stoplight/spectral-parsers';
import spectralRulesets from '@stoplight/spectral-rulesets';
import { describe, expect, it } from 'vitest';

// CommonJS packages: their named exports are only reachable through the default import in ESM.
const { Document, Spectral } = spectralCore;
const { Json } = spectralParsers;
const { oas } = spectralRulesets;

const COMMITTED = new URL('../openapi.json', import.meta.url);

/** Spectral's `spectral:oas` ruleset (its recommended rules) over `text`, in process. */
async function lint(text: string): Promise<string[]> {
  const spectral = new Spectral();
  // spectral-rulesets declares `oas` with types spectral-core's RulesetDefinition does not take
  // (its rule functions' option types); the object itself is the ruleset as Spectral's CLI uses it.
  spectral.setRuleset(oas as unknown as RulesetDefinition);
  const results = await spectral.run(new Document(text, Json, 'openapi.json'));
  return results.map((r) => `${String(r.code)} at ${r.path.join('.')}: ${r.message}`);
}

describe("Spectral's spectral:oas ruleset", () => {
  it('finds nothing in the committed openapi.json', async () => {
    expect(await lint(readFileSync(COMMITTED, 'utf8'))).toEqual([]);
  });

  it('reports a document without a contact and an operation without tags (the check can fail)', async () => {
    const doc = JSON.parse(readFileSync(COMMITTED, 'utf8')) as {
      info: { contact?: unknown };
      paths: Record<string, Record<string, { tags?: string[] }>>;
    };
    delete doc.info.contact;
    delete doc.paths['/v1/usage']!.get!.tags;
    const problems = await lint(JSON.stringify(doc));
    expect(problems.map((p) => p.split(' at ')[0]).sort()).toEqual([
      'info-contact',
      'operation-tags',
    ]);
  });
});
