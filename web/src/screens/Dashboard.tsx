import { useEffect, useState, type FormEvent } from 'react';
import { errorText, get } from '../api';
import { CheckInsChart, MealUptakeChart, SkillsChart } from '../components/Charts';
import { Alert, Status } from '../components/Messages';
import { ScreenHeading } from '../components/Heading';
import { useIntent, useLiveEvent, useRefreshOnFocus, useResource, useThrottled } from '../hooks';
import { ORDER_STATUSES, type GrantResult, type Stats } from '../api-types';

const OVERDUE_RECHECK_MS = 60_000;

/** #/dashboard: live counts, the skills, check-in and meal charts, and token grants. */
export function DashboardScreen() {
  const stats = useResource((signal) => get<Stats>('/stats', { signal }));
  const refresh = useThrottled(stats.reload, 2000);
  useLiveEvent('order', refresh);
  useLiveEvent('checkin', refresh);
  useLiveEvent('tokens', refresh);
  useLiveEvent('scan', refresh);
  useLiveEvent('checkpoint', refresh);
  useLiveEvent('hardware', refresh);
  useRefreshOnFocus(stats.reload);
  // A loan falling due writes nothing, so no event tells the "Overdue loans" tile: it is read again each minute.
  useEffect(() => {
    const timer = setInterval(refresh, OVERDUE_RECHECK_MS);
    return () => clearInterval(timer);
  }, [refresh]);

  const data = stats.data;
  const conflicts = data?.checkpoints.filter((checkpoint) => checkpoint.conflicts > 0) ?? [];
  const tile = (testId: string, label: string, value: number | undefined, alarm = false) => (
    <div className={alarm ? 'stat stat-alarm' : 'stat'} key={testId}>
      <dt>{label}</dt>
      <dd data-testid={testId}>{value ?? '…'}</dd>
    </div>
  );

  return (
    <section className="screen wide">
      <ScreenHeading>Dashboard</ScreenHeading>
      {stats.error && !data && <p className="message message-error">{stats.error}</p>}
      <dl className="stats">
        {tile('stat-participants', 'Participants', data?.participants)}
        {tile('stat-checked-in', 'Checked in', data?.checked_in)}
        {tile('stat-tokens', 'Tokens in circulation', data?.tokens_in_circulation)}
      </dl>
      <h2>Boba orders</h2>
      <dl className="stats small-stats">
        {ORDER_STATUSES.map((status) =>
          tile(`stat-orders-${status}`, status, data ? (data.orders_by_status[status] ?? 0) : undefined),
        )}
      </dl>
      <h2>
        Hardware{' '}
        <a href="#/hardware" className="small">
          Items and loans
        </a>
      </h2>
      <dl className="stats small-stats">
        {tile('stat-hardware-out', data ? `Units lent out, of ${data.hardware.units}` : 'Units lent out', data?.hardware.out)}
        {tile('stat-hardware-overdue', 'Overdue loans', data?.hardware.overdue_loans, (data?.hardware.overdue_loans ?? 0) > 0)}
        {tile('stat-hardware-requests', 'Waiting requests', data?.hardware.open_requests)}
      </dl>
      <div className="charts">
        <figure className="card">
          <figcaption>
            <h2>Top skills</h2>
            <p className="muted small">Participants with each skill (bar) and their average rating (★, 1–5).</p>
          </figcaption>
          {data && <SkillsChart skills={data.top_skills} />}
        </figure>
        <figure className="card">
          <figcaption>
            <h2>Check-ins per hour</h2>
          </figcaption>
          {data && <CheckInsChart hours={data.check_ins_over_time} />}
        </figure>
        <figure className="card">
          <figcaption>
            <h2>Meal uptake</h2>
            <p className="muted small">
              People served at each meal, of everyone checked in. <a href="#/checkpoints">Checkpoints</a>
            </p>
          </figcaption>
          {data && <MealUptakeChart meals={data.checkpoints.filter((c) => c.kind === 'meal')} checkedIn={data.checked_in} />}
          {conflicts.length > 0 && (
            <p className="small" data-testid="offline-conflicts">
              Offline conflicts (let through offline, not counted):{' '}
              {conflicts.map((checkpoint) => `${checkpoint.name} ${checkpoint.conflicts}`).join(', ')}
            </p>
          )}
        </figure>
      </div>
      <GrantForm onGranted={refresh} />
    </section>
  );
}

function GrantForm({ onGranted }: { onGranted: () => void }) {
  const [participantId, setParticipantId] = useState('');
  const [tokens, setTokens] = useState('');
  const granting = useIntent();
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setStatus('');
    setError('');
    const id = Number(participantId);
    const amount = Number(tokens);
    if (!Number.isInteger(id) || id < 1) {
      setError('Participant id must be a whole number.');
      return;
    }
    if (!Number.isInteger(amount) || amount === 0) {
      setError('Tokens must be a whole number other than 0 (negative takes tokens away).');
      return;
    }
    try {
      const result = await granting.send<GrantResult>('PUT', '/bbt_token_admin_give', { participant_id: id, tokens: amount });
      setStatus(`Participant #${id} now has ${result.new_tokens} tokens.`);
      setTokens('');
      onGranted();
    } catch (failure) {
      setError(errorText(failure));
    }
  }

  return (
    <form className="card form" onSubmit={(event) => void onSubmit(event)}>
      <h2 id="grant-title">Grant tokens</h2>
      <div className="field-row">
        <div className="field">
          <label htmlFor="grant-participant">Participant id</label>
          <input
            id="grant-participant"
            inputMode="numeric"
            value={participantId}
            onChange={(event) => setParticipantId(event.target.value)}
            autoComplete="off"
          />
        </div>
        <div className="field">
          <label htmlFor="grant-tokens">Tokens</label>
          <input
            id="grant-tokens"
            inputMode="numeric"
            value={tokens}
            onChange={(event) => setTokens(event.target.value)}
            autoComplete="off"
            aria-describedby="grant-hint"
          />
        </div>
      </div>
      <p id="grant-hint" className="muted small">
        A negative number takes tokens away.
      </p>
      <button type="submit" className="button primary" disabled={granting.pending}>
        Grant tokens
      </button>
      <Status>{status}</Status>
      <Alert>{error}</Alert>
    </form>
  );
}
