// The service process: `npm start`. Prints one line saying where it listens and which
// database it uses; stops cleanly (exit 0) on SIGINT/SIGTERM after draining connections, and
// also when the npm that started it dies without passing a signal on.
import "reflect-metadata";
import { sayHere, setProcessLocale } from "./core/i18n/i18n";
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
    logger.info({ cause }, sayHere("log.shuttingDown"));
    try {
      await app?.stop();
      logger.info(sayHere("log.stopped"));
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, sayHere("log.shutdownFailed"));
      process.exit(1);
    }
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  stopWhenLauncherDies(() => {
    logger.warn(sayHere("log.launcherGone"));
    void shutdown("launcher exited");
  });

  try {
    const config = loadConfig();
    // What the process itself says (start-up, shutdown, its log lines) is in DEFAULT_LOCALE (core/i18n).
    setProcessLocale(config.defaultLocale);
    app = await startApp(config);
    for (const notice of app.notices) console.log(sayHere(notice.key, notice.params));
    console.log(sayHere("startup.listening", { url: app.url, subscriptions: app.url.replace(/^http/, "ws"), database: app.databaseDescription }));
    if (stopping) await app.stop();
  } catch (error) {
    const reason = error instanceof ConfigError || error instanceof EmbeddedPostgresError ? error.message : String((error as Error)?.stack ?? error);
    console.error(sayHere("startup.cannotStart", { reason }));
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
