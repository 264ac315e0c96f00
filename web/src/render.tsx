import { createRoot } from 'react-dom/client';
import { App } from './App';

/** React and every screen: the big download, which main.tsx fetches while its own requests run. */
export function render(openedFromLink: boolean): void {
  const root = document.getElementById('root');
  if (root) createRoot(root).render(<App openedFromLink={openedFromLink} />);
}
