interface QuantityFieldProps {
  id: string;
  /** The most that may be chosen; the list is left out when that is 1 or less. */
  most: number;
  value: number;
  onChange: (quantity: number) => void;
}

/** "How many", from 1 to `most`. */
export function QuantityField({ id, most, value, onChange }: QuantityFieldProps) {
  if (most <= 1) return null;
  return (
    <div className="field quantity-field">
      <label htmlFor={id}>How many</label>
      <select id={id} value={value} onChange={(event) => onChange(Number(event.target.value))}>
        {Array.from({ length: most }, (_, n) => n + 1).map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </select>
    </div>
  );
}
