import { useRef, useState, type FormEvent } from 'react';
import { ApiError, errorText } from '../api';
import { wholeNumber } from '../format';
import { useIntent } from '../hooks';
import { Alert } from './Messages';
import type { HardwareItem, HardwareItemsById, NewHardwareItem } from '../api-types';

interface ItemDraft {
  name: string;
  description: string;
  quantity: string;
  noLimit: boolean;
  limit: string;
  untilTheEnd: boolean;
  loanHours: string;
  requiresCheckIn: boolean;
}

/** The API's longest loan: a week. */
const MAX_LOAN_HOURS = 168;

/** The fields an error can be about, in the form's order: the first one with an error gets the focus. */
const FIELDS = ['name', 'quantity', 'limit', 'hours'] as const;
type Field = (typeof FIELDS)[number];
type FieldErrors = Partial<Record<Field, string>>;

function draftOf(item: HardwareItem | undefined): ItemDraft {
  return {
    name: item?.name ?? '',
    description: item?.description ?? '',
    quantity: item ? String(item.quantity) : '',
    noLimit: item ? item.per_participant_limit === null : false,
    limit: String(item?.per_participant_limit ?? 1),
    untilTheEnd: item ? item.loan_hours === null : true,
    loanHours: item?.loan_hours == null ? '' : String(item.loan_hours),
    requiresCheckIn: item?.requires_check_in ?? true,
  };
}

/** The API body for a draft, every field given (so an edit can clear the limit or the loan time), or what is wrong. */
function hardwareItemBody(draft: ItemDraft): { body: NewHardwareItem } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  const name = draft.name.trim();
  if (!name) errors.name = 'Give the item a name, e.g. "Arduino Uno".';
  const quantity = wholeNumber(draft.quantity);
  if (!(quantity >= 0)) errors.quantity = 'How many there are: a whole number, 0 or more.';
  let limit: number | null = null;
  if (!draft.noLimit) {
    limit = wholeNumber(draft.limit);
    if (!(limit >= 1)) errors.limit = 'Each person may borrow at least 1, or choose no limit.';
  }
  let hours: number | null = null;
  if (!draft.untilTheEnd) {
    hours = Number(draft.loanHours.trim().replace(',', '.'));
    if (!draft.loanHours.trim() || !(hours > 0 && hours <= MAX_LOAN_HOURS))
      errors.hours = `Hours more than 0 and at most ${MAX_LOAN_HOURS} (1.5 is an hour and a half), or until the end.`;
  }
  if (Object.keys(errors).length > 0) return { errors };
  return {
    body: {
      name,
      description: draft.description.trim(),
      quantity,
      per_participant_limit: limit,
      loan_hours: hours,
      requires_check_in: draft.requiresCheckIn,
    },
  };
}

interface HardwareItemFormProps {
  /** The item to edit; none for a new one. */
  editing?: [number, HardwareItem];
  onSaved: (saved: HardwareItemsById, created: boolean) => void;
  onCancel: () => void;
}

/** Create or edit a hardware item: name, description, how many, per-person limit, loan time, check-in. */
export function HardwareItemForm({ editing, onSaved, onCancel }: HardwareItemFormProps) {
  const [draft, setDraft] = useState<ItemDraft>(() => draftOf(editing?.[1]));
  const [error, setError] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const form = useRef<HTMLFormElement>(null);
  const saving = useIntent();
  const prefix = editing ? `hardware-${editing[0]}` : 'hardware-new';
  const set = <K extends keyof ItemDraft>(key: K, value: ItemDraft[K]) => {
    setDraft((current) => ({ ...current, [key]: value }));
    // A field being changed is no longer wrong until the next try.
    const field: string = key === 'noLimit' ? 'limit' : key === 'untilTheEnd' || key === 'loanHours' ? 'hours' : key;
    setErrors((current) => (field in current ? { ...current, [field]: undefined } : current));
  };
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
  const focus = (field: Field) => form.current?.querySelector<HTMLElement>(`#${prefix}-${field}`)?.focus();

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const checked = hardwareItemBody(draft);
    if ('errors' in checked) {
      setErrors(checked.errors);
      setError('Fix the fields marked above.');
      const first = FIELDS.find((field) => checked.errors[field]);
      if (first) focus(first);
      return;
    }
    setErrors({});
    setError('');
    try {
      const saved = editing
        ? await saving.send<HardwareItemsById>('PUT', `/hardware/${editing[0]}`, checked.body)
        : await saving.send<HardwareItemsById>('POST', '/hardware', checked.body);
      onSaved(saved, !editing);
    } catch (failure) {
      if (failure instanceof ApiError && failure.code === 'quantity_below_loans') {
        const out = editing?.[1].out;
        setErrors({
          quantity: `${out === undefined ? 'More' : out} ${out === 1 ? 'is' : 'are'} lent out now: the quantity cannot go below that until they come back.`,
        });
        setError('Fix the fields marked above.');
        focus('quantity');
      } else {
        setError(errorText(failure));
      }
    }
  }

  return (
    <form
      ref={form}
      noValidate
      className="card form hardware-form"
      onSubmit={(event) => void onSubmit(event)}
      aria-labelledby={`${prefix}-title`}
    >
      <h2 id={`${prefix}-title`}>{editing ? `Edit ${editing[1].name}` : 'New item'}</h2>
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
        <label htmlFor={`${prefix}-description`}>Description</label>
        <input
          id={`${prefix}-description`}
          value={draft.description}
          placeholder="Optional, e.g. with USB cable"
          onChange={(e) => set('description', e.target.value)}
          maxLength={1000}
        />
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${prefix}-quantity`}>How many</label>
          <input
            id={`${prefix}-quantity`}
            inputMode="numeric"
            value={draft.quantity}
            onChange={(e) => set('quantity', e.target.value)}
            {...describe('quantity', editing ? `${prefix}-quantity-hint` : undefined)}
          />
          {fieldError('quantity')}
          {editing && (
            <p id={`${prefix}-quantity-hint`} className="muted small">
              {editing[1].out} lent out now.
            </p>
          )}
        </div>
        <div className="field">
          <label htmlFor={`${prefix}-limit`}>Per person</label>
          <input
            id={`${prefix}-limit`}
            inputMode="numeric"
            value={draft.noLimit ? '' : draft.limit}
            disabled={draft.noLimit}
            placeholder={draft.noLimit ? 'No limit' : ''}
            onChange={(e) => set('limit', e.target.value)}
            {...describe('limit')}
          />
          {fieldError('limit')}
          <label className="check">
            <input type="checkbox" checked={draft.noLimit} onChange={(e) => set('noLimit', e.target.checked)} /> No limit
          </label>
        </div>
      </div>
      <div className="field">
        <label htmlFor={`${prefix}-hours`}>Loan time (hours)</label>
        <input
          id={`${prefix}-hours`}
          inputMode="decimal"
          value={draft.untilTheEnd ? '' : draft.loanHours}
          disabled={draft.untilTheEnd}
          placeholder={draft.untilTheEnd ? 'Until the end' : 'e.g. 4'}
          onChange={(e) => set('loanHours', e.target.value)}
          {...describe('hours')}
        />
        {fieldError('hours')}
        <label className="check">
          <input type="checkbox" checked={draft.untilTheEnd} onChange={(e) => set('untilTheEnd', e.target.checked)} /> Until the
          end of the event
        </label>
      </div>
      <label className="check">
        <input type="checkbox" checked={draft.requiresCheckIn} onChange={(e) => set('requiresCheckIn', e.target.checked)} /> Only
        for people checked in at the door
      </label>
      <Alert>{error}</Alert>
      <div className="actions">
        <button type="submit" className="button primary" disabled={saving.pending}>
          {editing ? 'Save changes' : 'Create item'}
        </button>
        <button type="button" className="button secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
