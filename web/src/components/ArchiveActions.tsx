interface ArchiveActionsProps {
  archived: boolean;
  /** A restore is under way: its button waits. */
  restoring: boolean;
  onRestore: () => void;
  onEdit: () => void;
  onArchive: () => void;
}

/** An admin list row's own buttons: Restore while it is archived, else Edit and Archive. */
export function ArchiveActions({ archived, restoring, onRestore, onEdit, onArchive }: ArchiveActionsProps) {
  if (archived)
    return (
      <button type="button" className="button secondary" disabled={restoring} onClick={onRestore}>
        Restore
      </button>
    );
  return (
    <>
      <button type="button" className="button secondary" onClick={onEdit}>
        Edit
      </button>
      <button type="button" className="button danger" onClick={onArchive}>
        Archive
      </button>
    </>
  );
}
