// The service process: `npm start`. Prints one line saying where it listens and which
// database it uses; stops cleanly (exit 0) on SIGINT/SIGTERM after draining connections, and
// also when the npm that started it dies without passing a signal on.
import "reflect-metadata";
import { loadConfig, ConfigError } from "./config";
import { EmbeddedPostgresError } from "./core/db/embedded-postgres";
import { logger } from "./core/ops/logger";
import { startApp, type App } from "./app";

async function main(): Promise<void> {
  let app: App | undefined;
  let stopping = false;
  const shutdown = async (cause: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ cause }, "shutting down: draining connections");
    try {
      await app?.stop();
      logger.info("stopped");
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, "shutdown failed");
      process.exit(1);
    }
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  stopWhenLauncherDies(() => {
    logger.warn("the process that started this one is gone: shutting down");
    void shutdown("launcher exited");
  });

  try {
    const config = loadConfig();
    app = await startApp(config);
    for (const notice of app.notices) console.log(notice);
    console.log(`Kaizhou emergency resources API listening on ${app.url} (subscriptions: ${app.url.replace(/^http/, "ws")}) using ${app.databaseDescription}`);
    if (stopping) await app.stop();
  } catch (error) {
    if (error instanceof ConfigError || error instanceof EmbeddedPostgresError) {
      console.error(`Cannot start: ${error.message}`);
    } else {
      console.error(`Cannot start: ${(error as Error)?.stack ?? error}`);
    }
    await app?.stop().catch(() => undefined);
    process.exit(1);
  }
}

/**
 * Started by npm (which sets npm_lifecycle_event), the service lives only as long as the npm —
 * or the shell npm ran — that started it. npm passes SIGINT and SIGTERM on, but killed outright
 * (kill -9, an OOM kill) it passes nothing: Node would be orphaned, still serving and holding
 * DATA_DIR, and the next `npm start` would be refused. Run any other way (systemd, Docker,
 * nohup node …) the parent is left alone: a service may outlive the shell that launched it.
 */
function stopWhenLauncherDies(stop: () => void): void {
  if (!process.env.npm_lifecycle_event) return;
  const launcher = process.ppid;
  // Linux gives an orphan a new parent (init or a subreaper); polling is how Node can see it.
  const poll = setInterval(() => {
    if (process.ppid === launcher) return;
    clearInterval(poll);
    stop();
  }, 1000);
  poll.unref();
}

void main();
