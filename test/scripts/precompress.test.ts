import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { precompressDir } from '../../scripts/precompress.js';

describe('precompress (the build step after vite build)', () => {
  let dir: string;
  const script = Buffer.from('export const greeting = "hello telepets";\n'.repeat(500));
  const style = Buffer.from('.card { border-radius: 12px; padding: 8px; }\n'.repeat(200));
  const picture = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(4096, 3)]);
  const tiny = Buffer.from('{}');

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'telepets-precompress-'));
    fs.mkdirSync(path.join(dir, 'assets'));
    fs.writeFileSync(path.join(dir, 'assets/index-AAAAAAAA.js'), script);
    fs.writeFileSync(path.join(dir, 'assets/index-BBBBBBBB.css'), style);
    fs.writeFileSync(path.join(dir, 'assets/egg-CCCCCCCC.png'), picture);
    fs.writeFileSync(path.join(dir, 'tiny.json'), tiny);
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes brotli and gzip copies beside text files, nested ones too, that decode to the original', async () => {
    await precompressDir(dir);
    for (const [file, bytes] of [
      ['assets/index-AAAAAAAA.js', script],
      ['assets/index-BBBBBBBB.css', style],
    ] as const) {
      const full = path.join(dir, file);
      assert.ok(zlib.brotliDecompressSync(fs.readFileSync(`${full}.br`)).equals(bytes), `${file}.br`);
      assert.ok(zlib.gunzipSync(fs.readFileSync(`${full}.gz`)).equals(bytes), `${file}.gz`);
      // Last-Modified (whole seconds) of both copies agrees.
      assert.equal(fs.statSync(`${full}.br`).mtime.toUTCString(), fs.statSync(full).mtime.toUTCString());
    }
  });

  it('leaves pictures alone and writes no copy that would not be smaller', async () => {
    await precompressDir(dir);
    assert.deepEqual(
      fs.readdirSync(dir, { recursive: true }).map(String).sort(),
      ['assets', 'assets/egg-CCCCCCCC.png', 'assets/index-AAAAAAAA.js', 'assets/index-AAAAAAAA.js.br', 'assets/index-AAAAAAAA.js.gz',
        'assets/index-BBBBBBBB.css', 'assets/index-BBBBBBBB.css.br', 'assets/index-BBBBBBBB.css.gz', 'tiny.json'],
    );
  });

  it('sums what a client would get: brotli smallest, then gzip, then the original', async () => {
    const summary = await precompressDir(dir);
    assert.equal(summary.files, 3);
    assert.equal(summary.originalBytes, script.length + style.length + tiny.length);
    assert.ok(summary.brotliBytes < summary.gzipBytes, JSON.stringify(summary));
    assert.ok(summary.gzipBytes < summary.originalBytes, JSON.stringify(summary));
  });
});
