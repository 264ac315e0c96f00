/** Newer and Older buttons for a list shown newest first, a page at a time; nothing when one page holds it all. */
export function Pager({
  page,
  more,
  loading,
  label,
  onPage,
}: {
  page: number;
  /** Whether an older page may exist (the last one came full). */
  more: boolean;
  loading: boolean;
  /** What the pages are of, for screen readers: "Audit log pages". */
  label: string;
  onPage: (page: number) => void;
}) {
  if (page <= 1 && !more) return null;
  return (
    <nav className="actions pager" aria-label={label}>
      <button type="button" className="button secondary" disabled={page <= 1 || loading} onClick={() => onPage(page - 1)}>
        Newer
      </button>
      <span className="muted">Page {page}</span>
      <button type="button" className="button secondary" disabled={!more || loading} onClick={() => onPage(page + 1)}>
        Older
      </button>
    </nav>
  );
}
