import { defineConfig } from 'vite';

// The config lives in client/ but the build runs from the repository root
// (`vite build --config client/vite.config.ts`), so the root is resolved from this file,
// not from the working directory. URL keeps this file free of Node typings.
const clientRoot = decodeURIComponent(new URL('.', import.meta.url).pathname);
const phaserSources = decodeURIComponent(new URL('../node_modules/phaser/src/', import.meta.url).pathname);

/**
 * Phaser's build switches, as its own webpack config sets them: both renderers (WebGL, and
 * the canvas fallback for devices without it), no sound (the game runs with `noAudio`), no
 * WebGL debugging, and none of the optional plugins.
 */
const PHASER_SWITCHES: Record<string, string> = {
  'typeof WEBGL_RENDERER': 'true',
  'typeof CANVAS_RENDERER': 'true',
  'typeof WEBGL_DEBUG': 'false',
  'typeof FEATURE_SOUND': 'false',
  'typeof PLUGIN_CAMERA3D': 'false',
  'typeof PLUGIN_FBINSTANT': 'false',
};

export default defineConfig({
  root: clientRoot,
  // Relative asset URLs: the server mounts dist/client at `/`, but Telegram may open the
  // Mini App under any path, and a relative base works in both.
  base: './',
  resolve: {
    alias: [
      // `import Phaser from 'phaser'` keeps Phaser's types; the build gets the trimmed
      // namespace of stage/phaser-lite.ts, which imports Phaser's sources as `phaser-src/…`.
      { find: /^phaser$/, replacement: `${clientRoot}src/stage/phaser-lite.ts` },
      { find: /^phaser-src\//, replacement: phaserSources },
    ],
  },
  define: PHASER_SWITCHES,
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    target: 'es2022',
    // The first screen's chunk is Phaser (about 0.9 MB minified) and the home: one file is
    // fine for a Mini App loaded once a day; the sheets and the minigame load on first use.
    chunkSizeWarningLimit: 1500,
    // .vite/manifest.json: which chunks each entry and dynamic import pulls in (bench/bundle.ts
    // reads it to weigh what the first screen loads, from the `index.html` entry).
    manifest: true,
    rollupOptions: {
      // Two pages: the Mini App, and the admin panel (served at /admin; no Phaser in its
      // chunks: it imports nothing from src/ but the design tokens' CSS).
      input: {
        index: `${clientRoot}index.html`,
        admin: `${clientRoot}admin.html`,
      },
      output: {
        // Both pages need Vite's own runtime (the modulepreload polyfill and the helper of
        // lazy imports): one small named chunk, instead of one named after whichever came first.
        manualChunks: (id: string) => (/vite\/(?:preload-helper|modulepreload-polyfill)/.test(id) ? 'vite-runtime' : undefined),
      },
    },
  },
});
