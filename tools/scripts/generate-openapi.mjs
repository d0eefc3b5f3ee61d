// @ts-check
/**
 * Writes the OpenAPI 3.1 document generated from the ts-rest contract to
 * packages/contracts/openapi.json. Run `npm run openapi` after changing the contract; the
 * contracts tests fail while the committed file is stale.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildOpenApiDocument } from '@eggapi/contracts';

const target = fileURLToPath(new URL('../../packages/contracts/openapi.json', import.meta.url));
writeFileSync(target, `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`);
console.log(`wrote ${target}`);
