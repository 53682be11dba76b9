/**
 * The nginx configuration compose.yaml mounts (deploy/compose/nginx.conf), rendered from the
 * same templates as `npm run cluster` (deploy/nginx/*.template) for the Compose services:
 * server-1 and server-2 on port 2567, nginx on 8080 inside its container, its prefix
 * directory /tmp/nginx. After changing a template or the number of servers:
 *
 *   npx tsx scripts/compose-nginx.ts > deploy/compose/nginx.conf
 *
 * (test/ops/compose.test.ts fails while the committed file differs from this output).
 */
import { fileURLToPath } from 'node:url';
import { renderNginxConfig, type NginxConfigOptions } from './cluster-lib.js';

/** How many `server-<i>` services compose.yaml runs. */
export const COMPOSE_SERVERS = 2;

export const COMPOSE_NGINX: NginxConfigOptions = {
  listenHost: '0.0.0.0',
  listenPort: 8080,
  prefixDir: '/tmp/nginx',
  processes: Array.from({ length: COMPOSE_SERVERS }, (_, k) => ({ name: `p${k + 1}`, host: `server-${k + 1}`, port: 2567, pathPrefix: `/p${k + 1}` })),
};

export function renderComposeNginx(): string {
  return renderNginxConfig(COMPOSE_NGINX);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.stdout.write(renderComposeNginx());
