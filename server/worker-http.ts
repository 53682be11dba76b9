/**
 * The image worker's own small HTTP endpoint (it serves no game routes): `GET /metrics` for
 * Prometheus and `GET /healthz` for the container health check, on the worker's HOST and
 * PORT. Anything else is 404; only GET and HEAD are answered.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';

export interface WorkerHttp {
  /** The port it listens on, or null when it could not listen (the worker goes on without it). */
  readonly port: number | null;
  close(): Promise<void>;
}

function send(res: http.ServerResponse, status: number, type: string, body: string, head: boolean): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(head ? undefined : body);
}

/**
 * Listens on `host:port`. A port already taken (two workers on one host with the same PORT)
 * does not stop the worker: its jobs matter more than its metrics. It is logged as an error,
 * and Prometheus's `up == 0` for the target (alert TelepetsTargetDown) says so too.
 */
export async function startWorkerHttp(options: { host: string; port: number; registry: Registry; logger: Logger }): Promise<WorkerHttp> {
  const { registry, logger } = options;
  const server = http.createServer((req, res) => {
    const head = req.method === 'HEAD';
    if (req.method !== 'GET' && !head) {
      res.setHeader('allow', 'GET, HEAD');
      return send(res, 405, 'application/json', JSON.stringify({ error: { code: 'NOT_FOUND', message: 'Only GET' } }), head);
    }
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') return send(res, 200, 'application/json', JSON.stringify({ status: 'ok' }), head);
    if (path === '/metrics') {
      registry.metrics().then(
        (body) => send(res, 200, registry.contentType, body, head),
        (err: unknown) => {
          logger.error({ err }, 'worker metrics could not be collected');
          send(res, 500, 'application/json', JSON.stringify({ error: { code: 'INTERNAL', message: 'Internal error' } }), head);
        },
      );
      return;
    }
    send(res, 404, 'application/json', JSON.stringify({ error: { code: 'NOT_FOUND', message: `No route for ${req.method} ${path}` } }), head);
  });
  // A scrape is one short request: idle connections do not linger.
  server.keepAliveTimeout = 5_000;
  server.headersTimeout = 10_000;
  server.requestTimeout = 10_000;
  const port = await new Promise<number | null>((resolve) => {
    const onError = (err: NodeJS.ErrnoException) => {
      logger.error({ err: err.message, host: options.host, port: options.port }, 'worker /metrics and /healthz are off: could not listen');
      resolve(null);
    };
    server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
  if (port !== null) logger.info({ host: options.host, port }, 'worker metrics listening');
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        if (port === null) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
