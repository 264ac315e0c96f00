import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SCAN_REFUSALS } from '../src/shared/checkpoint-rules.js';
import { ERROR_CODES } from '../src/errors.js';
import { BACKENDS, manualClock, sampleParticipant, startTestApp, TEST_ADMIN_KEY, type TestApp } from './helpers.js';

const SOURCE_ROOT = fileURLToPath(new URL('../src/', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

/**
 * Where a code is written as a literal: the DomainError factories, the send helpers and the `x-code` schema
 * keyword. TypeScript checks the calls already; `x-code` sits in a schema object it cannot check.
 */
const CODE_POSITIONS = [
  /\b(?:rejected|notFound|errorBody)\(\s*'([^']*)'/g,
  /\bsendError\(.*?,\s*\d{3},\s*'([^']*)'/g,
  /'x-code':\s*'([^']*)'/g,
];

describe('error codes in the source', () => {
  const files = sourceFiles(SOURCE_ROOT).map((path) => ({ path: relative(SOURCE_ROOT, path), text: readFileSync(path, 'utf8') }));
  const listed = new Set<string>(ERROR_CODES);

  test('every code written at a throw or send site is listed in ERROR_CODES', () => {
    const found = files.flatMap(({ path, text }) =>
      CODE_POSITIONS.flatMap((pattern) => [...text.matchAll(pattern)].map((match) => ({ path, code: match[1]! }))),
    );
    assert.ok(found.length > 20, `only ${found.length} code sites found: did the patterns go stale?`);
    assert.deepEqual(
      found.filter(({ code }) => !listed.has(code)),
      [],
    );
  });

  test('every listed code is used somewhere in the source (no dead codes)', () => {
    const elsewhere = files.filter(({ path }) => path !== 'errors.ts').map(({ text }) => text);
    const unused = ERROR_CODES.filter((code) => !elsewhere.some((text) => text.includes(`'${code}'`)));
    assert.deepEqual(unused, []);
  });

  test('the codes are unique snake_case words', () => {
    assert.equal(listed.size, ERROR_CODES.length);
    for (const code of ERROR_CODES) assert.match(code, /^[a-z]+(_[a-z]+)*$/);
  });
});

for (const backend of BACKENDS) {
  describe(`error responses carry their code (${backend.name})`, { skip: backend.skip }, () => {
    let api: TestApp;
    const clock = manualClock();
    const ids: number[] = [];

    const expectError = async (
      response: Promise<{ status: number; body: unknown }>,
      status: number,
      code: string,
      error: string,
    ) => {
      const res = await response;
      assert.deepEqual([res.status, res.body], [status, { error, code }]);
    };
    const raw = async (method: string, url: string, payload: string, contentType: string) => {
      const res = await api.app.inject({
        method: method as 'POST',
        url,
        payload,
        headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': contentType },
      });
      return { status: res.statusCode, body: res.json<unknown>() };
    };

    before(async () => {
      api = await startTestApp(backend.name, { BADGE_IMAGE_RATE_LIMIT: '1' }, undefined, { clock });
      for (const n of [1, 2, 3]) {
        const res = await api.inject('POST', '/register', sampleParticipant(n, []));
        ids.push(Number(Object.keys(res.body)[0]));
      }
    });
    after(() => api?.close());

    test('authentication and permissions: 401 and 403', async () => {
      await expectError(api.inject('GET', '/users', undefined, null), 401, 'authentication_required', 'Authentication required');
      await expectError(
        api.inject('GET', '/users', undefined, 'not-a-key'),
        401,
        'authentication_required',
        'Authentication required',
      );
      const [a, b] = ids as [number, number];
      const participantKey = await api.createKey('participant', a);
      // Refused by the permission table, by the ownership check, and by a service rule: all say the same.
      await expectError(api.inject('GET', '/keys', undefined, participantKey), 403, 'forbidden', 'Forbidden');
      await expectError(api.inject('GET', `/users/${b}`, undefined, participantKey), 403, 'forbidden', 'Forbidden');
      await expectError(
        api.inject('PUT', '/bbt_token_exchange', { participant_1_id: b, participant_2_id: a }, participantKey),
        403,
        'forbidden',
        'Forbidden',
      );
    });

    test('unknown routes, resources and malformed ids: 404', async () => {
      await expectError(api.inject('GET', '/no-such-route'), 404, 'not_found', 'Not found');
      await expectError(api.inject('GET', '/users/9999'), 404, 'participant_not_found', 'Participant not found');
      await expectError(api.inject('GET', '/users/abc'), 404, 'participant_not_found', 'Participant not found');
      await expectError(api.inject('GET', '/badges/no-such-badge'), 404, 'badge_not_found', 'Badge not found');
      await expectError(api.inject('DELETE', '/keys/9999'), 404, 'key_not_found', 'Key not found');
      await expectError(api.inject('DELETE', '/keys/abc'), 404, 'key_not_found', 'Key not found');
      await expectError(
        api.inject('PUT', '/boba', { order_id: 9999, status: 'Cancelled' }),
        404,
        'order_not_found',
        'Order not found',
      );
    });

    test('request shape: validation, JSON, size, media type, URL', async () => {
      await expectError(api.inject('POST', '/boba', {}), 400, 'validation_failed', 'participant_id required');
      await expectError(
        api.inject('POST', '/register', { ...sampleParticipant(9), name: 'a\u0000b' }),
        400,
        'validation_failed',
        'name must not contain NUL characters',
      );
      await expectError(raw('POST', '/register', '{"name":', 'application/json'), 400, 'malformed_json', 'Malformed JSON body');
      await expectError(
        raw('POST', '/register', JSON.stringify({ name: 'x'.repeat(2 * 1_048_576) }), 'application/json'),
        413,
        'payload_too_large',
        'Request body too large',
      );
      await expectError(
        raw('POST', '/register', 'name=x', 'text/plain'),
        415,
        'unsupported_media_type',
        'Unsupported content type: send application/json',
      );
      await expectError(api.inject('GET', `/users/${'1'.repeat(1001)}`), 414, 'url_too_long', 'URL too long');
      await expectError(api.inject('GET', '/users/%E0%A4%A'), 400, 'malformed_request', 'Malformed request URL');
    });

    test('participant and check-in rules', async () => {
      await expectError(api.inject('POST', '/register', sampleParticipant(1, [])), 400, 'email_taken', 'Email Already Exists');
      const [a] = ids as [number];
      assert.equal((await api.inject('POST', '/checkin', { participant_id: a })).status, 200);
      await expectError(api.inject('POST', '/checkin', { participant_id: a }), 400, 'already_checked_in', 'Already checked in');
    });

    test('token rules: self exchange, cooldown, pair limit, grants', async () => {
      const [a, b, c] = ids as [number, number, number];
      const exchange = (p1: number, p2: number) =>
        api.inject('PUT', '/bbt_token_exchange', { participant_1_id: p1, participant_2_id: p2 });
      await expectError(exchange(a, a), 400, 'self_exchange', 'Cannot exchange tokens with yourself');
      assert.equal((await exchange(a, b)).status, 200);
      await expectError(exchange(c, a), 400, 'cooldown', 'Participant 2 has not waited long enough to exchange tokens');
      clock.advance(5_000);
      await expectError(exchange(a, b), 400, 'pair_limit', 'These participants have already exchanged tokens');
      const grant = (tokens: unknown) => api.inject('PUT', '/bbt_token_admin_give', { participant_id: c, tokens });
      await expectError(grant(1.5), 400, 'invalid_grant', 'tokens must be a non-zero integer');
      await expectError(grant(0), 400, 'invalid_grant', 'tokens must be a non-zero integer from -1000 to 1000');
      await expectError(grant(-1), 400, 'negative_balance', 'Not enough tokens to take away');
    });

    test('boba rules: tokens, statuses, transitions', async () => {
      const [, , c] = ids as [number, number, number];
      await expectError(
        api.inject('POST', '/boba', { participant_id: c }),
        400,
        'not_enough_tokens',
        'Not enough tokens to order',
      );
      assert.equal((await api.inject('PUT', '/bbt_token_admin_give', { participant_id: c, tokens: 5 })).status, 200);
      const placed = await api.inject('POST', '/boba', { participant_id: c });
      assert.equal(placed.status, 200);
      const orderId = Number(Object.keys(placed.body)[0]);
      await expectError(
        api.inject('PUT', '/boba', { order_id: orderId, status: 'Bogus' }),
        400,
        'invalid_status',
        'Invalid status',
      );
      await expectError(api.inject('GET', '/boba?status=Lost'), 400, 'invalid_status', 'Invalid status');
      await expectError(
        api.inject('PUT', '/boba', { order_id: orderId, status: 'Delivered' }),
        400,
        'invalid_transition',
        'Cannot move an order from Placed to Delivered',
      );
    });

    test('rate limits: 429, from the auth layer and from a per-key route limit', async () => {
      const [a] = ids as [number];
      assert.equal((await api.inject('GET', `/users/${a}/badge.svg`)).status, 200);
      await expectError(api.inject('GET', `/users/${a}/badge.svg`), 429, 'rate_limited', 'Too many requests');
      // AUTH_FAILURE_LIMIT (30 a minute by default) counts every refused caller from this address.
      let last = await api.inject('GET', '/users', undefined, null);
      for (let attempt = 0; attempt < 40 && last.status === 401; attempt++)
        last = await api.inject('GET', '/users', undefined, null);
      assert.deepEqual([last.status, last.body], [429, { error: 'Too many requests', code: 'rate_limited' }]);
    });

    test('the OpenAPI document lists the codes once, on the shared ErrorResponse schema', async () => {
      const document = (await api.inject('GET', '/openapi.json')).body;
      const schema = document.components.schemas.ErrorResponse;
      assert.deepEqual(schema.required, ['error', 'code']);
      assert.deepEqual(schema.properties.code.enum, [...ERROR_CODES]);
      const refs = new Set<string>();
      for (const operations of Object.values<Record<string, any>>(document.paths)) {
        for (const operation of Object.values(operations)) {
          for (const [status, response] of Object.entries<any>(operation.responses ?? {})) {
            if (Number(status) >= 400) refs.add(JSON.stringify(response.content?.['application/json']?.schema));
          }
        }
      }
      // A refused checkpoint scan is an error naming its recorded scan: its reasons, or the shared error.
      const scanRefusal = document.paths['/checkpoints/{id}/scans'].post.responses['409'].content['application/json'].schema;
      assert.deepEqual(scanRefusal.anyOf[1], { $ref: '#/components/schemas/ErrorResponse' });
      assert.deepEqual(scanRefusal.anyOf[0].properties.code.enum, [...SCAN_REFUSALS]);
      assert.deepEqual([...refs], [JSON.stringify({ $ref: '#/components/schemas/ErrorResponse' }), JSON.stringify(scanRefusal)]);
    });
  });
}
