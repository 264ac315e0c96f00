// Files the app saves from API answers (exports, sign-in links, a hacker's own data): fetched with the key, since a
// plain link cannot send the Authorization header, then handed to the browser as a download.

/** Saves `blob` as a downloaded file named `filename` (an object URL on a link with a download attribute). */
export function saveFile(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser reads the URL after the click returns: revoke it only once the download has surely started.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The file name the server gave in Content-Disposition (filename*= or filename=), else `fallback`. */
export function filenameOf(response: Response, fallback: string): string {
  const header = response.headers.get('content-disposition') ?? '';
  const extended = /filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i.exec(header);
  if (extended?.[1]) {
    try {
      return cleanName(decodeURIComponent(extended[1].trim().replace(/^"|"$/g, '')), fallback);
    } catch {
      // A malformed escape: fall through to the plain parameter.
    }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/i.exec(header);
  return cleanName((plain?.[2] ?? plain?.[1] ?? '').trim(), fallback);
}

/** Only the last path segment, and never an empty name. */
function cleanName(name: string, fallback: string): string {
  const base = name.split(/[\\/]/).pop()?.trim() ?? '';
  return base || fallback;
}

/**
 * Reads a response's body to the end, calling `onProgress` with the bytes received so far (and the total when the
 * server said it: a streamed export does not).
 */
export async function readWithProgress(
  response: Response,
  onProgress: (received: number, total: number | null) => void,
): Promise<Blob> {
  const type = response.headers.get('content-type') ?? 'application/octet-stream';
  const length = Number(response.headers.get('content-length'));
  const total = Number.isFinite(length) && length > 0 ? length : null;
  if (!response.body) return response.blob();
  const reader = response.body.getReader();
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.byteLength;
    onProgress(received, total);
  }
  return new Blob(chunks, { type });
}

/** "850 bytes", "12 KB", "3.4 MB". */
export function sizeText(bytes: number): string {
  if (bytes < 1000) return `${bytes} bytes`;
  if (bytes < 1_000_000) return `${Math.round(bytes / 1000)} KB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}
