// Vite config for the Tapioca web app: built into web/dist and served by the API server under /app/.
// `npm run dev:web` proxies API calls to TAPIOCA_API_URL (default http://127.0.0.1:8000).
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type ProxyOptions } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const apiUrl = process.env.TAPIOCA_API_URL ?? 'http://127.0.0.1:8000';

/** Every API path the app calls, plus /b/<code> (the server redirects it into the app). */
const API_PATHS = [
  '/me',
  '/users',
  '/register',
  '/checkin',
  '/boba',
  '/bbt_token_exchange',
  '/bbt_token_admin_give',
  '/badges',
  '/keys',
  '/events',
  '/stats',
  '/skills',
  '/health',
  '/b/',
];
const proxy: Record<string, ProxyOptions> = Object.fromEntries(API_PATHS.map((path) => [path, { target: apiUrl }]));

export default defineConfig({
  root,
  base: '/app/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
  },
  server: { proxy },
  preview: { proxy },
});
