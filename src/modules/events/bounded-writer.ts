import type { Writable } from 'node:stream';

/**
 * A writer of text to a stream whose client may stop reading. While the stream is past its high-water
 * mark, texts wait here and go out as one write on 'drain': a backlog then costs its bytes rather than a
 * queued write (and its chunk framing) per event, which took several times the bytes. Once the unsent
 * bytes pass `maxUnsentBytes` the stream is destroyed, its memory freed, and `onOverflow` told.
 */
export function boundedWriter(stream: Writable, maxUnsentBytes: number, onOverflow: (unsentBytes: number) => void) {
  /** Texts waiting for 'drain'; null while the stream takes writes. */
  let waiting: string[] | null = null;
  let waitingBytes = 0;
  stream.on('drain', () => {
    if (!waiting || stream.destroyed || stream.writableEnded) return;
    const text = waiting.join('');
    waiting = null;
    waitingBytes = 0;
    if (text && !stream.write(text)) waiting = [];
  });
  return (text: string): void => {
    if (stream.destroyed || stream.writableEnded) return;
    if (!waiting) {
      if (!stream.write(text)) waiting = [];
      return;
    }
    waiting.push(text);
    waitingBytes += Buffer.byteLength(text);
    const unsentBytes = stream.writableLength + waitingBytes;
    if (unsentBytes <= maxUnsentBytes) return;
    waiting = null;
    waitingBytes = 0;
    stream.destroy();
    onOverflow(unsentBytes);
  };
}
