/**
 * What the Mini App's first screen has to download: builds the client (`npm run build:client`,
 * unless `--build=false`, which reads the dist/client already there), reads Vite's manifest
 * (dist/client/.vite/manifest.json) and weighs
 *
 * - the initial JavaScript: the HTML entry's chunk and the closure of its static imports
 *   (what the page loads, or modulepreloads, before the first screen; dynamic imports load
 *   later, when a sheet or a minigame is first opened);
 * - all JavaScript of the Mini App (every `.js` under dist/client/assets but the admin panel's
 *   chunks, which only admin.html reaches);
 * - the initial CSS (the stylesheets of the initial chunks);
 *
 * each as raw bytes, gzip at level 9 (what scripts/precompress.ts writes), gzip at zlib's
 * default level (what an on-the-fly compressor sends) and brotli at quality 11. `ratio` is the
 * initial JavaScript's gzip-9 size over the target of 420 KB (1 KB = 1000 bytes); `met` when
 * it is at most 1.
 *
 *   npm run bench:bundle [-- --build=false]
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { ROOT } from '../test/helpers/browser.js';
import { emit, log, parseFlags, phase, round, runBench } from './lib.js';

const flags = parseFlags({ build: true });
const DIST = path.join(ROOT, 'dist/client');
const MANIFEST = path.join(DIST, '.vite/manifest.json');
/** The first screen's JavaScript, gzip level 9, in KB (1000 bytes). */
const INITIAL_GZIP_KB_TARGET = 420;

/** One chunk of Vite's build manifest (the fields read here). */
interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}

type Manifest = Record<string, ManifestChunk>;

interface Weight {
  files: number;
  raw: number;
  gzip9: number;
  gzipDefault: number;
  brotli: number;
}

function weigh(files: readonly string[]): Weight {
  const weight: Weight = { files: files.length, raw: 0, gzip9: 0, gzipDefault: 0, brotli: 0 };
  for (const file of files) {
    const bytes = fs.readFileSync(path.join(DIST, file));
    weight.raw += bytes.length;
    weight.gzip9 += zlib.gzipSync(bytes, { level: 9 }).length;
    weight.gzipDefault += zlib.gzipSync(bytes).length;
    weight.brotli += zlib.brotliCompressSync(bytes, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
        [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }).length;
  }
  return weight;
}

/** The HTML entry's chunk and everything it imports statically, in load order (entry first). */
export function initialChunks(manifest: Manifest): ManifestChunk[] {
  // The Mini App's page; the build has a second page (admin.html, the admin panel) that players never load.
  const entries = Object.entries(manifest).filter(([key, chunk]) => chunk.isEntry && key === 'index.html');
  const roots = entries.length > 0 ? entries : Object.entries(manifest).filter(([key, chunk]) => chunk.isEntry && key !== 'admin.html');
  if (roots.length !== 1) throw new Error(`expected one Mini App entry chunk in the manifest, found ${roots.length}`);
  const seen = new Set<string>();
  const order: ManifestChunk[] = [];
  const visit = (key: string): void => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = manifest[key];
    if (!chunk) throw new Error(`the manifest names ${key} but has no chunk for it`);
    order.push(chunk);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  visit((roots[0] as [string, ManifestChunk])[0]);
  return order;
}

/** Files only the admin panel's page (admin.html) reaches, statically or lazily: not the Mini App's. */
function adminOnlyFiles(manifest: Manifest): Set<string> {
  const reach = (entry: string): Set<string> => {
    const seen = new Set<string>();
    const visit = (key: string): void => {
      const chunk = manifest[key];
      if (!chunk || seen.has(chunk.file)) return;
      seen.add(chunk.file);
      for (const next of [...(chunk.imports ?? []), ...(chunk.dynamicImports ?? [])]) visit(next);
    };
    visit(entry);
    return seen;
  };
  const miniApp = reach('index.html');
  return new Set([...reach('admin.html')].filter((file) => !miniApp.has(file)));
}

function listAssets(ext: string): string[] {
  const dir = path.join(DIST, 'assets');
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(ext))
    .map((entry) => path.relative(DIST, path.join(entry.parentPath, entry.name)))
    .sort();
}

function kb(bytes: number): number {
  return round(bytes / 1000, 1);
}

async function main(): Promise<void> {
  if (flags.build) {
    phase('build');
    log('building the client (npm run build:client)');
    execFileSync('npm', ['run', 'build:client'], { cwd: ROOT, stdio: ['ignore', 2, 2] });
  }
  phase('read manifest');
  if (!fs.existsSync(MANIFEST)) throw new Error(`no ${path.relative(ROOT, MANIFEST)}: build the client with build.manifest on (client/vite.config.ts)`);
  const manifest = JSON.parse(fs.readFileSync(MANIFEST, 'utf8')) as Manifest;
  const initial = initialChunks(manifest);
  const initialJs = initial.map((c) => c.file).filter((f) => f.endsWith('.js'));
  const initialCss = [...new Set(initial.flatMap((c) => c.css ?? []))];
  const adminOnly = adminOnlyFiles(manifest);
  const allJs = listAssets('.js').filter((file) => !adminOnly.has(file));
  const lazyEntries = Object.values(manifest)
    .filter((c) => (c.dynamicImports ?? []).length > 0 && !adminOnly.has(c.file))
    .flatMap((c) => c.dynamicImports ?? []);

  phase('compress');
  const initialWeight = weigh(initialJs);
  const allWeight = weigh(allJs);
  const cssWeight = weigh(initialCss);
  for (const file of initialJs) log(`initial ${file} ${fs.statSync(path.join(DIST, file)).size} bytes`);
  log(`initial JS ${initialWeight.raw} bytes raw, ${kb(initialWeight.gzip9)} KB gzip-9, ${kb(initialWeight.brotli)} KB brotli; all JS ${allWeight.raw} bytes in ${allJs.length} chunks`);

  const ratio = round(initialWeight.gzip9 / 1000 / INITIAL_GZIP_KB_TARGET);
  emit({
    bench: 'bundle',
    initialJsFiles: initialWeight.files,
    initialJsBytes: initialWeight.raw,
    initialJsGzip9Bytes: initialWeight.gzip9,
    initialJsGzipBytes: initialWeight.gzipDefault,
    initialJsBrotliBytes: initialWeight.brotli,
    initialJsGzip9KB: kb(initialWeight.gzip9),
    allJsBytes: allWeight.raw,
    allJsGzip9Bytes: allWeight.gzip9,
    allJsGzipBytes: allWeight.gzipDefault,
    allJsBrotliBytes: allWeight.brotli,
    initialCssBytes: cssWeight.raw,
    initialCssGzip9Bytes: cssWeight.gzip9,
    initialCssBrotliBytes: cssWeight.brotli,
    chunks: allJs.length,
    lazyImports: new Set(lazyEntries).size,
    target: { initialJsGzip9KB: INITIAL_GZIP_KB_TARGET },
    ratio,
    met: ratio <= 1,
  });
}

runBench('bundle', main);
