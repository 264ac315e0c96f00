import assert from 'node:assert/strict';

export interface StreamEvent {
  id?: number;
  event: string;
  data: any;
}

/** Waits for a condition, failing after a deadline (a bound for a broken build, not a measured time). */
export async function waitUntil(condition: () => boolean | Promise<boolean>, what: string, deadlineMs = 5000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!(await condition())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * A server-sent-events client over fetch, as the web app uses (EventSource cannot send a key): collects the
 * events it reads and notes when the server ends the stream.
 */
export function openStream(base: string, key: string, lastEventId?: number) {
  const events: StreamEvent[] = [];
  const aborter = new AbortController();
  const waiters: (() => void)[] = [];
  const state = { ended: false };
  const done = (async () => {
    const response = await fetch(`${base}/events`, {
      headers: { authorization: `Bearer ${key}`, ...(lastEventId === undefined ? {} : { 'last-event-id': String(lastEventId) }) },
      signal: aborter.signal,
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = Object.fromEntries(
          block
            .split('\n')
            .filter((line) => !line.startsWith(':') && line.includes(':'))
            .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trimStart()]),
        );
        if (!fields.event) continue;
        events.push({
          id: fields.id ? Number(fields.id) : undefined,
          event: fields.event,
          data: JSON.parse(fields.data ?? 'null'),
        });
        for (const wake of waiters.splice(0)) wake();
      }
    }
  })()
    .catch((error: unknown) => {
      if ((error as Error).name !== 'AbortError') throw error;
    })
    .finally(() => {
      state.ended = true;
    });
  return {
    events,
    get ended() {
      return state.ended;
    },
    ready: () => waitUntil(() => events.some((e) => e.event === 'ready'), 'the ready event'),
    async waitFor(predicate: (events: StreamEvent[]) => boolean, what: string, timeoutMs = 5000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(events)) {
        if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}; got ${JSON.stringify(events)}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100);
        });
      }
    },
    async close() {
      aborter.abort();
      await done;
    },
  };
}
