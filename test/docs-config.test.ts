import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ENVIRONMENT_VARIABLES } from '../src/config.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

/** Names in the first column of the docs table whose header starts with `| variable |`. */
function documentedVariables(markdown: string): string[] {
  const lines = markdown.split('\n');
  const header = lines.findIndex((line) => /^\|\s*variable\s*\|/.test(line));
  assert.notEqual(header, -1, 'docs/operations.md has no table whose first column is "variable"');
  const names: string[] = [];
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    const firstCell = line.split('|')[1] ?? '';
    names.push(...[...firstCell.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((match) => String(match[1])));
  }
  return names;
}

/** Variables src/config.ts reads: `env.NAME`, `env['NAME']` and helper calls such as `integer(env, 'NAME', ...)`. */
function variablesReadByConfig(source: string): string[] {
  const code = source.replace(/export const ENVIRONMENT_VARIABLES = \[[^\]]*\]/, '');
  const patterns = [/\benv\.([A-Z][A-Z0-9_]*)/g, /\benv\[\s*'([A-Z][A-Z0-9_]*)'\s*\]/g, /\(\s*env\s*,\s*'([A-Z][A-Z0-9_]*)'/g];
  return [...new Set(patterns.flatMap((pattern) => [...code.matchAll(pattern)].map((match) => String(match[1]))))];
}

const missingFrom = (names: readonly string[], from: readonly string[]) => names.filter((name) => !from.includes(name));

describe('docs/operations.md configuration table', () => {
  test('ENVIRONMENT_VARIABLES lists exactly what src/config.ts reads', () => {
    const readByConfig = variablesReadByConfig(read('src/config.ts'));
    assert.deepEqual(
      missingFrom(readByConfig, ENVIRONMENT_VARIABLES),
      [],
      'read by src/config.ts but missing from ENVIRONMENT_VARIABLES',
    );
    assert.deepEqual(
      missingFrom(ENVIRONMENT_VARIABLES, readByConfig),
      [],
      'in ENVIRONMENT_VARIABLES but never read by src/config.ts',
    );
  });

  test('documents every variable src/config.ts reads, and no other', () => {
    const documented = documentedVariables(read('docs/operations.md'));
    assert.deepEqual(
      missingFrom(ENVIRONMENT_VARIABLES, documented),
      [],
      'read by src/config.ts but missing from the table in docs/operations.md',
    );
    assert.deepEqual(
      missingFrom(documented, ENVIRONMENT_VARIABLES),
      [],
      'in the table in docs/operations.md but not read by src/config.ts',
    );
  });
});

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function anchors(markdown: string): Set<string> {
  const withoutCode = markdown.replace(/```[\s\S]*?```/g, '');
  const headings = [...withoutCode.matchAll(/^#{1,6}\s+(.+)$/gm)].map((match) => String(match[1]));
  return new Set(
    headings.map((heading) =>
      heading
        .toLowerCase()
        .replace(/[^\p{L}\p{N} _-]/gu, '')
        .replace(/ /g, '-'),
    ),
  );
}

const markdownFiles = [
  'README.md',
  'DEVELOPERS.md',
  ...readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

describe('relative links in README.md, DEVELOPERS.md and docs/', () => {
  for (const file of markdownFiles) {
    test(`${file}: every relative link and anchor resolves`, () => {
      const markdown = read(file)
        .replace(/```[\s\S]*?```/g, '')
        .replace(/`[^`\n]*`/g, '');
      const broken: string[] = [];
      for (const [, target = ''] of markdown.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/i.test(target)) continue;
        const [path = '', anchor] = target.split('#');
        const linked = path === '' ? join(root, file) : resolve(join(root, dirname(file)), path);
        if (!existsSync(linked)) {
          broken.push(`${target} (no file ${relative(root, linked)})`);
        } else if (anchor !== undefined && linked.endsWith('.md') && !anchors(readFileSync(linked, 'utf8')).has(anchor)) {
          broken.push(`${target} (no heading #${anchor} in ${relative(root, linked)})`);
        }
      }
      assert.deepEqual(broken, [], `broken links in ${file}`);
    });
  }
});
