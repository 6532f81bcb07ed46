import fs from "node:fs";
import { adminQuery } from "./cluster";
import { removeReplicationSeed } from "./replication";

export default async function globalTeardown(): Promise<void> {
  const info = globalThis.__kaizhouCluster;
  await globalThis.__kaizhouPgbouncer?.stop();
  if (info) removeReplicationSeed(info.templateDatabase);
  if (info && !globalThis.__kaizhouEmbedded) {
    // On a shared server, leave nothing of this run behind: its template and any test
    // database a failed file left (they are all named after the template).
    const leftovers = await adminQuery<{ datname: string }>(info.adminUrl, "SELECT datname FROM pg_database WHERE starts_with(datname, $1)", [info.templateDatabase]);
    for (const { datname } of leftovers) {
      await adminQuery(info.adminUrl, `DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`).catch(() => undefined);
    }
  }
  await globalThis.__kaizhouEmbedded?.stop();
  if (info?.embeddedDataDir) fs.rmSync(info.embeddedDataDir, { recursive: true, force: true });
}
