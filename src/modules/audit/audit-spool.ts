// The audit spool: the entries of attempts that commit nothing (refused, rejected, failed), kept
// on disk while the database does not take them and written to audit_entry when it answers
// again — in their order, with the time of the attempt, and never twice.
//
// Where: DATA_DIR/audit-spool/<database>/, one JSON line per request (its time and its
// entries), appended and fsync'd before the response is sent: a crash, a restart or a power cut
// loses nothing that was answered. Each instance appends to a file of its own, named after it
// (host_pid_random.jsonl). A flush seals that file (renames it with a time stamp), so that
// appends go on into a new one while the sealed one is written and removed. The files of an
// instance that is gone are taken over by the next flush of any instance on the same DATA_DIR:
// handed over at a clean stop ("released~…"), left by a process no longer running on this host,
// or not touched for a minute by an instance on another host (each touches its files at every
// tick).
//
// Never twice: a spooled entry is inserted only where no entry with the same time, request id,
// operation and outcome exists, so a crash between the INSERT and the removal of the file costs
// a second look, not a second entry. An entry the database refuses for what it holds (a data or
// constraint error: it would refuse it for ever) is dropped, logged as AUDIT WRITE FAILED and
// counted, and the rest goes on; any other failure means "not now", and the spool waits.
//
// Bounded: beyond maxBytes new entries are dropped, counted and logged, so that what is kept is
// the whole outage from its start up to the moment the spool filled.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { DataSource } from "typeorm";
import { auditEntryColumns, type AuditRecord } from "../../core/mutation/audit-trail";
import { logger } from "../../core/ops/logger";
import type { AuditLossReason, AuditSpoolCounters } from "../../core/ops/metrics";
import { RateLimitedLog } from "../../core/ops/rate-limited-log";

export interface AuditSpoolOptions {
  /** DATA_DIR: the spool is DATA_DIR/audit-spool/<database>/. */
  dataDir: string;
  /** AUDIT_SPOOL_MAX_BYTES: this instance's spool files together never grow beyond it. */
  maxBytes: number;
  counters?: AuditSpoolCounters;
}

/** One line of a spool file: a request's entries and when they were made. */
interface SpooledRequest {
  at: string;
  entries: AuditRecord[];
}

const FLUSH_EVERY_MS = 5_000;
/** An instance on another host whose files are this old is gone (live ones touch theirs every tick). */
const SILENT_OWNER_MS = 60_000;
const ENTRIES_PER_STATEMENT = 500;
const RELEASED = "released";
const HOST = os.hostname().replace(/[^A-Za-z0-9-]/g, "-") || "host";
const FILE_NAME = /^([^~]+)(?:~(\d{13}-[0-9a-f]{8}))?\.jsonl$/;

/** Spools open in this process (in-process test instances share a pid): their files are not orphans. */
const openInThisProcess = new Set<string>();

function stamp(ms = Date.now()): string {
  return `${String(Math.floor(ms)).padStart(13, "0")}-${crypto.randomBytes(4).toString("hex")}`;
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Whether the instance that wrote a file is gone, so that another may take the file over. */
function ownerIsGone(owner: string, modifiedMs: number): boolean {
  if (owner === RELEASED) return true;
  if (openInThisProcess.has(owner)) return false;
  const named = /^(.+)_(\d+)_[0-9a-f]+$/.exec(owner);
  // On this host a pid answers; our own pid here means a previous life of this container.
  if (named && named[1] === HOST) return Number(named[2]) === process.pid || !processRuns(Number(named[2]));
  return Date.now() - modifiedMs > SILENT_OWNER_MS;
}

// PostgreSQL's text and jsonb hold no NUL character (as in core/mutation/audit-trail.ts insertAuditEntries).
function withoutNul(_key: string, value: unknown): unknown {
  return typeof value === "string" && value.includes("\u0000") ? value.replace(/\u0000/g, "\uFFFD") : value;
}

/**
 * Whether the database refused the entries themselves (SQLSTATE class 22 data exception or 23
 * integrity constraint violation), which no retry changes — rather than being away, restarting,
 * read-only or overloaded, which the spool waits out.
 */
export function refusesTheEntries(error: unknown): boolean {
  const failure = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = failure?.driverError?.code ?? failure?.code;
  return typeof code === "string" && /^2[23][0-9A-Z]{3}$/.test(code);
}

function writeDurably(file: string, text: string, flag: "a" | "w"): void {
  const fd = fs.openSync(file, flag, 0o600);
  try {
    fs.writeSync(fd, text);
    fs.fdatasyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export class AuditSpool {
  private readonly owner = `${HOST}_${process.pid}_${crypto.randomBytes(4).toString("hex")}`;
  private readonly dir: string;
  private readonly activeName = `${this.owner}.jsonl`;
  /** This instance's non-empty spool files (its own and those it took over), by name. */
  private readonly files = new Map<string, { entries: number; bytes: number }>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private readonly fullLog = new RateLimitedLog("error", "AUDIT ENTRIES LOST: the audit spool is full (AUDIT_SPOOL_MAX_BYTES)");
  private readonly unwritableLog = new RateLimitedLog("error", "AUDIT ENTRIES LOST: the audit spool cannot be written");
  private readonly flushFailureLog = new RateLimitedLog("warn", "audit spool flush failed");

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: AuditSpoolOptions,
  ) {
    const database = String((dataSource.driver as { database?: string }).database ?? "default").replace(/[^\w.-]/g, "_");
    this.dir = path.join(options.dataDir, "audit-spool", database);
    openInThisProcess.add(this.owner);
  }

  /** Set when an append found no room; cleared once a flush made some. */
  private filled = false;

  /**
   * Whether new entries should queue behind waiting ones, so that all reach the log in order: while
   * entries wait and there is room. A full spool lets new entries try the database first.
   */
  get takesNewEntries(): boolean {
    return this.files.size > 0 && !this.filled;
  }

  get entries(): number {
    let sum = 0;
    for (const file of this.files.values()) sum += file.entries;
    return sum;
  }

  get bytes(): number {
    let sum = 0;
    for (const file of this.files.values()) sum += file.bytes;
    return sum;
  }

  /** Keeps a request's entries on disk (synchronously: the response waits for it). */
  append(at: Date, entries: AuditRecord[]): void {
    const line = `${JSON.stringify({ at: at.toISOString(), entries } satisfies SpooledRequest, withoutNul)}\n`;
    const size = Buffer.byteLength(line);
    if (this.bytes + size > this.options.maxBytes) {
      this.filled = true;
      this.lose("spool_full", entries, this.fullLog);
      return;
    }
    try {
      fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      writeDurably(path.join(this.dir, this.activeName), line, "a");
    } catch (error) {
      this.lose("spool_unwritable", entries, this.unwritableLog, error);
      return;
    }
    const active = this.files.get(this.activeName) ?? { entries: 0, bytes: 0 };
    this.files.set(this.activeName, { entries: active.entries + entries.length, bytes: active.bytes + size });
  }

  /** At start-up: writes what earlier runs left (awaited), then tries again every few seconds. */
  async start(): Promise<void> {
    await this.flush();
    this.timer = setInterval(() => {
      this.touchFiles();
      void this.flush();
    }, FLUSH_EVERY_MS);
    this.timer.unref();
  }

  /** Stops the timer, tries a last flush, and hands whatever still waits over to the next instance. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
    for (const name of [...this.files.keys()]) {
      const stamped = FILE_NAME.exec(name)?.[2] ?? stamp();
      try {
        fs.renameSync(path.join(this.dir, name), path.join(this.dir, `${RELEASED}~${stamped}.jsonl`));
      } catch (error) {
        logger.warn({ err: error, file: name }, "audit spool file could not be handed over; it is taken over once this process is gone");
      }
    }
    this.files.clear();
    openInThisProcess.delete(this.owner);
  }

  /** One flush at a time; a failure is logged and retried at the next tick. */
  flush(): Promise<void> {
    this.flushing ??= this.flushOnce()
      .catch((error) => this.flushFailureLog.note({ err: error }))
      .finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async flushOnce(): Promise<void> {
    const orphans = this.orphans();
    if (!this.files.size && !orphans.length) return;
    if (!(await this.databaseAnswers())) return;
    for (const name of orphans) this.takeOver(name);
    this.seal();
    let written = 0;
    for (const name of [...this.files.keys()].filter((n) => n !== this.activeName).sort((x, y) => (FILE_NAME.exec(x)?.[2] ?? "").localeCompare(FILE_NAME.exec(y)?.[2] ?? ""))) {
      const result = await this.flushFile(name);
      written += result.written;
      if (!result.complete) break;
    }
    if (written) logger.info({ entries: written, waiting: this.entries }, "audit spool: entries written to the audit log");
  }

  private orphans(): string[] {
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch {
      return []; // no spool yet
    }
    return names.filter((name) => {
      const owner = FILE_NAME.exec(name)?.[1];
      if (!owner || owner === this.owner) return false;
      try {
        return ownerIsGone(owner, fs.statSync(path.join(this.dir, name)).mtimeMs);
      } catch {
        return false; // taken over by another instance meanwhile
      }
    });
  }

  /** Renames a gone instance's file into this one's name (one rename wins a race), keeping its place in time. */
  private takeOver(name: string): void {
    const from = path.join(this.dir, name);
    let stamped = FILE_NAME.exec(name)?.[2];
    try {
      stamped ??= stamp(fs.statSync(from).mtimeMs); // an active file: its entries are older than its last change
      const adopted = `${this.owner}~${stamped}.jsonl`;
      fs.renameSync(from, path.join(this.dir, adopted));
      const text = fs.readFileSync(path.join(this.dir, adopted), "utf8");
      const entries = text.split("\n").reduce((sum, line) => sum + (line ? (this.parse(line)?.entries.length ?? 0) : 0), 0);
      this.files.set(adopted, { entries, bytes: Buffer.byteLength(text) });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error; // ENOENT: another instance took it
    }
  }

  /** Renames the file appends go to, so that it can be written and removed while appends go on into a new one. */
  private seal(): void {
    const active = this.files.get(this.activeName);
    if (!active) return;
    const sealed = `${this.owner}~${stamp()}.jsonl`;
    fs.renameSync(path.join(this.dir, this.activeName), path.join(this.dir, sealed));
    this.files.delete(this.activeName);
    this.files.set(sealed, active);
  }

  /** Writes one sealed file's lines in order; keeps what could not be written for the next flush. */
  private async flushFile(name: string): Promise<{ written: number; complete: boolean }> {
    const file = path.join(this.dir, name);
    const lines = fs.readFileSync(file, "utf8").split("\n").filter(Boolean);
    let done = 0; // lines [0, done) are in the audit log, or dropped
    let written = 0;
    let stopped = false;
    while (done < lines.length && !stopped) {
      const batch: Array<SpooledRequest> = [];
      let end = done;
      for (let entries = 0; end < lines.length; end++) {
        const request = this.parse(lines[end]);
        if (!request) {
          if (batch.length) break;
          this.options.counters?.lost("unreadable", 1);
          logger.error({ file: name }, "AUDIT WRITE FAILED: an unreadable line of the audit spool was dropped");
          done = end + 1;
          continue;
        }
        if (batch.length && entries + request.entries.length > ENTRIES_PER_STATEMENT) break;
        batch.push(request);
        entries += request.entries.length;
      }
      if (!batch.length) continue;
      try {
        written += await this.insert(batch);
        done = end;
      } catch (error) {
        if (!refusesTheEntries(error)) break; // away again: the rest waits for the next flush
        // One at a time, so that the line it refuses does not take the others with it.
        for (const request of batch) {
          try {
            written += await this.insert([request]);
          } catch (alone) {
            if (!refusesTheEntries(alone)) {
              stopped = true;
              break;
            }
            this.refused(request.entries, alone);
          }
          done++;
        }
      }
    }
    if (done > 0) this.filled = false;
    if (done === lines.length) {
      fs.rmSync(file);
      this.files.delete(name);
      return { written, complete: true };
    }
    const rest = `${lines.slice(done).join("\n")}\n`;
    writeDurably(`${file}.tmp`, rest, "w");
    fs.renameSync(`${file}.tmp`, file);
    const entries = lines.slice(done).reduce((sum, line) => sum + (this.parse(line)?.entries.length ?? 0), 0);
    this.files.set(name, { entries, bytes: Buffer.byteLength(rest) });
    return { written, complete: false };
  }

  /**
   * The columns of insertAuditEntries (core/mutation/audit-trail.ts) and the time of the attempt; an entry
   * already present (same time, request, operation and outcome) is not inserted again.
   * Resolves to the number of entries inserted.
   */
  private async insert(requests: SpooledRequest[]): Promise<number> {
    const rows = requests.flatMap(({ at, entries }) =>
      entries.map((entry) => ({ at, ...auditEntryColumns(entry) })),
    );
    const inserted: unknown[] = await this.dataSource.query(
      `INSERT INTO audit_entry (at, actor_kind, actor_id, actor_name, role, operation, target_ids, input_summary, outcome, error_code, message, request_id, client_address)
       SELECT e.at, e.actor_kind, e.actor_id, e.actor_name, e.role, e.operation, e.target_ids, e.input_summary, e.outcome, e.error_code, e.message, e.request_id, e.client_address
       FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (at timestamptz, actor_kind text, actor_id integer, actor_name text, role text, operation text, target_ids text[],
            input_summary jsonb, outcome text, error_code text, message text, request_id text, client_address text)) WITH ORDINALITY
            AS e(at, actor_kind, actor_id, actor_name, role, operation, target_ids, input_summary, outcome, error_code, message, request_id, client_address, position)
       WHERE NOT EXISTS (SELECT 1 FROM audit_entry a WHERE a.at = e.at AND a.request_id = e.request_id AND a.operation = e.operation AND a.outcome = e.outcome)
       ORDER BY e.position
       RETURNING 1`,
      [JSON.stringify(rows)],
    );
    return inserted.length;
  }

  private parse(line: string): SpooledRequest | undefined {
    try {
      const request = JSON.parse(line) as SpooledRequest;
      return typeof request?.at === "string" && Array.isArray(request.entries) ? request : undefined;
    } catch {
      return undefined;
    }
  }

  private async databaseAnswers(): Promise<boolean> {
    try {
      await this.dataSource.query("SELECT 1");
      return true;
    } catch {
      return false;
    }
  }

  /** What tells instances on other hosts sharing this DATA_DIR that these files still have an owner. */
  private touchFiles(): void {
    const now = new Date();
    for (const name of this.files.keys()) {
      try {
        fs.utimesSync(path.join(this.dir, name), now, now);
      } catch {
        // taken over meanwhile: the next flush finds out
      }
    }
  }

  /** Entries the database refuses for what they hold (see refusesTheEntries): lost, loudly. */
  refused(entries: AuditRecord[], error: unknown): void {
    this.options.counters?.lost("refused_by_database", entries.length);
    logger.error({ err: error, entries: entries.map((e) => ({ operation: e.operation, requestId: e.requestId })) }, "AUDIT WRITE FAILED: the database refused the entry");
  }

  private lose(reason: AuditLossReason, entries: AuditRecord[], log: RateLimitedLog, error?: unknown): void {
    this.options.counters?.lost(reason, entries.length);
    log.note({ err: error, entries: entries.map((e) => ({ operation: e.operation, requestId: e.requestId })) });
  }
}
