// The service worker (built by vite-plugin-pwa into /app/sw.js) keeps the app shell for offline use. Its
// precache downloads wait until the first screen has what it needs: on a slow link they would compete with it.
export function registerServiceWorker(firstScreenReady: Promise<unknown>): void {
  if (!('serviceWorker' in navigator) || !import.meta.env.PROD) return;
  const loaded = new Promise((resolve) => {
    if (document.readyState === 'complete') resolve(undefined);
    else window.addEventListener('load', resolve, { once: true });
  });
  void Promise.all([loaded, firstScreenReady])
    .then(() => navigator.serviceWorker.register('/app/sw.js', { scope: '/app/' }))
    .catch(() => undefined);
}
