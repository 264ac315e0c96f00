import { useState } from 'react';
import { errorText, get } from '../api';
import { Alert } from '../components/Messages';
import { ScreenHeading } from '../components/Heading';
import { useParticipant } from '../context';
import { dateTime, ledgerText, plural } from '../format';
import { useLiveEvent, useRefreshOnFocus, useResource, useThrottled } from '../hooks';
import type { TokenHistory, TokensEvent } from '../api-types';

const PAGE_SIZE = 50;

/** #/tokens: the balance and every ledger row, newest first. */
export function TokensScreen() {
  const participant = useParticipant();
  const history = useResource((signal) =>
    get<TokenHistory>(`/users/${participant.id}/tokens?page=1&page_size=${PAGE_SIZE}`, { signal }),
  );
  const [older, setOlder] = useState<TokenHistory['entries']>([]);
  const [page, setPage] = useState(1);
  const [moreError, setMoreError] = useState('');
  const [loadingMore, setLoadingMore] = useState(false);

  const refresh = useThrottled(() => history.reload(), 1000);
  useLiveEvent<TokensEvent>('tokens', (event) => {
    if (event.participant_id === participant.id) refresh();
  });
  useRefreshOnFocus(history.reload);

  async function loadMore() {
    setLoadingMore(true);
    setMoreError('');
    try {
      const next = await get<TokenHistory>(`/users/${participant.id}/tokens?page=${page + 1}&page_size=${PAGE_SIZE}`);
      setOlder((rows) => [...rows, ...next.entries]);
      setPage(page + 1);
    } catch (error) {
      setMoreError(errorText(error));
    } finally {
      setLoadingMore(false);
    }
  }

  const first = history.data?.entries ?? [];
  const seen = new Set(first.map((row) => row.id));
  const rows = [...first, ...older.filter((row) => !seen.has(row.id))];
  const lastPageFull = (page === 1 ? first.length : older.length - (page - 2) * PAGE_SIZE) >= PAGE_SIZE;

  return (
    <section className="screen">
      <ScreenHeading>Token history</ScreenHeading>
      <p className="lead">You have {plural(history.data?.bbt_tokens ?? participant.bbt_tokens, 'token')}.</p>
      <Alert>{history.error ?? moreError}</Alert>
      {history.loading && !history.data && <p className="muted">Loading…</p>}
      {history.data && rows.length === 0 && <p className="muted">No tokens yet. Scan someone&rsquo;s badge to get one!</p>}
      <ol className="ledger">
        {rows.map((row) => (
          <li key={row.id} className="ledger-row">
            <span className={row.amount >= 0 ? 'amount plus' : 'amount minus'}>
              {row.amount > 0 ? `+${row.amount}` : `−${Math.abs(row.amount)}`}
            </span>
            <span className="ledger-what">{ledgerText(row.kind, row.reference)}</span>
            <time dateTime={row.created_at} className="muted">
              {dateTime(row.created_at)}
            </time>
          </li>
        ))}
      </ol>
      {history.data && lastPageFull && (
        <button type="button" className="button secondary" onClick={() => void loadMore()} disabled={loadingMore}>
          Show older
        </button>
      )}
    </section>
  );
}
