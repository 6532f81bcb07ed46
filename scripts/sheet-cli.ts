// What `npm run import` and `npm run export` share: the database, the operator acting, the
// operator's unit of work with its audit entry, and printing problems the way staff read them.
import os from "node:os";
import crypto from "node:crypto";
import type { DataSource } from "typeorm";
import { loadConfig, type Config } from "../src/config";
import { Role, type Actor } from "../src/core/access/auth";
import { messageOf, type UserError } from "../src/core/graphql/errors";
import { render } from "../src/core/i18n/i18n";
import { auditTextOfUserErrors } from "../src/modules/audit/audit.plugin";
import { cliLocale, say } from "./cli-language";
import { createEventBus, type EventBus } from "../src/core/live/pubsub";
import { UnitOfWork } from "../src/core/mutation/unit-of-work";
import { AuditOutcome } from "../src/modules/audit/audit.entity";
import { AuditService } from "../src/modules/audit/audit.service";
import { openDatabase } from "./database";
import { UsageError } from "./cli-options";
import { openTarget } from "./pg-tools";

/**
 * The server's operator: whoever can run commands on the server can read the database, so the
 * command line acts as ADMIN and sees personal data in full. Not an account (id 0); the ledger
 * records the OS user as 命令行 <user>.
 */
export function operatorActor(): Actor {
  return { kind: "ACCOUNT", id: 0, name: `命令行 ${os.userInfo().username}`, role: Role.ADMIN, scopeRegionId: null, teamId: null };
}

/** Where the user ran `npm run …` (npm itself changes to the package folder): relative paths start there. */
export function workingDirectory(): string {
  return process.env.INIT_CWD || process.cwd();
}

export interface CliContext {
  config: Config;
  dataSource: DataSource;
  events: EventBus;
  actor: Actor;
  /**
   * The operator's unit of work for one operation, audited like an API mutation: what its
   * transaction commits, its entry commits with (`summary`: what the command read, without
   * personal data).
   */
  unit(operation: string, summary: Record<string, unknown>): UnitOfWork;
  /**
   * Writes a unit's entry on its own, outside any transaction: for an attempt whose transaction
   * committed nothing, its entry included (REJECTED, with the problems).
   */
  record(unit: UnitOfWork, outcome: AuditOutcome, errors?: readonly UserError[]): Promise<void>;
}

/**
 * Opens DATABASE_URL, or the embedded database under DATA_DIR: the server of the service
 * running there when it answers (an import needs no downtime; row locks keep it safe beside the
 * service), otherwise one started for the command. Migrated; REDIS_URL for live updates.
 */
export async function withDatabase<T>(work: (context: CliContext) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const target = await openTarget(config, { createEmbedded: true });
  let opened: Awaited<ReturnType<typeof openDatabase>>;
  try {
    opened = await openDatabase(config, { urls: { url: target.serviceUrl, ownerUrl: target.ownerUrl } });
  } catch (error) {
    await target.close();
    throw error;
  }
  const { dataSource } = opened;
  const close = async () => {
    await opened.close();
    await target.close();
  };
  // With REDIS_URL, dashboards subscribed to a running service see the stock an import changes.
  const events = await createEventBus(config.redisUrl, config.redisChannelPrefix);
  const actor = operatorActor();
  // An entry the database does not take waits in the spool under DATA_DIR, for the service to write.
  const audit = new AuditService(dataSource, { dataDir: config.dataDir, maxBytes: config.auditSpoolMaxBytes });
  try {
    return await work({
      config,
      dataSource,
      events,
      actor,
      unit: (operation, summary) => UnitOfWork.forOperator(actor, operation, { via: "command line", ...summary }, `cli-${crypto.randomUUID()}`),
      record: (unit, outcome, errors = []) =>
        audit.record([
          {
            ...unit.audit.draft,
            outcome,
            errorCode: errors[0]?.code ?? null,
            // In Chinese, as the service's entries (modules/audit/audit.plugin.ts auditTextOfUserErrors).
            message: errors.length ? auditTextOfUserErrors(errors).slice(0, 1000) : null,
          },
        ]),
    });
  } finally {
    await audit.close();
    await events.close();
    await close();
  }
}

/** rows[12].数量 → "第 12 行，数量" ("row 12, 数量"); input.content → "文件" ("file"). */
export function describeField(field: string | null): string {
  if (!field) return say("cli.field.file");
  const row = /^rows\[(\d+)\](?:\.(.+))?$/.exec(field);
  if (row) return row[2] ? say("cli.field.rowColumn", { row: row[1], column: row[2] }) : say("cli.field.row", { row: row[1] });
  if (field.startsWith("input.")) return say("cli.field.file");
  return field;
}

/** An import's problems as staff read them, in the command's language; the codes stay as they are. */
export function printProblems(filename: string, errors: readonly UserError[]): void {
  console.error(say(errors.length === 1 ? "cli.problems.one" : "cli.problems.many", { filename, count: errors.length }));
  for (const error of errors) console.error(`  ${describeField(error.field)}: ${error.code} — ${error.text(cliLocale)}`);
}

/**
 * Progress for big files: a line that rewrites itself on a terminal, a line per step otherwise
 * (logs, CI). Small files (under 1,000 rows) print only the totals.
 */
export function progressPrinter() {
  const interactive = process.stdout.isTTY === true;
  const labels = { validated: "cli.progress.validated", written: "cli.progress.written" } as const;
  return ({ stage, done, total }: { stage: keyof typeof labels; done: number; total: number }) => {
    const line = `  ${say(labels[stage], { done, total })}`;
    if (interactive) process.stdout.write(`\r${line}${done === total ? "\n" : ""}`);
    else if (done === total || total >= 1000) console.log(line);
  };
}

export function fail(error: unknown, what: "cli.import.failed" | "cli.export.failed"): never {
  if (error instanceof UsageError) {
    console.error(error.message);
    process.exit(2);
  }
  // A failure of ours names its message (the database away, …); anything else says what it says.
  const said = messageOf(error);
  const reason = said ? render(cliLocale, said) : error instanceof Error ? error.message : String(error);
  console.error(say(what, { reason }));
  process.exit(1);
}
