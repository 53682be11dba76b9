# syntax=docker/dockerfile:1
# Telepets: one image for the game server, the image worker and migrations (docs/deploy.md).
#   server:     the default CMD
#   worker:     node --max-old-space-size=1024 dist/server/worker.js
#   migrations: node dist/server/cli/migrate.js up
# Build:  docker build -t telepets .

ARG NODE_IMAGE=node:20-bookworm-slim

# --- build: every dependency, then the server (tsc) and the Mini App (vite, precompressed) ---
FROM ${NODE_IMAGE} AS build
# better-sqlite3 compiles itself when no prebuilt binary fits the platform.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# --- production dependencies only (compilers stay in this stage) ---
FROM ${NODE_IMAGE} AS prod-deps
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# --- runtime ---
FROM ${NODE_IMAGE} AS runtime
# tini is PID 1: it forwards SIGTERM to node (which drains rooms and flushes pets) and reaps
# zombies.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=2567 \
    CLIENT_DIST_DIR=/app/dist/client
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /src/dist ./dist
# The share cards' fonts (server/cards/card-renderer.ts looks for assets/fonts beside dist).
COPY assets/fonts ./assets/fonts
COPY package.json ./
# The node image's unprivileged user (uid 1000): nothing in /app is writable by it.
USER node
EXPOSE 2567
# /healthz on the process's own port: the server's route, or the worker's metrics endpoint
# (server/worker-http.ts). Migrations exit before the first check.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 2567) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
# The same heap limit as npm start.
CMD ["node", "--max-old-space-size=1024", "dist/server/main.js"]
