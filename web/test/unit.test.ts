// Unit tests for the web app's pure parts: the server-sent events parser, badge code extraction and the
// words shown for refusals. Run with `npm run test:web`.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApiError, errorText, newIntentKey, outcomeUnknown, retryDelay } from '../src/api.ts';
import { SseParser, type SseMessage } from '../src/events.ts';
import { extractBadgeCode } from '../src/format.ts';
import { exchangeErrorText, exchangeSuccessText } from '../src/screens/Scan.tsx';

const parse = (...chunks: string[]) => {
  const messages: SseMessage[] = [];
  const parser = new SseParser((message) => messages.push(message));
  for (const chunk of chunks) parser.push(chunk);
  return messages;
};

describe('SseParser', () => {
  test('id, event and data lines; a blank line ends a message', () => {
    assert.deepEqual(parse('id: 7\nevent: order\ndata: {"order_id":1}\n\n'), [
      { id: '7', event: 'order', data: '{"order_id":1}' },
    ]);
  });

  test('messages split across chunks, CRLF and CR line ends', () => {
    assert.deepEqual(parse('id: 1\r', '\nevent: tokens\r\nda', 'ta: {"a":1}\r\n\r\n', 'event: ready\rdata: {}\r\r'), [
      { id: '1', event: 'tokens', data: '{"a":1}' },
      { id: null, event: 'ready', data: '{}' },
    ]);
  });

  test('comments are ignored, several data lines join with newlines, no event name means message', () => {
    assert.deepEqual(parse(': ping\n\n', 'data: a\ndata:b\n\n'), [{ id: null, event: 'message', data: 'a\nb' }]);
  });

  test('an unfinished message is not dispatched', () => {
    assert.deepEqual(parse('event: order\ndata: {}\n'), []);
  });
});

describe('extractBadgeCode', () => {
  test('the last path segment of a scanned badge URL', () => {
    assert.equal(extractBadgeCode('https://hack.example.com/b/AbC-12_x'), 'AbC-12_x');
    assert.equal(extractBadgeCode('http://127.0.0.1:8000/b/AbC-12_x/'), 'AbC-12_x');
    assert.equal(extractBadgeCode('https://hack.example.com/b/AbC?utm=1'), 'AbC');
  });

  test('an app link and a bare code', () => {
    assert.equal(extractBadgeCode('https://hack.example.com/app/#/b/XyZ'), 'XyZ');
    assert.equal(extractBadgeCode('  XyZ  '), 'XyZ');
    assert.equal(extractBadgeCode('/b/XyZ'), 'XyZ');
    assert.equal(extractBadgeCode(''), '');
  });
});

describe('exchangeErrorText: the Scan screen decides on the error code, never the message', () => {
  test('each exchange refusal gets its own words, whatever the message says', () => {
    assert.equal(exchangeErrorText(new ApiError(400, 'Refused', 'cooldown')), 'Too soon: wait a few seconds between exchanges.');
    assert.equal(exchangeErrorText(new ApiError(400, 'Refused', 'pair_limit')), 'You have already met this person.');
    assert.equal(exchangeErrorText(new ApiError(400, 'Refused', 'self_exchange')), 'That is your own badge.');
    assert.equal(exchangeErrorText(new ApiError(404, 'Not found', 'badge_not_found')), 'That badge is not valid.');
  });

  test("a message alone, without the code, is shown as the server's words", () => {
    const message = 'Participant 1 has not waited long enough to exchange tokens';
    assert.equal(exchangeErrorText(new ApiError(400, message)), message);
  });

  test('other refusals get the general words', () => {
    assert.equal(exchangeErrorText(new ApiError(403, 'Forbidden', 'forbidden')), 'You are not allowed to do that.');
    assert.equal(exchangeErrorText(new ApiError(401, 'Unauthorized', 'authentication_required')), 'That key was not accepted');
  });
});

describe('errorText', () => {
  test("an answer without a code is not Tapioca's own: a failing proxy reads as a Tapioca problem", () => {
    assert.equal(errorText(new ApiError(502, 'Request failed (502)')), 'Tapioca had a problem. Please try again.');
    assert.equal(
      errorText(new ApiError(503, 'Database unavailable', 'database_unavailable')),
      'Tapioca had a problem. Please try again.',
    );
    assert.equal(
      errorText(new ApiError(429, 'Too many requests', 'rate_limited')),
      'Too many requests: wait a minute, then try again.',
    );
  });
});

describe('exchangeSuccessText', () => {
  test('names whom you met when the answer says, with the new balance', () => {
    const answer = { success: 'Tokens exchanged' as const, new_tokens_1: 1, new_tokens_2: 4, participant_2_name: 'Ada Lovelace' };
    assert.equal(exchangeSuccessText(answer), 'You met Ada Lovelace. You both got a token! You now have 1 token.');
  });

  test('without a name, the plain words', () => {
    const answer = { success: 'Tokens exchanged' as const, new_tokens_1: 3, new_tokens_2: 1, participant_2_name: '' };
    assert.equal(exchangeSuccessText(answer), 'You both got a token! You now have 3 tokens.');
  });
});

describe('writes: one idempotency key per intent, retried only while the outcome is unknown', () => {
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

  test('a fresh UUID v4 each time', () => {
    const keys = new Set(Array.from({ length: 50 }, () => newIntentKey()));
    assert.equal(keys.size, 50);
    for (const key of keys) assert.match(key, UUID);
  });

  test('the same format where crypto.randomUUID is missing (plain http on the venue network)', () => {
    const own = Object.getOwnPropertyDescriptor(crypto, 'randomUUID');
    Object.defineProperty(crypto, 'randomUUID', { value: undefined, configurable: true });
    try {
      assert.equal(typeof crypto.randomUUID, 'undefined');
      const keys = new Set(Array.from({ length: 50 }, () => newIntentKey()));
      assert.equal(keys.size, 50);
      for (const key of keys) assert.match(key, UUID);
    } finally {
      if (own) Object.defineProperty(crypto, 'randomUUID', own);
      else Reflect.deleteProperty(crypto, 'randomUUID');
    }
    assert.equal(typeof crypto.randomUUID, 'function');
  });

  test('no answer, a failing proxy and a first attempt still running leave the outcome unknown', () => {
    assert.equal(outcomeUnknown(new ApiError(0, 'Cannot reach Tapioca')), true);
    assert.equal(outcomeUnknown(new ApiError(504, 'Request failed (504)')), true);
    assert.equal(outcomeUnknown(new ApiError(409, 'Still working', 'idempotency_in_progress')), true);
  });

  test("the server's own answers are definite, whatever the status", () => {
    assert.equal(outcomeUnknown(new ApiError(400, 'Refused', 'not_enough_tokens')), false);
    assert.equal(outcomeUnknown(new ApiError(409, 'Moved', 'order_moved')), false);
    assert.equal(outcomeUnknown(new ApiError(422, 'Reused', 'idempotency_key_reused')), false);
    assert.equal(outcomeUnknown(new ApiError(503, 'Database unavailable', 'database_unavailable')), false);
    assert.equal(outcomeUnknown(new Error('bug')), false);
  });

  test('retries back off and stop after a few', () => {
    const lost = new ApiError(0, 'Cannot reach Tapioca');
    const delays: number[] = [];
    for (let retry = 0; ; retry++) {
      const delay = retryDelay(retry, lost);
      if (delay === null) break;
      delays.push(delay);
    }
    assert.ok(delays.length >= 2 && delays.length <= 6, `${delays.length} retries`);
    for (let i = 1; i < delays.length; i++) assert.ok(delays[i]! > delays[i - 1]!, 'each pause is longer');
    assert.equal(retryDelay(0, new ApiError(400, 'Refused', 'cooldown')), null);
  });
});
