import { defineConfig } from 'vite';

// The config lives in client/ but the build runs from the repository root
// (`vite build --config client/vite.config.ts`), so the root is resolved from this file,
// not from the working directory. URL keeps this file free of Node typings.
const clientRoot = decodeURIComponent(new URL('.', import.meta.url).pathname);

export default defineConfig({
  root: clientRoot,
  // Relative asset URLs: the server mounts dist/client at `/`, but Telegram may open the
  // Mini App under any path, and a relative base works in both.
  base: './',
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    target: 'es2022',
    // .vite/manifest.json: which chunks each entry and dynamic import pulls in (bench/bundle.ts
    // reads it to weigh what the first screen loads).
    manifest: true,
    // Phaser alone is ~1.2 MB minified; one chunk is fine for a Mini App loaded once a day.
    chunkSizeWarningLimit: 2500,
  },
});
