/**
 * The built Mini App at `/`: the `.br` / `.gz` copies the build writes beside each file are
 * sent to clients that accept them, Vite's content-hashed assets are cached for a year, and
 * pages are revalidated on every load (by ETag, so an unchanged page costs a 304). Without a
 * build, `/` says how to make one.
 *
 * The admin panel is the build's second page, `admin.html`, served at `/admin` the same way
 * (its data comes from the token-protected JSON API under `/admin/…`; the page itself is
 * public like the Mini App's). `/admin/` redirects to `/admin`: the page's asset URLs are
 * relative (`./assets/…`), so they must resolve against `/`.
 */
import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Hashed names never change content: a new build gets new names, so browsers may keep them. */
const IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable';
/** Pages name the hashed assets of the current build: keep a copy, but ask every time. */
const PAGE_CACHE_CONTROL = 'no-cache';
/** Anything else the build copies as it is (unhashed names): a short while. */
const OTHER_CACHE_CONTROL = 'public, max-age=300';

/** Vite's output names: `assets/<name>-<hash>.<ext>` (the hash is at least 8 base64url characters). */
const HASHED_ASSET = /^assets\/(?:.+\/)?[^/]+-[\w-]{8,}\.\w+$/;
const COMPRESSED_COPY = /\.(?:br|gz)$/;

/** The admin panel's page: a second Vite entry (client/admin.html). */
export const ADMIN_PAGE_PATH = '/admin';
const ADMIN_PAGE_FILE = 'admin.html';

/** The Cache-Control of a file, by its path relative to the build directory (either copy). */
function cacheControlFor(relativePath: string): string {
  const file = relativePath.split(path.sep).join('/').replace(COMPRESSED_COPY, '');
  if (file.endsWith('.html')) return PAGE_CACHE_CONTROL;
  if (HASHED_ASSET.test(file)) return IMMUTABLE_CACHE_CONTROL;
  return OTHER_CACHE_CONTROL;
}

interface StaticFilesOptions {
  /** The client build directory (absolute). */
  root: string;
}

export function staticFiles({ root }: StaticFilesOptions) {
  return async (app: FastifyInstance): Promise<void> => {
    if (!fs.existsSync(root)) {
      app.log.warn({ dir: root }, 'client build not found; run npm run build');
      const notBuilt = (_request: FastifyRequest, reply: FastifyReply) => reply.code(503).type('text/plain').send('The Mini App is not built. Run `npm run build`.');
      app.get('/', { schema: { hide: true } }, notBuilt);
      app.get('/admin', { schema: { hide: true } }, notBuilt);
      return;
    }
    await app.register(fastifyStatic, {
      root,
      prefix: '/',
      index: ['index.html'],
      preCompressed: true,
      // Set per file below; send's own header would be one max-age for everything.
      cacheControl: false,
      setHeaders: (res, filePath) => {
        res.setHeader('Cache-Control', cacheControlFor(path.relative(root, filePath)));
        // The same URL has a brotli, a gzip and a plain body: shared caches must key on this.
        res.setHeader('Vary', 'Accept-Encoding');
      },
    });
    app.get(ADMIN_PAGE_PATH, { schema: { hide: true } }, (_request, reply) => reply.sendFile(ADMIN_PAGE_FILE));
    app.get(`${ADMIN_PAGE_PATH}/`, { schema: { hide: true } }, (_request, reply) => reply.redirect(ADMIN_PAGE_PATH, 301));
  };
}
