import type { ResultView } from '../scanning';

const ICON = { ok: '✓', warn: '!', bad: '✕', unsure: '?' } as const;
const PROVISIONAL = 'Provisional: checked on this phone, offline';

/**
 * The answer to a scan, over the whole screen in its colour, readable at arm's length. A tap (or Escape, or
 * Enter) hides it before its time.
 */
export function ScanResultOverlay({ result, onDismiss }: { result: ResultView; onDismiss: () => void }) {
  return (
    <div
      className={`scan-result scan-result-${result.tone}`}
      data-testid="scan-result"
      data-tone={result.tone}
      role="alert"
      onClick={onDismiss}
    >
      <span className="scan-result-icon" aria-hidden="true">
        {ICON[result.tone]}
      </span>
      <p className="scan-result-title">{result.title}</p>
      {result.provisional && <p className="scan-result-provisional">{PROVISIONAL}</p>}
      {result.name && <p className="scan-result-name">{result.name}</p>}
      {result.dietary && (
        <p className="scan-result-dietary">
          <span className="scan-result-label">Dietary:</span> {result.dietary}
        </p>
      )}
      {result.detail && <p className="scan-result-detail">{result.detail}</p>}
      <p className="scan-result-hint">{result.hint ?? 'Tap to scan the next badge'}</p>
    </div>
  );
}

/** The last answer, small, once the full-screen one has gone; struck through once it has been undone. */
export function LastResult({ result, at, undone = false }: { result: ResultView; at: string; undone?: boolean }) {
  if (undone)
    return (
      <div className="last-result last-result-undone" data-testid="last-result" data-undone="true">
        <span className="last-result-icon" aria-hidden="true">
          ↶
        </span>
        <div className="last-result-text">
          <p>
            <strong>Undone</strong> · <s>{result.name}</s> <span className="muted small">{at}</span>
          </p>
        </div>
      </div>
    );
  return (
    <div className={`last-result last-result-${result.tone}`} data-testid="last-result">
      <span className="last-result-icon" aria-hidden="true">
        {ICON[result.tone]}
      </span>
      <div className="last-result-text">
        <p>
          <strong>{result.title}</strong>
          {result.name && <> · {result.name}</>} {!result.ownTime && <span className="muted small">{at}</span>}
        </p>
        {result.provisional && <p className="small">{PROVISIONAL}</p>}
        {result.dietary && <p className="small">Dietary: {result.dietary}</p>}
        {result.detail && <p className="small">{result.detail}</p>}
      </div>
    </div>
  );
}
