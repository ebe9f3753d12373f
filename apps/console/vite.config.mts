import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = resolve(here, '..', '..');

/**
 * The console's build (ADR 0018): static files in dist/console, served by the gateway at /console. Vite's own
 * Oxc transform compiles the JSX (no React plugin: it would only add the dev server's fast refresh). The
 * pure libs the console shares with the services (role matrix, rule validation) are bundled from source.
 */
export default defineConfig({
  root: here,
  base: '/console/',
  logLevel: 'warn',
  resolve: {
    alias: [
      { find: /^@gw\/contracts$/, replacement: resolve(repo, 'libs/contracts/src/index.ts') },
    ],
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: resolve(repo, 'dist/console'),
    emptyOutDir: true,
    // One small app: a single script and stylesheet, no inline code (the CSP allows only 'self').
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 600,
  },
});
