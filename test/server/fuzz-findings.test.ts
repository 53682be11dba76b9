/**
 * Minimal reproductions of what the fuzz suites (test/fuzz/) found, each kept as a plain test.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { isErrorCode } from '../../shared/errors.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

/** Writes raw bytes to the server and reads the whole answer (the server closes the socket). */
function rawHttp(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(request));
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
}

describe('fuzz findings', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(async () => {
    await s?.stop({ dropDatabase: true });
  });

  it('answers headers too large (431) in the error schema, not in Fastify\'s default shape', async () => {
    const res = await fetch(`${s.url}/api/v1/pets?cursor=${'x'.repeat(20_000)}`);
    assert.equal(res.status, 431);
    const body = (await res.json()) as { error: { code: string; message: string } };
    assert.ok(isErrorCode(body.error?.code), JSON.stringify(body));
    assert.equal(typeof body.error.message, 'string');
  });

  it('answers a request the HTTP parser cannot read with a 400 in the error schema', async () => {
    const answer = await rawHttp(s.port, 'GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n');
    assert.match(answer, /^HTTP\/1\.1 400 /);
    const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { error: { code: string } };
    assert.ok(isErrorCode(body.error?.code), answer);
    // The process is fine afterwards.
    assert.equal((await fetch(`${s.url}/healthz`)).status, 200);
  });
});
