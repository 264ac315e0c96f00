// Unit tests for the web app's pure parts: the server-sent events parser, badge code extraction, the
// words shown for refusals, when a station scans a badge again (and repeats a lost scan), and the checkpoint form's body. Run with `npm run test:web`.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApiError, errorText, newIntentKey, outcomeUnknown, retryDelay } from '../src/api.ts';
import { SseParser, type SseMessage } from '../src/events.ts';
import { extractBadgeCode, isoToLocalInput, localInputToIso } from '../src/format.ts';
import { checkpointBody, parseTags, type Draft } from '../src/components/CheckpointForm.tsx';
import {
  acceptedView,
  RescanGate,
  refusedView,
  UNANSWERED_MS,
  UnansweredScans,
  unsureView,
  withCounts,
} from '../src/scanning.ts';
import type { Checkpoint } from '../src/api-types.ts';
import { myPlace } from '../src/hardware.ts';
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

describe('RescanGate: a badge is scanned again only after it left the camera', () => {
  const GONE = 1200;

  test('a badge still in view after its scan is not scanned again, however long it stays', () => {
    const gate = new RescanGate(GONE);
    assert.equal(gate.sees('a', 0, false), true);
    gate.scannedAt('a', 0);
    for (let t = 150; t <= 10_000; t += 150) assert.equal(gate.sees('a', t, false), false, `at ${t} ms`);
  });

  test('nothing is scanned while busy, and what is seen meanwhile still counts as in view', () => {
    const gate = new RescanGate(GONE);
    gate.scannedAt('a', 0);
    // Shown again during the answer (busy): not scanned, and not scanned right after either.
    assert.equal(gate.sees('a', 1400, true), false);
    assert.equal(gate.sees('a', 1600, false), false);
  });

  test('taken away and shown again after the answer: a new scan', () => {
    const gate = new RescanGate(GONE);
    gate.scannedAt('a', 0);
    assert.equal(gate.sees('a', 300, false), false);
    assert.equal(gate.sees('a', 300 + GONE, false), true);
  });

  test('another badge is scanned at once when idle, and waits while busy', () => {
    const gate = new RescanGate(GONE);
    gate.scannedAt('a', 0);
    assert.equal(gate.sees('b', 100, true), false);
    assert.equal(gate.sees('b', 250, false), true, 'seen during the answer, never scanned: scanned once idle');
  });
});

const checkpoint = (fields: Partial<Checkpoint> = {}): Checkpoint => ({
  name: 'Lunch',
  kind: 'meal',
  opens_at: null,
  closes_at: null,
  per_participant_limit: 1,
  capacity: null,
  requires_check_in: true,
  allowed_tags: null,
  archived: false,
  counts: { accepted: 0, participants: 0, refused: 0, conflicts: 0 },
  created_at: '2026-12-01T10:00:00.000Z',
  updated_at: '2026-12-01T10:00:00.000Z',
  ...fields,
});

describe('scan answers: colour and words come from the code', () => {
  test('already redeemed is amber; every other refusal is red', () => {
    assert.equal(refusedView('already_redeemed', { name: 'Ada' }, checkpoint()).tone, 'warn');
    for (const code of ['limit_reached', 'not_checked_in', 'closed', 'capacity_reached', 'unknown_badge'] as const)
      assert.equal(refusedView(code, undefined, checkpoint()).tone, 'bad', code);
  });

  test('a refusal names the participant and says what to do', () => {
    const view = refusedView('not_checked_in', { name: 'Ada' }, checkpoint());
    assert.equal(view.name, 'Ada');
    assert.equal(view.title, 'Not checked in');
    assert.match(view.detail, /door/);
    assert.match(refusedView('not_allowed', undefined, checkpoint({ allowed_tags: ['mentor'] })).detail, /mentor/);
  });

  test('accepted shows the name, dietary restrictions and what is left', () => {
    const answer = {
      scan_id: 1,
      status: 'accepted' as const,
      participant: { id: 1, name: 'Ada', tags: ['hacker'], dietary_restrictions: ' vegan ' },
      count: 2,
      remaining: 1,
    };
    assert.deepEqual(acceptedView(answer), {
      tone: 'ok',
      title: 'Accepted',
      name: 'Ada',
      dietary: 'vegan',
      detail: '2 of 3 used',
    });
    assert.equal(acceptedView({ ...answer, count: 1, remaining: 0 }).detail, '', 'a limit of 1 needs no count');
  });

  test('a live scan event replaces the counts only when it carries them whole', () => {
    const list = { '3': checkpoint() };
    const event = { checkpoint_id: 3, scan_id: 9, status: 'accepted' as const, reason: null, participant_id: 1 };
    const counts = { accepted: 4, participants: 3, refused: 1, conflicts: 0 };
    assert.deepEqual(withCounts(list, { ...event, counts })?.['3']?.counts, counts);
    const partial = { ...event, counts: { accepted_count: 4 } as unknown as Checkpoint['counts'] };
    assert.equal(withCounts(list, partial), list);
    assert.equal(withCounts(list, { ...event, checkpoint_id: 4, counts }), list, 'another checkpoint: unchanged');
  });
});

describe('checkpoint times: datetime-local in, ISO with the offset out', () => {
  test('a local time keeps its offset, and reads back the same', () => {
    const iso = localInputToIso('2026-12-05T18:30');
    assert.match(iso, /^2026-12-05T18:30:00[+-]\d{2}:\d{2}$/);
    assert.equal(new Date(iso).getTime(), new Date(2026, 11, 5, 18, 30).getTime());
    assert.equal(isoToLocalInput(iso), '2026-12-05T18:30');
  });

  test('impossible or empty values give empty strings', () => {
    assert.equal(localInputToIso('2026-02-30T12:00'), '');
    assert.equal(localInputToIso(''), '');
    assert.equal(isoToLocalInput(null), '');
    assert.equal(isoToLocalInput('not a date'), '');
  });
});

describe('checkpointBody: what the form sends', () => {
  const draft = (fields: Partial<Draft> = {}): Draft => ({
    name: ' Dinner ',
    kind: 'meal',
    opens: '',
    closes: '',
    unlimited: false,
    limit: '1',
    capacity: '',
    requiresCheckIn: true,
    tags: '',
    ...fields,
  });

  test('every field is given, empty ones as null, so an edit can clear them', () => {
    assert.deepEqual(checkpointBody(draft()), {
      body: {
        name: 'Dinner',
        kind: 'meal',
        opens_at: null,
        closes_at: null,
        per_participant_limit: 1,
        capacity: null,
        requires_check_in: true,
        allowed_tags: null,
      },
    });
  });

  test('unlimited is a null limit; tags are split on commas, trimmed, lower-cased and de-duplicated', () => {
    const checked = checkpointBody(
      draft({ unlimited: true, limit: 'x', capacity: '150', tags: 'Hacker, mentor,, ,Mentor,hacker' }),
    );
    assert.ok('body' in checked);
    assert.equal(checked.body.per_participant_limit, null);
    assert.equal(checked.body.capacity, 150);
    assert.deepEqual(checked.body.allowed_tags, ['hacker', 'mentor']);
    assert.deepEqual(parseTags(' a-b ,A-B, c'), ['a-b', 'c']);
  });

  test('refuses what the API would refuse, in plain words, each beside its field', () => {
    const errors = (fields: Partial<Draft>) => {
      const checked = checkpointBody(draft(fields));
      return 'errors' in checked ? checked.errors : {};
    };
    assert.match(errors({ name: '  ' }).name ?? '', /name/);
    assert.match(errors({ limit: '0' }).limit ?? '', /at least 1/);
    assert.match(errors({ capacity: '2.5' }).capacity ?? '', /whole number/);
    // A space does not separate tags: "meal group" is one tag, and not a valid one.
    assert.match(errors({ tags: 'meal group' }).tags ?? '', /"meal group" is not a tag.*no spaces/);
    assert.match(errors({ tags: 'bad!' }).tags ?? '', /not a tag/);
    assert.match(errors({ opens: '2026-12-05T20:00', closes: '2026-12-05T18:00' }).closes ?? '', /close after/);
    assert.deepEqual(Object.keys(errors({ name: '', limit: '0' })).sort(), ['limit', 'name']);
  });
});

describe('UnansweredScans: a lost scan is repeated per badge and place, for ten minutes', () => {
  const lost = (target: string, at: number, station = 'checkpoint:1') => ({
    target,
    station,
    nonce: `nonce-${target}`,
    idempotencyKey: `key-${target}`,
    at,
  });

  test('another badge scanned in between does not forget the first', () => {
    const scans = new UnansweredScans();
    scans.remember(lost('badge:a', 0), 0);
    scans.remember(lost('badge:b', 1000), 1000);
    scans.forget('badge:b', 'checkpoint:1', 2000);
    assert.equal(scans.find('badge:a', 'checkpoint:1', 3000)?.nonce, 'nonce-badge:a');
    assert.equal(scans.find('badge:a', 'checkpoint:1', 3000)?.idempotencyKey, 'key-badge:a');
    assert.equal(scans.find('badge:b', 'checkpoint:1', 3000), undefined);
  });

  test('only at the same place, and not after ten minutes', () => {
    const scans = new UnansweredScans([lost('badge:a', 0)]);
    assert.equal(scans.find('badge:a', 'checkpoint:2', 1000), undefined);
    assert.ok(scans.find('badge:a', 'checkpoint:1', UNANSWERED_MS - 1));
    assert.equal(scans.find('badge:a', 'checkpoint:1', UNANSWERED_MS), undefined);
    scans.remember(lost('badge:c', UNANSWERED_MS), UNANSWERED_MS);
    assert.deepEqual(
      scans.list().map((entry) => entry.target),
      ['badge:c'],
    );
  });
});

describe('scan answers a volunteer reads', () => {
  test('already redeemed says when and by whom, "this phone" for the signed-in key', () => {
    const at = new Date(2026, 11, 5, 12, 3).toISOString();
    const view = (by: string | null, code: 'already_redeemed' | 'limit_reached' = 'already_redeemed') =>
      refusedView(code, { name: 'Carmen Edwards' }, undefined, { accepted: { at, by }, myKeyName: 'Lunch line 2' });
    assert.equal(view('Lunch line 1').detail, 'Already redeemed at 12:03 by Lunch line 1.');
    assert.equal(view('Lunch line 2').detail, 'Already redeemed at 12:03 by this phone.');
    assert.equal(view(null).detail, 'Already redeemed at 12:03.');
    assert.equal(view('Lunch line 1', 'limit_reached').detail, 'Last one at 12:03 by Lunch line 1.');
    assert.equal(view(null).ownTime, true);
    assert.equal(refusedView('already_redeemed', undefined, undefined).detail, 'They have already had this here.');
  });

  test('a lost answer is neither yes nor no, and says how to ask again', () => {
    const view = unsureView('Carmen Edwards');
    assert.equal(view.tone, 'unsure');
    assert.equal(view.name, 'Carmen Edwards');
    assert.match(view.detail, /Take the badge away and show it again: it will not count twice/);
  });
});

describe('myPlace: a hacker is sent to the desk only when the units are surely theirs', () => {
  const waiting = (position: number, quantity = 1) => ({ status: 'requested' as const, position, quantity });
  test('none free: in line, even while the item was read before this request counted', () => {
    assert.equal(myPlace(waiting(1), { available: 0, requested: 0 }).place, 'Next in line');
    assert.equal(myPlace(waiting(1, 2), { available: 1, requested: 2 }).place, 'Next in line');
  });
  test('first in line with enough free: collect', () => {
    assert.deepEqual(myPlace(waiting(1), { available: 1, requested: 3 }), {
      place: 'Free now',
      advice: 'collect it at the hardware desk with your badge',
    });
  });
  test('behind others: collect only when there is enough for everyone ahead too', () => {
    assert.equal(myPlace(waiting(2), { available: 1, requested: 0 }).place, '1 ahead of you');
    assert.equal(myPlace(waiting(3), { available: 2, requested: 3 }).place, '2 ahead of you');
    assert.equal(myPlace(waiting(2), { available: 3, requested: 2 }).place, 'Free now');
  });
  test('ready requests wait at the desk', () => {
    assert.equal(
      myPlace({ status: 'ready', position: 1, quantity: 1 }, { available: 0, requested: 1 }).place,
      'Ready at the desk',
    );
  });
});
