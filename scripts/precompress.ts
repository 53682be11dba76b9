/**
 * Writes `<file>.br` (brotli, quality 11) and `<file>.gz` (gzip, level 9) beside every
 * compressible file of a build directory, so the server sends them as they are instead of
 * compressing on every request (server/http/static-files.ts). A copy that would not be
 * smaller is not written. Runs after `vite build` in `npm run build:client`:
 *
 *   tsx scripts/precompress.ts dist/client
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/** Text formats (and wasm) that compress well; pictures and fonts are compressed already. */
export const COMPRESSIBLE_EXTENSIONS: ReadonlySet<string> = new Set([
  '.js',
  '.mjs',
  '.cjs',
  '.css',
  '.html',
  '.svg',
  '.json',
  '.webmanifest',
  '.map',
  '.txt',
  '.xml',
  '.wasm',
]);

export interface PrecompressSummary {
  files: number;
  originalBytes: number;
  /** Sum over the compressed files of the copy a client would get (the original where none was written). */
  brotliBytes: number;
  gzipBytes: number;
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

/** Compresses every compressible file under `dir` (copies from an earlier run are replaced). */
export async function precompressDir(dir: string): Promise<PrecompressSummary> {
  const summary: PrecompressSummary = { files: 0, originalBytes: 0, brotliBytes: 0, gzipBytes: 0 };
  const files = (await listFiles(dir)).filter((file) => COMPRESSIBLE_EXTENSIONS.has(path.extname(file).toLowerCase()));
  for (const file of files) {
    const [bytes, stat] = await Promise.all([fs.readFile(file), fs.stat(file)]);
    const [br, gz] = await Promise.all([
      brotli(bytes, {
        params: {
          [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
          [zlib.constants.BROTLI_PARAM_MODE]: file.endsWith('.wasm') ? zlib.constants.BROTLI_MODE_GENERIC : zlib.constants.BROTLI_MODE_TEXT,
          [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
        },
      }),
      gzip(bytes, { level: zlib.constants.Z_BEST_COMPRESSION }),
    ]);
    summary.files++;
    summary.originalBytes += bytes.length;
    for (const [suffix, copy] of [
      ['.br', br],
      ['.gz', gz],
    ] as const) {
      const target = file + suffix;
      if (copy.length >= bytes.length) {
        await fs.rm(target, { force: true });
      } else {
        await fs.writeFile(target, copy);
        // The copy is the same content as of the same time: Last-Modified agrees with the original.
        await fs.utimes(target, stat.atime, stat.mtime);
      }
      const sent = Math.min(copy.length, bytes.length);
      if (suffix === '.br') summary.brotliBytes += sent;
      else summary.gzipBytes += sent;
    }
  }
  return summary;
}

async function main(): Promise<void> {
  const dir = process.argv[2];
  if (!dir) {
    process.stderr.write('usage: tsx scripts/precompress.ts <build directory>\n');
    process.exit(2);
  }
  const s = await precompressDir(path.resolve(dir));
  process.stdout.write(
    `precompressed ${s.files} files in ${dir}: ${s.originalBytes} bytes, brotli ${s.brotliBytes}, gzip ${s.gzipBytes}\n`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((err: unknown) => {
    process.stderr.write(`precompress failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
