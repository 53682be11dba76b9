import net from 'node:net';
import { createPostgresScratch, TEST_DATABASE_URL, type ScratchDatabase } from './services.js';

/** A TCP proxy that can be cut and restored, to take a real service "down" for a test. */
export interface TcpProxy {
  port: number;
  /** Closes every connection and refuses new ones. */
  cut(): Promise<void>;
  /** Accepts connections again on the same port. */
  restore(): Promise<void>;
  /**
   * A half-open outage: every connection, open or new, stays open but nothing is forwarded
   * either way (nor answered, not even a close), until `close()`.
   */
  stall(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  const pairs = new Set<[net.Socket, net.Socket]>();
  let server: net.Server | null = null;
  let port = 0;
  let stalled = false;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = net.createServer({ allowHalfOpen: true }, (client) => {
        if (stalled) {
          // Accepted and never answered: a peer that hangs.
          sockets.add(client);
          client.on('error', () => undefined);
          client.on('end', () => undefined);
          return;
        }
        const upstream = net.connect(targetPort, targetHost);
        pairs.add([client, upstream]);
        sockets.add(client).add(upstream);
        client.pipe(upstream).pipe(client);
        const drop = () => {
          if (stalled) return;
          client.destroy();
          upstream.destroy();
          sockets.delete(client);
          sockets.delete(upstream);
        };
        client.on('error', drop).on('close', drop);
        upstream.on('error', drop).on('close', drop);
      });
      server.on('error', reject);
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as net.AddressInfo).port;
        resolve();
      });
    });
  const stall = () => {
    stalled = true;
    for (const [client, upstream] of pairs) {
      client.unpipe(upstream);
      upstream.unpipe(client);
      // Read and drop whatever comes, so nothing is forwarded and no close reaches either side.
      client.on('data', () => undefined).resume();
      upstream.on('data', () => undefined).resume();
    }
  };
  const stop = () =>
    new Promise<void>((resolve) => {
      stalled = false;
      pairs.clear();
      for (const s of sockets) s.destroy();
      sockets.clear();
      if (server) server.close(() => resolve());
      else resolve();
      server = null;
    });
  await listen();
  return { port, cut: stop, restore: listen, stall, close: stop };
}

/** A fresh Postgres scratch reached through a proxy, so a test can take the database "down". */
export async function proxiedPostgresScratch(): Promise<{ database: ScratchDatabase; proxy: TcpProxy }> {
  const scratch = await createPostgresScratch();
  const target = new URL(TEST_DATABASE_URL);
  const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
  const viaProxy = new URL(scratch.url);
  viaProxy.host = `127.0.0.1:${proxy.port}`;
  return { database: { url: viaProxy.toString(), drop: () => scratch.drop() }, proxy };
}
