# lts-steward: the GitHub App's server (docs/deployment.md).
#   docker build -t lts-steward .
#   docker run --env-file lts-steward.env -p 3000:3000 lts-steward

# Node.js 24 LTS on Debian 13 (trixie), slim. The Debian release is pinned: plain `node:24-slim` follows
# the image's default Debian, which changes under a rebuild (bookworm to trixie in 2025); here that is a
# reviewed edit, while `docker build --pull` still brings Node 24 and Debian security releases.

# Build: compile TypeScript with the dev dependencies.
FROM node:24-trixie-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# Run: production dependencies and the compiled code only.
FROM node:24-trixie-slim AS runtime
# JSON log lines on stdout, listen on every interface of the container.
ENV NODE_ENV=production \
    LOG_FORMAT=json \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
COPY package.json package-lock.json ./
# No production dependency has install scripts; skipping them keeps the install to what the lockfile says.
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY schema ./schema
COPY app.yml ./
# The files stay root's and read-only to the App: it runs as the image's unprivileged `node` user.
USER node
EXPOSE 3000
# Node has fetch; the slim image has no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# On SIGTERM (docker stop) queued jobs get up to 8 s to finish, within docker stop's default 10 s.
CMD ["node", "dist/main.js"]
