import { createRoot } from 'react-dom/client';
import { App } from './App';
import { OfflineBanner } from './components/OfflineBanner';

/** React and every screen: the big download, which main.tsx fetches while its own requests run. */
export function render(openedFromLink: boolean): void {
  const root = document.getElementById('root');
  if (root)
    createRoot(root).render(
      <>
        <OfflineBanner />
        <App openedFromLink={openedFromLink} />
      </>,
    );
}
