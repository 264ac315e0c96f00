// Writes the web app's API types (web/src/api-types.gen.ts) from the app's own OpenAPI document; with
// --check, regenerates in memory and fails when the committed file differs (CI runs that).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';

const OUTPUT = fileURLToPath(new URL('../web/src/api-types.gen.ts', import.meta.url));
const GENERATE_COMMAND = 'npm run generate:api-types';

const HEADER = `// Generated from the API's OpenAPI document by \`${GENERATE_COMMAND}\` (scripts/generate-api-types.ts).
// Do not edit: change the route schemas and run the command again.

`;

/** The document GET /openapi.json serves, built in-process from a throwaway database. */
async function openApiDocument(): Promise<OpenAPI3> {
  const dir = mkdtempSync(join(tmpdir(), 'tapioca-openapi-'));
  try {
    // Only the keys this script passes: the document must not depend on the caller's environment.
    const config = loadConfig({ DATABASE_URL: `sqlite:${join(dir, 'tapioca.db')}`, DEMO_PARTICIPANTS: '0', LOG_LEVEL: 'silent' });
    const app = await buildApp(config, { announceAdminKey: () => {} });
    try {
      await app.ready();
      return app.swagger() as OpenAPI3;
    } finally {
      await app.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function renderApiTypes(): Promise<string> {
  const ast = await openapiTS(await openApiDocument(), { silent: true });
  return HEADER + astToString(ast);
}

const rendered = await renderApiTypes();
const shownPath = relative(process.cwd(), OUTPUT);
if (process.argv.includes('--check')) {
  let committed: string | undefined;
  try {
    committed = readFileSync(OUTPUT, 'utf8');
  } catch {
    committed = undefined;
  }
  if (committed !== rendered) {
    console.error(
      `${shownPath} ${committed === undefined ? 'is missing' : 'is out of date with the API schemas'}. ` +
        `Run \`${GENERATE_COMMAND}\` and commit the result.`,
    );
    process.exit(1);
  }
  console.log(`${shownPath} is up to date.`);
} else {
  writeFileSync(OUTPUT, rendered);
  console.log(`Wrote ${shownPath}.`);
}
