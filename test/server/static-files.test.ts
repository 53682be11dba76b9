/**
 * The Mini App's files as the real server serves them (CLIENT_DIST_DIR pointed at a fixture
 * build made here): pre-compressed brotli and gzip chosen by Accept-Encoding, hashed assets
 * cached for a year, index.html revalidated every time (cheaply, by ETag). Requests go over
 * node:http, not fetch, because fetch asks for compression itself and decodes the body.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function get(url: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

const varies = (res: RawResponse): boolean =>
  String(res.headers.vary ?? '')
    .toLowerCase()
    .split(/\s*,\s*/)
    .includes('accept-encoding');

const SCRIPT_PATH = 'assets/index-Dx3f9_aQ.js';
const STYLE_PATH = 'assets/index-P-hL7b8g.css';
const PICTURE_PATH = 'assets/egg-Q1w2e3r4.png';
// Compressible like real bundles (repetitive text), big enough that compression matters.
const SCRIPT = Buffer.from(Array.from({ length: 2000 }, (_, i) => `export const value${i} = "telepets ${i % 17}";\n`).join(''));
const STYLE = Buffer.from(Array.from({ length: 400 }, (_, i) => `.row-${i} { margin: ${i % 9}px; color: var(--text); }\n`).join(''));
const INDEX = Buffer.from(
  `<!doctype html><html><head><meta charset="utf-8" /><title>Telepets</title><script type="module" src="./${SCRIPT_PATH}"></script>` +
    `<link rel="stylesheet" href="./${STYLE_PATH}"></head><body data-scene="boot"><div id="app"></div>${'<!-- padding -->'.repeat(40)}</body></html>\n`,
);
const PICTURE = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(600, 7)]);
const ROBOTS = Buffer.from('User-agent: *\nDisallow:\n');

/** A client build as `npm run build` leaves it: the files, and .br/.gz beside the compressible ones. */
function writeFixtureBuild(dir: string): void {
  const files: Array<[string, Buffer, boolean]> = [
    ['index.html', INDEX, true],
    [SCRIPT_PATH, SCRIPT, true],
    [STYLE_PATH, STYLE, true],
    [PICTURE_PATH, PICTURE, false],
    ['robots.txt', ROBOTS, false],
  ];
  for (const [file, bytes, compress] of files) {
    const full = path.join(dir, file);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, bytes);
    if (!compress) continue;
    fs.writeFileSync(`${full}.br`, zlib.brotliCompressSync(bytes));
    fs.writeFileSync(`${full}.gz`, zlib.gzipSync(bytes, { level: 9 }));
  }
}

describe('Mini App files', () => {
  let dir: string;
  let server: TestServer;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'telepets-dist-'));
    writeFixtureBuild(dir);
    server = await startTestServer({ env: { CLIENT_DIST_DIR: dir } });
  });

  after(async () => {
    await server?.stop({ dropDatabase: true });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('compression', () => {
    it('sends the brotli file to a client that accepts br, and it decodes to the original', async () => {
      const res = await get(`${server.url}/${SCRIPT_PATH}`, { 'accept-encoding': 'gzip, deflate, br' });
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-encoding'], 'br');
      assert.match(String(res.headers['content-type']), /^(application|text)\/javascript/);
      assert.ok(res.body.length < SCRIPT.length / 4, `${res.body.length} bytes on the wire for ${SCRIPT.length}`);
      assert.ok(zlib.brotliDecompressSync(res.body).equals(SCRIPT));
      assert.ok(varies(res), `vary: ${String(res.headers.vary)}`);
    });

    it('sends the gzip file to a client that accepts only gzip, and it decodes to the original', async () => {
      const res = await get(`${server.url}/${STYLE_PATH}`, { 'accept-encoding': 'gzip' });
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-encoding'], 'gzip');
      assert.match(String(res.headers['content-type']), /^text\/css/);
      assert.ok(zlib.gunzipSync(res.body).equals(STYLE));
      assert.ok(varies(res));
    });

    it('sends the file as it is to a client that accepts no encoding', async () => {
      const res = await get(`${server.url}/${SCRIPT_PATH}`);
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-encoding'], undefined);
      assert.ok(res.body.equals(SCRIPT));
      assert.ok(varies(res), 'a cache must not hand this copy to a client that accepts br');
    });

    it('sends the page at / compressed too', async () => {
      const res = await get(`${server.url}/`, { 'accept-encoding': 'br' });
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-encoding'], 'br');
      assert.match(String(res.headers['content-type']), /^text\/html/);
      assert.ok(zlib.brotliDecompressSync(res.body).equals(INDEX));
    });

    it('sends a file that has no compressed copy as it is', async () => {
      const res = await get(`${server.url}/${PICTURE_PATH}`, { 'accept-encoding': 'gzip, deflate, br' });
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-encoding'], undefined);
      assert.equal(res.headers['content-type'], 'image/png');
      assert.ok(res.body.equals(PICTURE));
    });
  });

  describe('caching', () => {
    it('lets browsers keep hashed assets for a year without asking again', async () => {
      for (const [file, encoding] of [
        [SCRIPT_PATH, 'br'],
        [SCRIPT_PATH, ''],
        [STYLE_PATH, 'gzip'],
        [PICTURE_PATH, 'br'],
      ] as const) {
        const res = await get(`${server.url}/${file}`, encoding ? { 'accept-encoding': encoding } : {});
        assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable', `${file} (${encoding || 'identity'})`);
      }
    });

    it('makes browsers revalidate index.html on every load, at / and by name, with an ETag', async () => {
      for (const url of ['/', '/index.html', '/?user=42']) {
        for (const encoding of ['br', '']) {
          const res = await get(`${server.url}${url}`, encoding ? { 'accept-encoding': encoding } : {});
          assert.equal(res.status, 200, url);
          assert.equal(res.headers['cache-control'], 'no-cache', `${url} (${encoding || 'identity'})`);
          assert.ok(res.headers.etag, `${url} has an ETag`);
        }
      }
    });

    it('answers 304 without a body when the ETag still matches', async () => {
      for (const [url, encoding] of [
        ['/', 'br'],
        ['/index.html', ''],
        [`/${SCRIPT_PATH}`, 'br'],
      ] as const) {
        const headers: Record<string, string> = encoding ? { 'accept-encoding': encoding } : {};
        const first = await get(`${server.url}${url}`, headers);
        const etag = String(first.headers.etag);
        const again = await get(`${server.url}${url}`, { ...headers, 'if-none-match': etag });
        assert.equal(again.status, 304, url);
        assert.equal(again.body.length, 0);
        assert.equal(again.headers.etag, etag);
      }
    });

    it('gives the brotli and the plain copy different ETags', async () => {
      const br = await get(`${server.url}/${SCRIPT_PATH}`, { 'accept-encoding': 'br' });
      const plain = await get(`${server.url}/${SCRIPT_PATH}`);
      assert.ok(br.headers.etag && plain.headers.etag);
      assert.notEqual(br.headers.etag, plain.headers.etag);
      const crossed = await get(`${server.url}/${SCRIPT_PATH}`, { 'if-none-match': String(br.headers.etag) });
      assert.equal(crossed.status, 200, 'the brotli copy is not a cached copy of the plain one');
    });

    it('keeps other unhashed files for a short while only', async () => {
      const res = await get(`${server.url}/robots.txt`);
      assert.equal(res.status, 200);
      assert.equal(res.headers['cache-control'], 'public, max-age=300');
    });
  });

  it('answers 404 for a missing asset, not the page', async () => {
    const res = await get(`${server.url}/assets/missing-AAAAAAAA.js`, { 'accept-encoding': 'br' });
    assert.equal(res.status, 404);
  });
});

describe('Mini App files when the client is not built', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer({ env: { CLIENT_DIST_DIR: path.join(os.tmpdir(), 'telepets-no-such-build') } });
  });

  after(async () => {
    await server?.stop({ dropDatabase: true });
  });

  it('says so at / with a 503 text page', async () => {
    const res = await get(`${server.url}/`);
    assert.equal(res.status, 503);
    assert.match(String(res.headers['content-type']), /^text\/plain/);
    assert.match(res.body.toString('utf8'), /npm run build/);
  });
});
