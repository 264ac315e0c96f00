import type { ReactNode } from 'react';

/**
 * One live region for results (role=status) and one for errors (role=alert) per screen. They stay in the
 * page while empty, so screen readers announce what is put in them; CSS hides them while empty.
 */
export function Status({ children, id, tone = 'ok' }: { children?: ReactNode; id?: string; tone?: 'ok' | 'warn' | 'info' }) {
  return (
    <p role="status" aria-live="polite" className={`message message-${tone}`} id={id}>
      {children}
    </p>
  );
}

export function Alert({ children, id }: { children?: ReactNode; id?: string }) {
  return (
    <p role="alert" className="message message-error" id={id}>
      {children}
    </p>
  );
}
