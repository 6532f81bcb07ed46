# The service image: Node 24 (the current LTS; README "Two commands" says which Node versions are
# supported) on Debian bookworm, production dependencies only. Bookworm rather than trixie for
# postgresql-client-15 below, the server's major version.
#
# It starts with the same `npm start` the tests run: TypeScript is compiled as it loads by
# @swc/core (scripts/register.js), which is therefore a runtime dependency, so there is no
# separate build output that could drift from what was tested.
#
#   docker build -t kaizhou-emergency-resources .
#   docker compose up -d          (with PostgreSQL and Redis: see docker-compose.yml)
#
# The database as two roles (README "Database roles"): DATABASE_URL, the service's pool, as a
# role that owns nothing; MIGRATION_DATABASE_URL, the schema's owner, which start-up uses to
# migrate, grant the service's role and seed, then closes. With NODE_ENV=production (below)
# a DATABASE_URL alone that connects as the owner or a superuser is refused at start-up.
FROM node:24-bookworm-slim

# pg_dump and pg_restore 15 (the server's major version in docker-compose.yml) for
# `npm run backup` / `npm run restore` inside the container.
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-client-15 \
 && rm -rf /var/lib/apt/lists/*

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000 \
    DATA_DIR=/var/lib/kaizhou \
    BACKUP_DIR=/var/lib/kaizhou/backups \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false

WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY . .
RUN mkdir -p /var/lib/kaizhou/backups && chown -R node:node /var/lib/kaizhou

USER node
EXPOSE 4000
VOLUME ["/var/lib/kaizhou"]
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["npm", "start"]
