/** The word a destructive dialog asks to be typed before its button works. */
const CONFIRM_WORD = 'DELETE';

export const isConfirmed = (typed: string) => typed.trim().toUpperCase() === CONFIRM_WORD;

/** "Type DELETE to …": the field of a dialog whose action cannot be undone. */
export function TypedConfirmField({
  id,
  label,
  typed,
  onType,
}: {
  id: string;
  /** Said after "Type DELETE ": "to confirm", "to delete Ada Lovelace". */
  label: string;
  typed: string;
  onType: (typed: string) => void;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>
        Type {CONFIRM_WORD} {label}
      </label>
      <input
        id={id}
        value={typed}
        onChange={(event) => onType(event.target.value)}
        autoComplete="off"
        autoCapitalize="characters"
        spellCheck={false}
      />
    </div>
  );
}
