// Vite config for the Tapioca web app: built into web/dist and served by the API server under /app/.
// `npm run dev:web` proxies API calls to TAPIOCA_API_URL (default http://127.0.0.1:8000).
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin, type ProxyOptions } from 'vite';
import { compression } from 'vite-plugin-compression2';
import { VitePWA } from 'vite-plugin-pwa';

const root = fileURLToPath(new URL('.', import.meta.url));
const apiUrl = process.env.TAPIOCA_API_URL ?? 'http://127.0.0.1:8000';
const BRAND = '#10213f';

/** Every API path the app calls, plus /b/<code> (the server redirects it into the app). */
const API_PATHS = [
  '/me',
  '/users',
  '/register',
  '/checkin',
  '/checkpoints',
  '/scans',
  '/sync',
  '/boba',
  '/bbt_token_exchange',
  '/bbt_token_admin_give',
  '/badges',
  '/keys',
  '/events',
  '/stats',
  '/skills',
  '/health',
  '/hardware',
  '/imports',
  '/exports',
  '/webhooks',
  '/audit',
  '/b/',
];
const proxy: Record<string, ProxyOptions> = Object.fromEntries(API_PATHS.map((path) => [path, { target: apiUrl }]));

/**
 * The entry chunk (web/src/main.tsx) is small and loads the app (React and the screens) with import(), so
 * that its first API requests start early. This lists that chunk, and every chunk it imports, in index.html
 * as modulepreload: the browser downloads them alongside the entry instead of after it.
 */
const APP_CHUNK = 'render';

function preloadEntryImports(): Plugin {
  return {
    name: 'tapioca:preload-entry-imports',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, { chunk, bundle }) {
        if (!chunk || !bundle) return;
        const files = new Set<string>();
        const add = (file: string) => {
          const imported = bundle[file];
          if (files.has(file) || !imported || imported.type !== 'chunk') return;
          files.add(file);
          imported.imports.forEach(add);
        };
        // Only the app itself: the entry may also import() what some keys need later (the QR decoder).
        chunk.dynamicImports.filter((file) => bundle[file]?.name === APP_CHUNK).forEach(add);
        [chunk.fileName, ...chunk.imports].forEach((file) => files.delete(file));
        return [...files].map((file) => ({
          tag: 'link',
          attrs: { rel: 'modulepreload', crossorigin: true, href: `/app/${file}` },
          injectTo: 'head' as const,
        }));
      },
    },
  };
}

export default defineConfig({
  root,
  base: '/app/',
  plugins: [
    react(),
    preloadEntryImports(),
    VitePWA({
      // Registered by web/src/offline/service-worker.ts once the page has loaded: the CSP allows no inline script.
      injectRegister: false,
      scope: '/app/',
      manifest: {
        id: '/app/',
        name: 'Tapioca',
        short_name: 'Tapioca',
        description: 'Your hackathon badge, tokens and boba.',
        start_url: '/app/',
        scope: '/app/',
        display: 'standalone',
        theme_color: BRAND,
        background_color: BRAND,
        icons: [
          { src: 'icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      includeAssets: ['apple-touch-icon.png'],
      workbox: {
        // The app shell only. API answers carry one person's data: the app keeps its own copy of the
        // last /me and badge (web/src/offline/saved-badge.ts), never a URL-keyed cache shared by every key.
        globPatterns: ['**/*.{js,css,html}'],
        navigateFallback: '/app/index.html',
        navigateFallbackAllowlist: [/^\/app\//],
        runtimeCaching: [],
        cleanupOutdatedCaches: true,
        clientsClaim: true,
      },
    }),
    // Served by @fastify/static with preCompressed: brotli, else gzip, else the file itself.
    compression({ algorithms: ['brotliCompress', 'gzip'], threshold: 1024 }),
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
  },
  server: { proxy },
  preview: { proxy },
});
