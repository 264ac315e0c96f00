// Unit tests for the pure parts of the admin's Data screen and a hacker's download: the CSV header row read in the
// browser, the audit log's before/after lines, and the file name and size of a download. Run with `npm run test:web`.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { auditDiff, shortened, VALUE_CHARS, valueText } from '../src/audit-diff.ts';
import { csvHeaders } from '../src/csv-headers.ts';
import { filenameOf, sizeText } from '../src/download.ts';

describe('csvHeaders: the columns offered for matching by hand', () => {
  test('a Google Forms header row, quoted cells with commas and doubled quotes', () => {
    assert.deepEqual(csvHeaders('Timestamp,"Full Name","Email Address","Skills (e.g. ""Python:4"", ""SQL:3"")"\n1,2,3,4\n'), [
      'Timestamp',
      'Full Name',
      'Email Address',
      'Skills (e.g. "Python:4", "SQL:3")',
    ]);
  });

  test('a BOM is dropped; ; or tab is the delimiter when the header uses it most', () => {
    assert.deepEqual(csvHeaders('\uFEFFName;Email;Company, Inc\r\nA;b;c'), ['Name', 'Email', 'Company, Inc']);
    assert.deepEqual(csvHeaders('Name\tEmail\n'), ['Name', 'Email']);
  });

  test('a quoted header spanning lines stays one cell; an empty file has no headers', () => {
    assert.deepEqual(csvHeaders('"First\nName",Email\nx,y'), ['First\nName', 'Email']);
    assert.deepEqual(csvHeaders(''), []);
    assert.deepEqual(csvHeaders('\n\n'), []);
  });

  test('empty header cells keep their place', () => {
    assert.deepEqual(csvHeaders('Name,,Email'), ['Name', '', 'Email']);
  });
});

describe('auditDiff: before and after as a few lines', () => {
  test('only the fields that changed, in the order they appear', () => {
    assert.deepEqual(auditDiff({ name: 'Ann', tags: ['a'], phone: '1' }, { name: 'Anne', tags: ['a'], phone: '1' }), [
      { field: 'name', before: '"Ann"', after: '"Anne"' },
    ]);
  });

  test('a field only on one side', () => {
    assert.deepEqual(auditDiff({ status: 'Placed' }, { status: 'Delivered', location: 'Room 2' }), [
      { field: 'status', before: '"Placed"', after: '"Delivered"' },
      { field: 'location', after: '"Room 2"' },
    ]);
  });

  test('a creation lists what was made; a removal what was there', () => {
    assert.deepEqual(auditDiff(null, { name: 'Desk 3', role: 'volunteer' }), [
      { field: 'name', after: '"Desk 3"' },
      { field: 'role', after: '"volunteer"' },
    ]);
    assert.deepEqual(auditDiff({ bbt_tokens: 3 }, null), [{ field: 'bbt_tokens', before: '3' }]);
  });

  test('nothing on either side is no line; values that are not objects are one line', () => {
    assert.deepEqual(auditDiff(null, null), []);
    assert.deepEqual(auditDiff(2, 5), [{ field: '', before: '2', after: '5' }]);
    assert.deepEqual(auditDiff(null, ['a', 'b']), [{ field: '', after: 'a, b' }]);
  });

  test('values: lists joined, objects as JSON, nothing as a dash; long ones cut', () => {
    assert.equal(valueText([]), '(none)');
    assert.equal(valueText(['python', 3]), 'python, 3');
    assert.equal(valueText({ skill: 'Go' }), '{"skill":"Go"}');
    assert.equal(valueText(null), '—');
    assert.equal(valueText(true), 'true');
    const long = 'x'.repeat(VALUE_CHARS + 10);
    assert.equal(shortened(long).length, VALUE_CHARS);
    assert.ok(shortened(long).endsWith('…'));
    assert.equal(shortened('short'), 'short');
  });
});

describe('downloads', () => {
  const withDisposition = (value: string | null) =>
    new Response('x', { headers: value === null ? {} : { 'content-disposition': value } });

  test("the server's file name, quoted or not, or filename*=UTF-8''", () => {
    assert.equal(
      filenameOf(withDisposition('attachment; filename="tapioca-orders-2026-12-05.csv"'), 'f.csv'),
      'tapioca-orders-2026-12-05.csv',
    );
    assert.equal(filenameOf(withDisposition('attachment; filename=plain.csv'), 'f.csv'), 'plain.csv');
    assert.equal(filenameOf(withDisposition("attachment; filename*=UTF-8''caf%C3%A9.csv"), 'f.csv'), 'café.csv');
  });

  test('no header, an empty name or a path: the fallback, or only the last segment', () => {
    assert.equal(filenameOf(withDisposition(null), 'fallback.csv'), 'fallback.csv');
    assert.equal(filenameOf(withDisposition('attachment; filename=""'), 'fallback.csv'), 'fallback.csv');
    assert.equal(filenameOf(withDisposition('attachment; filename="../../etc/passwd"'), 'f.csv'), 'passwd');
  });

  test('sizes', () => {
    assert.equal(sizeText(850), '850 bytes');
    assert.equal(sizeText(12_345), '12 KB');
    assert.equal(sizeText(3_400_000), '3.4 MB');
  });
});
