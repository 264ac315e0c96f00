import { copyText } from '../clipboard';

/**
 * A value shown once (a new key, a sign-in link, a signing secret): a read-only field that selects itself
 * on focus, and a button that copies it; `onCopied` hears how the copy went, in words.
 */
export function CopyField({
  id,
  label,
  value,
  noun,
  testId,
  onCopied,
}: {
  id: string;
  label: string;
  value: string;
  /** What it is, in lower case: "key", "link", "secret". */
  noun: string;
  testId: string;
  onCopied: (message: string) => void;
}) {
  return (
    <>
      <div className="field">
        <label htmlFor={id}>{label}</label>
        <input id={id} readOnly value={value} data-testid={testId} onFocus={(event) => event.target.select()} />
      </div>
      <div className="actions">
        <button
          type="button"
          className="button secondary"
          onClick={() =>
            void copyText(value).then((ok) =>
              onCopied(ok ? `${noun[0]!.toUpperCase()}${noun.slice(1)} copied.` : `Copy failed: select the ${noun} and copy it.`),
            )
          }
        >
          Copy {noun}
        </button>
      </div>
    </>
  );
}
