import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { startTestApp, TEST_ADMIN_KEY, type TestApp } from './helpers.js';

interface RawExchange {
  /** The socket error the client hit while sending or reading, if any. */
  error?: string;
  response: string;
}

/**
 * Sends a whole request body before reading anything, as simple clients and scripts do, and collects
 * what comes back until the server closes or the client has read a whole response.
 */
function sendWholeBodyThenRead(port: number, bodyBytes: number, chunked: boolean): Promise<RawExchange> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let response = '';
    let settled = false;
    const settle = (error?: string) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve({ error, response });
    };
    socket.on('data', (data) => {
      response += data.toString();
      const headEnd = response.indexOf('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(response)?.[1];
      if (headEnd >= 0 && length !== undefined && response.length >= headEnd + 4 + Number(length)) settle();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => settle(error.code ?? error.message));
    socket.on('close', () => settle());
    const framing = chunked ? 'transfer-encoding: chunked' : `content-length: ${bodyBytes}`;
    socket.write(
      `POST /register HTTP/1.1\r\nhost: tapioca\r\nauthorization: Bearer ${TEST_ADMIN_KEY}\r\n` +
        `content-type: application/json\r\n${framing}\r\n\r\n`,
    );
    const piece = Buffer.alloc(64 * 1024, 'a');
    let sent = 0;
    const pump = () => {
      while (sent < bodyBytes) {
        const size = Math.min(piece.length, bodyBytes - sent);
        sent += size;
        const data = chunked
          ? Buffer.concat([Buffer.from(`${size.toString(16)}\r\n`), piece.subarray(0, size), Buffer.from('\r\n')])
          : piece.subarray(0, size);
        if (!socket.write(data)) return void socket.once('drain', pump);
      }
      socket.write(chunked ? '0\r\n\r\n' : '', () => socket.resume());
    };
    socket.pause();
    pump();
  });
}

describe('over-large bodies', () => {
  let api: TestApp;
  let port: number;
  before(async () => {
    api = await startTestApp('sqlite');
    port = Number(new URL(await api.listen()).port);
  });
  after(async () => api?.close());

  for (const chunked of [false, true]) {
    test(`a client that sends 5 MB before reading gets the 413 JSON, not a reset (${chunked ? 'chunked' : 'content-length'})`, async () => {
      const { error, response } = await sendWholeBodyThenRead(port, 5_000_000, chunked);
      assert.equal(error, undefined, `the client hit ${error} (got ${JSON.stringify(response.slice(0, 40))})`);
      assert.match(response, /^HTTP\/1\.1 413 /);
      assert.ok(response.endsWith('{"error":"Request body too large","code":"payload_too_large"}'), response);
    });
  }

  test('the server still answers afterwards, and stored nothing', async () => {
    assert.deepEqual((await api.inject('GET', '/users')).body, {});
  });
});
