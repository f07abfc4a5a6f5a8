# Rota server image: built in one stage, run from the built output as a non-root user.
#   docker build -t rota .
#   docker run -p 3000:3000 -e DATABASE_URL=... -e ROTA_JWT_SECRET=... rota

FROM node:24-bookworm-slim AS build
WORKDIR /app
# Manifests first, so dependency layers are reused while only sources change.
COPY package.json package-lock.json turbo.json tsconfig.base.json ./
COPY packages/core/package.json packages/core/
COPY packages/storage-pg/package.json packages/storage-pg/
COPY packages/http/package.json packages/http/
COPY packages/sdk-client/package.json packages/sdk-client/
COPY examples examples
RUN npm ci --no-audit --no-fund
COPY packages packages
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:24-bookworm-slim AS run
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 ROTA_LOG_FORMAT=json
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules node_modules
COPY --from=build --chown=node:node /app/packages packages
# The image's own user: the server needs no root, and writes only under /app/data.
RUN mkdir -p /app/data && chown node:node /app/data
ENV ROTA_DATA_DIR=/app/data
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# V8 sized for a server (2 x 16 MB young generation, 512 MB old space), no allocation-site
# pretenuring (it kept every request's objects alive to the old space), and the embedded store's
# WebAssembly left to V8's baseline compiler: see docs/deployment.md.
CMD ["node", "--max-semi-space-size=16", "--max-old-space-size=512", "--no-allocation-site-pretenuring", "--liftoff-only", "packages/http/dist/main.js"]
