import preact from '@preact/preset-vite'
import { defineConfig } from 'vite'
import { VitePWA } from 'vite-plugin-pwa'

export default defineConfig({
  root: import.meta.dirname,
  plugins: [
    preact(),
    // Issue 25: an installable app that opens offline. Workbox (generateSW) precaches the built UI and answers every
    // navigation with index.html; the API's GETs are NetworkFirst, so offline a page shows the last data it saw.
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: false, // registered in web/src/offline/register.ts, once signed-in state is known
      includeAssets: ['apple-touch-icon.png'],
      manifest: {
        name: '血液调配 · Blood dispatch',
        short_name: '血液调配',
        description: '川渝血液调配与应急分配 · Sichuan–Chongqing blood dispatch',
        lang: 'zh-CN',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        background_color: '#ffffff',
        theme_color: '#c62828',
        icons: [
          { src: '/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,woff2}'], // the icons and the manifest are added by the plugin
        maximumFileSizeToCacheInBytes: 6 * 1024 * 1024,
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/api\//],
        cleanupOutdatedCaches: true,
        clientsClaim: true,
        skipWaiting: true,
        runtimeCaching: [
          {
            // Every API read but the events feed (its cursor must never go back) and the health check.
            urlPattern: ({ url, request }) => request.method === 'GET' && url.pathname.startsWith('/api/') && !/^\/api\/(events|health)/.test(url.pathname),
            handler: 'NetworkFirst',
            options: {
              cacheName: 'bd-api',
              networkTimeoutSeconds: 8,
              expiration: { maxEntries: 300, maxAgeSeconds: 30 * 24 * 3600 },
              plugins: [
                {
                  // Stamp what is cached with the time it was fetched: offline, the page says how old its data is
                  // (web/src/offline/freshness.ts reads x-fetched-at). Serialised into the service worker: no closures.
                  cacheWillUpdate: async ({ response }: { response: Response }) => {
                    if (!response || response.status !== 200) return null
                    const headers = new Headers(response.headers)
                    headers.set('x-fetched-at', new Date().toISOString())
                    return new Response(await response.blob(), { status: 200, statusText: response.statusText, headers })
                  },
                },
              ],
            },
          },
        ],
      },
    }),
  ],
  build: { outDir: 'dist', emptyOutDir: true },
  server: { proxy: { '/api': 'http://127.0.0.1:8787' } },
})
