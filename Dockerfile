# syntax=docker/dockerfile:1
# The Stance server: built with the dev dependencies (TypeScript, esbuild for the page), run with the
# production ones only, as a user without rights. docker-compose.yml runs two of these behind HAProxy.
#   docker build -t stance .
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# No install scripts: the embedded PostgreSQL's (the only one the app needs) is for running without
# DATABASE_URL, which a container does not; esbuild finds its binary without its own.
RUN npm ci --ignore-scripts
COPY . .
RUN npm run build

FROM ${NODE_IMAGE} AS production-dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force

FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
COPY --from=production-dependencies /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY --from=build /app/web/dist web/dist
COPY package.json ./
# The seed corpus (loaded on the first start of an empty database) and the API document's examples.
COPY seeds seeds
USER node
EXPOSE 3000
# Node 20 has fetch; the slim image has no curl. /health checks the database too (503 when it is down).
HEALTHCHECK --interval=5s --timeout=3s --start-period=120s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# What `npm start` runs once it has built (package.json; test/docker-stack.e2e-spec.ts checks they agree).
CMD ["node", "--max-old-space-size=400", "dist/src/main.js"]
