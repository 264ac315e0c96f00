// Live updates from GET /events. EventSource cannot send an Authorization header, so this reads the
// stream with fetch and parses the server-sent events format itself, reconnecting with backoff and
// sending Last-Event-ID so the server replays what was missed.
import { apiErrorOf } from './api';
import type { ErrorCode } from './api-types';

export type LiveState = 'connecting' | 'live' | 'offline';
type Handler = (data: unknown) => void;

export interface SseMessage {
  id: string | null;
  event: string;
  data: string;
}

/** Incremental parser for the text/event-stream format (https://html.spec.whatwg.org/#event-stream-interpretation). */
export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private event = '';
  private id: string | null = null;
  /** True when the last chunk ended in a CR that may be the first half of CRLF. */
  private pendingCr = false;

  constructor(private readonly emit: (message: SseMessage) => void) {}

  push(chunk: string): void {
    if (this.pendingCr && chunk.startsWith('\n')) chunk = chunk.slice(1);
    this.pendingCr = chunk.endsWith('\r');
    this.buffer += chunk;
    const lines = this.buffer.split(/\r\n|\r|\n/);
    this.buffer = lines.pop() ?? '';
    for (const line of lines) this.line(line);
  }

  private line(line: string): void {
    if (line === '') {
      this.dispatch();
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id' && !value.includes('\0')) this.id = value;
  }

  private dispatch(): void {
    const id = this.id;
    const data = this.data;
    const event = this.event || 'message';
    this.data = [];
    this.event = '';
    this.id = null;
    if (data.length === 0 && id === null) return;
    this.emit({ id, event, data: data.join('\n') });
  }
}

const MAX_BACKOFF_MS = 10_000;
/** No bytes (not even a ':' heartbeat comment) for this long: assume the connection is dead. */
const IDLE_TIMEOUT_MS = 65_000;

export class LiveEvents {
  private readonly handlers = new Map<string, Set<Handler>>();
  private readonly stateListeners = new Set<(state: LiveState) => void>();
  private lastEventId: string | null = null;
  private controller: AbortController | null = null;
  private stopped = true;
  private failures = 0;
  state: LiveState = 'offline';

  constructor(
    private readonly key: string,
    private readonly onUnauthorized: () => void,
    private readonly url = '/events',
  ) {}

  /** Subscribes to one event type ('order', 'checkin', 'tokens', 'ready', or 'resync' after each connect). */
  on(type: string, handler: Handler): () => void {
    let set = this.handlers.get(type);
    if (!set) this.handlers.set(type, (set = new Set()));
    set.add(handler);
    return () => set.delete(handler);
  }

  onState(listener: (state: LiveState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.loop();
  }

  stop(): void {
    this.stopped = true;
    this.controller?.abort();
    this.setState('offline');
  }

  private emit(type: string, data: unknown): void {
    for (const handler of [...(this.handlers.get(type) ?? [])]) {
      try {
        handler(data);
      } catch (error) {
        console.error(`live event handler for ${type} failed`, error);
      }
    }
  }

  private setState(state: LiveState): void {
    if (this.state === state) return;
    this.state = state;
    for (const listener of [...this.stateListeners]) listener(state);
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      this.setState('connecting');
      const refusal = await this.connectOnce();
      if (this.stopped) return;
      if (refusal === 'authentication_required') {
        this.stop();
        this.onUnauthorized();
        return;
      }
      this.setState('offline');
      const delay = Math.min(1000 * 2 ** this.failures, MAX_BACKOFF_MS);
      this.failures += 1;
      await this.sleep(delay);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      const controller = new AbortController();
      this.controller = controller;
      controller.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** One connection, read until it ends. Returns the code the server refused it with, if it did. */
  private async connectOnce(): Promise<ErrorCode | undefined> {
    const controller = new AbortController();
    this.controller = controller;
    let idle: ReturnType<typeof setTimeout> | undefined;
    const touch = () => {
      clearTimeout(idle);
      idle = setTimeout(() => controller.abort(), IDLE_TIMEOUT_MS);
    };
    try {
      const headers: Record<string, string> = { authorization: `Bearer ${this.key}`, accept: 'text/event-stream' };
      if (this.lastEventId !== null) headers['last-event-id'] = this.lastEventId;
      touch();
      const response = await fetch(this.url, { headers, signal: controller.signal, cache: 'no-store' });
      if (!response.ok) return (await apiErrorOf(response)).code;
      if (!response.body) return undefined;
      const parser = new SseParser((message) => this.message(message));
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        touch();
        parser.push(value);
      }
      return undefined;
    } catch {
      return undefined;
    } finally {
      clearTimeout(idle);
    }
  }

  private message(message: SseMessage): void {
    if (message.id !== null) this.lastEventId = message.id;
    let data: unknown = message.data;
    try {
      data = JSON.parse(message.data);
    } catch {
      // Not JSON: hand over the text.
    }
    if (message.event === 'ready') {
      this.failures = 0;
      this.setState('live');
      const ready = data as { last_event_id?: unknown } | null;
      if (
        this.lastEventId === null &&
        ready &&
        (typeof ready.last_event_id === 'number' || typeof ready.last_event_id === 'string')
      ) {
        this.lastEventId = String(ready.last_event_id);
      }
      this.emit('ready', data);
      // Screens re-read their data: on the first connection, for what changed between their first read and
      // the subscription; after a reconnect, in case the server could not replay everything.
      this.emit('resync', data);
      return;
    }
    this.failures = 0;
    this.setState('live');
    this.emit(message.event, data);
  }
}
