// The admin create-or-edit forms (CheckpointForm, HardwareItemForm): a draft checked on submit, each error shown
// under its field and read with it, the focus on the first wrong field, and a save the API may refuse.
import { useRef, useState, type FormEvent, type InputHTMLAttributes, type ReactNode, type RefObject } from 'react';
import { errorText } from '../api';
import { useIntent, useSlow } from '../hooks';
import { Alert } from './Messages';

export type FieldErrors<F extends string> = Partial<Record<F, string>>;

/** A draft checked for saving: the API body, or what is wrong with each field. */
export type Checked<Body, F extends string> = { body: Body } | { errors: FieldErrors<F> };

/** The props of a create-or-edit form (CheckpointForm, HardwareItemForm). */
export interface EditorProps<T, Saved> {
  /** The one to edit, with its id; none for a new one. */
  editing?: [number, T];
  onSaved: (saved: Saved, created: boolean) => void;
  onCancel: () => void;
}

interface EditFormOptions<T, Saved, Draft, F extends string, Body> {
  props: EditorProps<T, Saved>;
  /** Where a new one is POSTed; an edit is PUT to `${path}/<id>`. */
  path: string;
  /** The form's ids start with `${idPrefix}-new` or `${idPrefix}-<id>`; a field's input is `<that>-<field>`. */
  idPrefix: string;
  draftOf: (editing: T | undefined) => Draft;
  /** The fields an error can be about, in the form's order: the first one with an error gets the focus. */
  fields: readonly F[];
  /** Draft keys that belong to a field of another name, such as a "No limit" checkbox to its limit. */
  fieldOf?: Partial<Record<keyof Draft, F>>;
  check: (draft: Draft) => Checked<Body, F>;
  /** The fields a refused save is about, when it is about some (else it is said under the form). */
  refusedFields?: (failure: unknown) => FieldErrors<F> | undefined;
}

const FIX_FIELDS = 'Fix the fields marked above.';

/** The draft, its errors and the save of a create-or-edit form, for EditForm and its fields. */
export function useEditForm<T extends { name: string }, Saved, Draft, F extends string, Body>(
  options: EditFormOptions<T, Saved, Draft, F, Body>,
) {
  const { editing, onSaved, onCancel } = options.props;
  const [draft, setDraft] = useState<Draft>(() => options.draftOf(editing?.[1]));
  const [errors, setErrors] = useState<FieldErrors<F>>({});
  const [error, setError] = useState('');
  const ref = useRef<HTMLFormElement>(null);
  const saving = useIntent();
  const prefix = `${options.idPrefix}-${editing ? editing[0] : 'new'}`;

  function mark(wrong: FieldErrors<F>) {
    setErrors(wrong);
    setError(FIX_FIELDS);
    const first = options.fields.find((field) => wrong[field]);
    if (first) ref.current?.querySelector<HTMLElement>(`#${prefix}-${first}`)?.focus();
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const checked = options.check(draft);
    if ('errors' in checked) {
      mark(checked.errors);
      return;
    }
    setErrors({});
    setError('');
    try {
      const saved = editing
        ? await saving.send<Saved>('PUT', `${options.path}/${editing[0]}`, checked.body)
        : await saving.send<Saved>('POST', options.path, checked.body);
      onSaved(saved, !editing);
    } catch (failure) {
      const refused = options.refusedFields?.(failure);
      if (refused) mark(refused);
      else setError(errorText(failure));
    }
  }

  return {
    ref,
    prefix,
    editing,
    draft,
    errors,
    /** The error under the form; "fix the fields" goes once every field marked has been changed. */
    error: error === FIX_FIELDS && !Object.values(errors).some(Boolean) ? '' : error,
    saving: saving.pending,
    set: <K extends keyof Draft>(key: K, value: Draft[K]) => {
      setDraft((current) => ({ ...current, [key]: value }));
      // A field being changed is no longer wrong until the next try.
      const field: string = options.fieldOf?.[key] ?? String(key);
      setErrors((current) => (field in current ? { ...current, [field]: undefined } : current));
    },
    submit,
    onCancel,
  };
}

/** What EditForm and its fields read of useEditForm. */
interface EditFormState<F extends string> {
  ref: RefObject<HTMLFormElement | null>;
  prefix: string;
  editing?: [number, { name: string }];
  errors: FieldErrors<F>;
  error: string;
  saving: boolean;
  submit: (event: FormEvent) => Promise<void>;
  onCancel: () => void;
}

interface EditFormProps {
  form: EditFormState<string>;
  /** Beside "card form". */
  className: string;
  /** What the form makes: "New <noun>", "Create <noun>". */
  noun: string;
  children: ReactNode;
}

/** A create-or-edit form as a card: its title, its fields, the error under them, then save and cancel. */
export function EditForm({ form, className, noun, children }: EditFormProps) {
  const slow = useSlow(form.saving);
  return (
    <form
      ref={form.ref}
      noValidate
      className={`card form ${className}`}
      onSubmit={(event) => void form.submit(event)}
      aria-labelledby={`${form.prefix}-title`}
    >
      <h2 id={`${form.prefix}-title`}>{form.editing ? `Edit ${form.editing[1].name}` : `New ${noun}`}</h2>
      {children}
      <Alert>{form.error}</Alert>
      <div className="actions">
        <button type="submit" className="button primary" disabled={form.saving}>
          {slow ? 'Saving…' : form.editing ? 'Save changes' : `Create ${noun}`}
        </button>
        <button type="button" className="button secondary" onClick={form.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

type TextFieldProps<F extends string> = {
  form: EditFormState<F>;
  field: F;
  label: string;
  /** The id of a text that explains the field: read with it, before its error. */
  hint?: string;
  onChange: (value: string) => void;
  /** Below the input and its error: a hint, a checkbox. */
  children?: ReactNode;
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'form' | 'onChange' | 'children'>;

/** A labelled input with its error below it; the error is read with the input and marks it invalid. */
export function TextField<F extends string>({ form, field, label, hint, onChange, children, ...input }: TextFieldProps<F>) {
  const id = `${form.prefix}-${field}`;
  const error = form.errors[field];
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        {...input}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={[hint, error ? `${id}-error` : undefined].filter(Boolean).join(' ') || undefined}
      />
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
      {children}
    </div>
  );
}

interface SwitchableNumberProps<F extends string> {
  form: EditFormState<F>;
  field: F;
  label: string;
  inputMode: 'numeric' | 'decimal';
  value: string;
  placeholder?: string;
  /** The checkbox below that turns the number off ("No limit", "Until the end"): the input is then empty and disabled. */
  off: boolean;
  offLabel: string;
  /** What the empty input says while the number is off. */
  offPlaceholder: string;
  onChange: (value: string) => void;
  onOffChange: (off: boolean) => void;
}

/** A number with a checkbox that turns it off, such as a limit with "No limit". */
export function SwitchableNumber<F extends string>({
  value,
  placeholder = '',
  off,
  offLabel,
  offPlaceholder,
  onOffChange,
  ...field
}: SwitchableNumberProps<F>) {
  return (
    <TextField {...field} value={off ? '' : value} disabled={off} placeholder={off ? offPlaceholder : placeholder}>
      <label className="check">
        <input type="checkbox" checked={off} onChange={(event) => onOffChange(event.target.checked)} /> {offLabel}
      </label>
    </TextField>
  );
}
