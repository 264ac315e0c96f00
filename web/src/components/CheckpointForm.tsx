import { useRef, useState, type FormEvent } from 'react';
import { errorText } from '../api';
import { isoToLocalInput, localInputToIso, wholeNumber } from '../format';
import { useIntent } from '../hooks';
import { Alert } from './Messages';
import { CHECKPOINT_KINDS, type Checkpoint, type CheckpointKind, type CheckpointsById, type NewCheckpoint } from '../api-types';

export interface Draft {
  name: string;
  kind: CheckpointKind;
  /** datetime-local values, in this device's time. */
  opens: string;
  closes: string;
  unlimited: boolean;
  limit: string;
  capacity: string;
  requiresCheckIn: boolean;
  /** Comma-separated (a tag has no spaces). */
  tags: string;
}

/** The fields an error can be about, in the form's order: the first one with an error gets the focus. */
const FIELDS = ['name', 'opens', 'closes', 'limit', 'capacity', 'tags'] as const;
export type Field = (typeof FIELDS)[number];
export type FieldErrors = Partial<Record<Field, string>>;

const TAG = /^[a-z0-9][a-z0-9_-]{0,39}$/;
const MAX_TAGS = 20;

function draftOf(checkpoint: Checkpoint | undefined): Draft {
  return {
    name: checkpoint?.name ?? '',
    kind: checkpoint?.kind ?? 'meal',
    opens: isoToLocalInput(checkpoint?.opens_at),
    closes: isoToLocalInput(checkpoint?.closes_at),
    unlimited: checkpoint ? checkpoint.per_participant_limit === null : false,
    limit: String(checkpoint?.per_participant_limit ?? 1),
    capacity: checkpoint?.capacity == null ? '' : String(checkpoint.capacity),
    requiresCheckIn: checkpoint?.requires_check_in ?? true,
    tags: checkpoint?.allowed_tags?.join(', ') ?? '',
  };
}

/** The tags as they will be saved: split on commas, trimmed, lower-case, each once. */
export function parseTags(text: string): string[] {
  return [
    ...new Set(
      text
        .split(',')
        .map((tag) => tag.trim().toLowerCase())
        .filter(Boolean),
    ),
  ];
}

function tagsError(tags: string[]): string | undefined {
  const badTag = tags.find((tag) => !TAG.test(tag));
  if (badTag) return `"${badTag}" is not a tag: use lower-case letters, digits, - or _ (no spaces), such as meal-group-a.`;
  if (tags.length > MAX_TAGS) return `At most ${MAX_TAGS} tags.`;
  return undefined;
}

/** The API body for a draft, every field given (so an edit can clear one), or what is wrong with each field. */
export function checkpointBody(draft: Draft): { body: NewCheckpoint } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  const name = draft.name.trim();
  if (!name) errors.name = 'Give the checkpoint a name, e.g. "Saturday lunch".';
  const opens = draft.opens ? localInputToIso(draft.opens) : null;
  const closes = draft.closes ? localInputToIso(draft.closes) : null;
  if (opens === '') errors.opens = 'Give a real date and time, or leave it empty.';
  if (closes === '') errors.closes = 'Give a real date and time, or leave it empty.';
  else if (opens && closes && new Date(closes) <= new Date(opens)) errors.closes = 'It must close after it opens.';
  let limit: number | null = null;
  if (!draft.unlimited) {
    limit = wholeNumber(draft.limit);
    if (!(limit >= 1)) errors.limit = 'Each person may have at least 1, or choose unlimited.';
  }
  let capacity: number | null = null;
  if (draft.capacity.trim()) {
    capacity = wholeNumber(draft.capacity);
    if (!(capacity >= 1)) errors.capacity = 'A whole number of at least 1, or empty for no limit.';
  }
  const tags = parseTags(draft.tags);
  const badTags = tagsError(tags);
  if (badTags) errors.tags = badTags;
  if (Object.keys(errors).length > 0) return { errors };
  return {
    body: {
      name,
      kind: draft.kind,
      opens_at: opens,
      closes_at: closes,
      per_participant_limit: limit,
      capacity,
      requires_check_in: draft.requiresCheckIn,
      allowed_tags: tags.length > 0 ? tags : null,
    },
  };
}

/** The device's offset from UTC, as shown beside the times: "UTC+01:00". */
function zoneText(): string {
  const offset = -new Date().getTimezoneOffset();
  const abs = Math.abs(offset);
  return `UTC${offset >= 0 ? '+' : '-'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

interface CheckpointFormProps {
  /** The checkpoint to edit; none for a new one. */
  editing?: [number, Checkpoint];
  onSaved: (saved: CheckpointsById, created: boolean) => void;
  onCancel: () => void;
}

/** Create or edit a checkpoint: name, kind, hours, per-person limit, capacity, check-in and tags. */
export function CheckpointForm({ editing, onSaved, onCancel }: CheckpointFormProps) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(editing?.[1]));
  const [error, setError] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const form = useRef<HTMLFormElement>(null);
  const saving = useIntent();
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setDraft((current) => ({ ...current, [key]: value }));
    // A field being changed is no longer wrong until the next try.
    const field: string = key === 'unlimited' ? 'limit' : key;
    setErrors((current) => (field in current ? { ...current, [field]: undefined } : current));
  };
  const prefix = editing ? `checkpoint-${editing[0]}` : 'checkpoint-new';
  const tagsPreview = parseTags(draft.tags);
  /** What an input says about itself: its hint, and its error when it has one. */
  const describe = (field: Field, hint?: string) => ({
    'aria-invalid': errors[field] ? true : undefined,
    'aria-describedby': [hint, errors[field] ? `${prefix}-${field}-error` : undefined].filter(Boolean).join(' ') || undefined,
  });
  const fieldError = (field: Field) =>
    errors[field] && (
      <p id={`${prefix}-${field}-error`} className="field-error">
        {errors[field]}
      </p>
    );

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const checked = checkpointBody(draft);
    if ('errors' in checked) {
      setErrors(checked.errors);
      setError('Fix the fields marked above.');
      const first = FIELDS.find((field) => checked.errors[field]);
      form.current?.querySelector<HTMLElement>(`#${prefix}-${first}`)?.focus();
      return;
    }
    setErrors({});
    setError('');
    try {
      const saved = editing
        ? await saving.send<CheckpointsById>('PUT', `/checkpoints/${editing[0]}`, checked.body)
        : await saving.send<CheckpointsById>('POST', '/checkpoints', checked.body);
      onSaved(saved, !editing);
    } catch (failure) {
      setError(errorText(failure));
    }
  }

  return (
    <form
      ref={form}
      noValidate
      className="card form checkpoint-form"
      onSubmit={(event) => void onSubmit(event)}
      aria-labelledby={`${prefix}-title`}
    >
      <h2 id={`${prefix}-title`}>{editing ? `Edit ${editing[1].name}` : 'New checkpoint'}</h2>
      <div className="field">
        <label htmlFor={`${prefix}-name`}>Name</label>
        <input
          id={`${prefix}-name`}
          value={draft.name}
          onChange={(e) => set('name', e.target.value)}
          maxLength={100}
          {...describe('name')}
        />
        {fieldError('name')}
      </div>
      <div className="field">
        <label htmlFor={`${prefix}-kind`}>Kind</label>
        <select id={`${prefix}-kind`} value={draft.kind} onChange={(e) => set('kind', e.target.value as CheckpointKind)}>
          {CHECKPOINT_KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {kind}
            </option>
          ))}
        </select>
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${prefix}-opens`}>Opens</label>
          <input
            id={`${prefix}-opens`}
            type="datetime-local"
            value={draft.opens}
            onChange={(e) => set('opens', e.target.value)}
            {...describe('opens', `${prefix}-zone`)}
          />
          {fieldError('opens')}
        </div>
        <div className="field">
          <label htmlFor={`${prefix}-closes`}>Closes</label>
          <input
            id={`${prefix}-closes`}
            type="datetime-local"
            value={draft.closes}
            onChange={(e) => set('closes', e.target.value)}
            {...describe('closes', `${prefix}-zone`)}
          />
          {fieldError('closes')}
        </div>
      </div>
      <p id={`${prefix}-zone`} className="muted small">
        Times are this device&rsquo;s ({zoneText()}). Leave one empty for no start or no end.
      </p>
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${prefix}-limit`}>Per person</label>
          <input
            id={`${prefix}-limit`}
            inputMode="numeric"
            value={draft.unlimited ? '' : draft.limit}
            disabled={draft.unlimited}
            placeholder={draft.unlimited ? 'Unlimited' : ''}
            onChange={(e) => set('limit', e.target.value)}
            {...describe('limit')}
          />
          {fieldError('limit')}
          <label className="check">
            <input type="checkbox" checked={draft.unlimited} onChange={(e) => set('unlimited', e.target.checked)} /> Unlimited
          </label>
        </div>
        <div className="field">
          <label htmlFor={`${prefix}-capacity`}>Capacity (people)</label>
          <input
            id={`${prefix}-capacity`}
            inputMode="numeric"
            value={draft.capacity}
            placeholder="No limit"
            onChange={(e) => set('capacity', e.target.value)}
            {...describe('capacity')}
          />
          {fieldError('capacity')}
        </div>
      </div>
      <label className="check">
        <input type="checkbox" checked={draft.requiresCheckIn} onChange={(e) => set('requiresCheckIn', e.target.checked)} /> Only
        people checked in at the door
      </label>
      <div className="field">
        <label htmlFor={`${prefix}-tags`}>Only for tags</label>
        <input
          id={`${prefix}-tags`}
          value={draft.tags}
          placeholder="Everyone"
          autoCapitalize="off"
          spellCheck={false}
          onChange={(e) => set('tags', e.target.value)}
          {...describe('tags', `${prefix}-tags-hint`)}
        />
        {fieldError('tags')}
        <p id={`${prefix}-tags-hint`} className="muted small">
          Separate tags with commas (a tag has no spaces), e.g. <code>mentor, meal-group-a</code>. Empty lets everyone in.
        </p>
        {tagsPreview.length > 0 && !errors.tags && (
          <p className="muted small" data-testid={`${prefix}-tags-preview`}>
            Saved as:{' '}
            {tagsPreview.map((tag) => (
              <span key={tag} className="tag tag-preview">
                {tag}
              </span>
            ))}
          </p>
        )}
      </div>
      <Alert>{error}</Alert>
      <div className="actions">
        <button type="submit" className="button primary" disabled={saving.pending}>
          {editing ? 'Save changes' : 'Create checkpoint'}
        </button>
        <button type="button" className="button secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
