import type { ReactNode } from 'react';
import { useFocusOnMount } from '../hooks';

/** The screen's h1; it takes focus when the screen opens so screen readers announce it. */
export function ScreenHeading({ children }: { children: ReactNode }) {
  const ref = useFocusOnMount<HTMLHeadingElement>();
  return (
    <h1 ref={ref} tabIndex={-1} className="screen-title">
      {children}
    </h1>
  );
}
