/**
 * Minimal reproductions of what the fuzz suites (test/fuzz/) found, each kept as a plain test.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { Protocol } from '@colyseus/core';
import { decodable, frameType } from '../../server/rooms/frame-screen.js';
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

describe('fuzz findings: room frames', () => {
  /** Runs `work` with console.error captured: the server logs through pino, never the console. */
  const consoleLines = <T>(work: () => T): { value: T; lines: string[] } => {
    const lines: string[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void lines.push(args.map(String).join(' '));
    try {
      return { value: work(), lines };
    } finally {
      console.error = original;
    }
  };

  it('reads a frame whose type is not valid UTF-8 as having no type, silently, and refuses it', () => {
    // ROOM_DATA, then a msgpack fixstr of 3 bytes whose first is a lone continuation byte.
    for (const bytes of [[0x92, 0x41, 0x41], [0xc3, 0x28, 0x41], [0xed, 0xa0, 0x80]]) {
      const frame = Buffer.from([Protocol.ROOM_DATA, 0xa0 | bytes.length, ...bytes]);
      const type = consoleLines(() => frameType(frame));
      assert.equal(type.value, null, Buffer.from(bytes).toString('hex'));
      const ok = consoleLines(() => decodable(frame));
      assert.equal(ok.value, false);
      assert.deepEqual([...type.lines, ...ok.lines], [], 'nothing on the console');
    }
  });

  it('still reads valid string and number types', () => {
    assert.equal(frameType(Buffer.from([Protocol.ROOM_DATA, 0xa4, ...Buffer.from('care')])), 'care');
    assert.equal(frameType(Buffer.from([Protocol.ROOM_DATA, 0xa4, ...Buffer.from('ёж')])), 'ёж');
    assert.equal(frameType(Buffer.from([Protocol.ROOM_DATA, 0x07])), '7');
    // str8: a 0xd9 header with a one-byte length.
    assert.equal(frameType(Buffer.from([Protocol.ROOM_DATA, 0xd9, 3, ...Buffer.from('tap')])), 'tap');
    assert.equal(decodable(Buffer.from([Protocol.ROOM_DATA, 0xa3, ...Buffer.from('tap'), 0x80])), true);
    // A length beyond the frame is not a type.
    assert.equal(frameType(Buffer.from([Protocol.ROOM_DATA, 0xa9, ...Buffer.from('tap')])), null);
  });
});
