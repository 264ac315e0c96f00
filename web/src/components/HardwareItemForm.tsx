import { ApiError } from '../api';
import { wholeNumber } from '../format';
import {
  EditForm,
  SwitchableNumber,
  TextField,
  useEditForm,
  type Checked,
  type EditorProps,
  type FieldErrors,
} from './form-fields';
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
function hardwareItemBody(draft: ItemDraft): Checked<NewHardwareItem, Field> {
  const errors: FieldErrors<Field> = {};
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

/** Create or edit a hardware item: name, description, how many, per-person limit, loan time, check-in. */
export function HardwareItemForm(props: EditorProps<HardwareItem, HardwareItemsById>) {
  const { editing } = props;
  const form = useEditForm({
    props,
    path: '/hardware',
    idPrefix: 'hardware',
    draftOf,
    fields: FIELDS,
    fieldOf: { noLimit: 'limit', untilTheEnd: 'hours', loanHours: 'hours' },
    check: hardwareItemBody,
    refusedFields: (failure) => {
      if (!(failure instanceof ApiError && failure.code === 'quantity_below_loans')) return undefined;
      const out = editing?.[1].out;
      return {
        quantity: `${out === undefined ? 'More' : out} ${out === 1 ? 'is' : 'are'} lent out now: the quantity cannot go below that until they come back.`,
      };
    },
  });
  const { prefix, draft, set } = form;

  return (
    <EditForm form={form} className="hardware-form" noun="item">
      <TextField
        form={form}
        field="name"
        label="Name"
        value={draft.name}
        onChange={(value) => set('name', value)}
        maxLength={100}
      />
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
        <TextField
          form={form}
          field="quantity"
          label="How many"
          inputMode="numeric"
          value={draft.quantity}
          onChange={(value) => set('quantity', value)}
          hint={editing ? `${prefix}-quantity-hint` : undefined}
        >
          {editing && (
            <p id={`${prefix}-quantity-hint`} className="muted small">
              {editing[1].out} lent out now.
            </p>
          )}
        </TextField>
        <SwitchableNumber
          form={form}
          field="limit"
          label="Per person"
          inputMode="numeric"
          value={draft.limit}
          off={draft.noLimit}
          offLabel="No limit"
          offPlaceholder="No limit"
          onChange={(value) => set('limit', value)}
          onOffChange={(off) => set('noLimit', off)}
        />
      </div>
      <SwitchableNumber
        form={form}
        field="hours"
        label="Loan time (hours)"
        inputMode="decimal"
        value={draft.loanHours}
        placeholder="e.g. 4"
        off={draft.untilTheEnd}
        offLabel="Until the end of the event"
        offPlaceholder="Until the end"
        onChange={(value) => set('loanHours', value)}
        onOffChange={(off) => set('untilTheEnd', off)}
      />
      <label className="check">
        <input type="checkbox" checked={draft.requiresCheckIn} onChange={(e) => set('requiresCheckIn', e.target.checked)} /> Only
        for people checked in at the door
      </label>
    </EditForm>
  );
}
