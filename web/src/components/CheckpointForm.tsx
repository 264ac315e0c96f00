import { isoToLocalInput, localInputToIso, wholeNumber } from '../format';
import {
  EditForm,
  SwitchableNumber,
  TextField,
  useEditForm,
  type Checked,
  type EditorProps,
  type FieldErrors,
} from './form-fields';
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
type Field = (typeof FIELDS)[number];

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
export function checkpointBody(draft: Draft): Checked<NewCheckpoint, Field> {
  const errors: FieldErrors<Field> = {};
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

/** Create or edit a checkpoint: name, kind, hours, per-person limit, capacity, check-in and tags. */
export function CheckpointForm(props: EditorProps<Checkpoint, CheckpointsById>) {
  const form = useEditForm({
    props,
    path: '/checkpoints',
    idPrefix: 'checkpoint',
    draftOf,
    fields: FIELDS,
    fieldOf: { unlimited: 'limit' },
    check: checkpointBody,
  });
  const { prefix, draft, set } = form;
  const tagsPreview = parseTags(draft.tags);

  return (
    <EditForm form={form} className="checkpoint-form" noun="checkpoint">
      <TextField
        form={form}
        field="name"
        label="Name"
        value={draft.name}
        onChange={(value) => set('name', value)}
        maxLength={100}
      />
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
        <TextField
          form={form}
          field="opens"
          label="Opens"
          type="datetime-local"
          value={draft.opens}
          onChange={(value) => set('opens', value)}
          hint={`${prefix}-zone`}
        />
        <TextField
          form={form}
          field="closes"
          label="Closes"
          type="datetime-local"
          value={draft.closes}
          onChange={(value) => set('closes', value)}
          hint={`${prefix}-zone`}
        />
      </div>
      <p id={`${prefix}-zone`} className="muted small">
        Times are this device&rsquo;s ({zoneText()}). Leave one empty for no start or no end.
      </p>
      <div className="field-row">
        <SwitchableNumber
          form={form}
          field="limit"
          label="Per person"
          inputMode="numeric"
          value={draft.limit}
          off={draft.unlimited}
          offLabel="Unlimited"
          offPlaceholder="Unlimited"
          onChange={(value) => set('limit', value)}
          onOffChange={(off) => set('unlimited', off)}
        />
        <TextField
          form={form}
          field="capacity"
          label="Capacity (people)"
          inputMode="numeric"
          value={draft.capacity}
          placeholder="No limit"
          onChange={(value) => set('capacity', value)}
        />
      </div>
      <label className="check">
        <input type="checkbox" checked={draft.requiresCheckIn} onChange={(e) => set('requiresCheckIn', e.target.checked)} /> Only
        people checked in at the door
      </label>
      <TextField
        form={form}
        field="tags"
        label="Only for tags"
        value={draft.tags}
        placeholder="Everyone"
        autoCapitalize="off"
        spellCheck={false}
        onChange={(value) => set('tags', value)}
        hint={`${prefix}-tags-hint`}
      >
        <p id={`${prefix}-tags-hint`} className="muted small">
          Separate tags with commas (a tag has no spaces), e.g. <code>mentor, meal-group-a</code>. Empty lets everyone in.
        </p>
        {tagsPreview.length > 0 && !form.errors.tags && (
          <p className="muted small" data-testid={`${prefix}-tags-preview`}>
            Saved as:{' '}
            {tagsPreview.map((tag) => (
              <span key={tag} className="tag tag-preview">
                {tag}
              </span>
            ))}
          </p>
        )}
      </TextField>
    </EditForm>
  );
}
