// The service process: `npm start`. Prints one line saying where it listens and which
// database it uses; stops cleanly (exit 0) on SIGINT/SIGTERM after draining connections.
import "reflect-metadata";
import { loadConfig, ConfigError } from "./config";
import { EmbeddedPostgresError } from "./core/embedded-postgres";
import { logger } from "./core/logger";
import { startApp, type App } from "./app";

async function main(): Promise<void> {
  let app: App | undefined;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down: draining connections");
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

void main();
