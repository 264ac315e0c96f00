// The entry chunk: small on purpose (no React). It starts the first API requests, then loads the app,
// whose chunk index.html already preloads (see web/vite.config.ts).
import { startEarlyRequests } from './offline/early-requests';
import { watchNetwork } from './offline/network';
import { registerServiceWorker } from './offline/service-worker';
import { takeKeyFromLocation } from './session';
import './styles.css';

// A sign-in link (#key=...) is taken out of the address bar before anything renders.
const fromLink = takeKeyFromLocation();
watchNetwork();
const firstRequests = startEarlyRequests();
const rendered = import('./render').then(({ render }) => render(fromLink));
registerServiceWorker(Promise.all([rendered, firstRequests]));
