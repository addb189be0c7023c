import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';

/** Built into desktop/dist/renderer and loaded from a file (Electron) or the browser-mode server alike. */
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
  resolve: { conditions: ['gymstack-source', ...defaultClientConditions] },
  // One bundle loaded from disk (Electron) or 127.0.0.1: size matters less than on the web.
  build: { outDir: '../../dist/renderer', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
});
