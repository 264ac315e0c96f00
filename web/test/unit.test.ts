// Unit tests for the web app's pure parts: the server-sent events parser, badge code extraction and the
// words shown for refusals. Run with `npm run test:web`.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApiError, errorText } from '../src/api.ts';
import { SseParser, type SseMessage } from '../src/events.ts';
import { extractBadgeCode } from '../src/format.ts';
import { exchangeErrorText } from '../src/screens/Scan.tsx';

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
    assert.equal(errorText(new ApiError(429, 'Too many requests', 'rate_limited')), 'Too many requests');
  });
});
