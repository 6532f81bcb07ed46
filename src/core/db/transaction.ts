// One transaction per mutation, opened by the service. Work inside gets the transaction's
// EntityManager explicitly; events are queued and published only after COMMIT, so a
// subscriber never sees what was rolled back. Serialization failures and deadlocks are
// retried with a fresh transaction a bounded number of times, matched by SQLSTATE.
//
// Round trips: the connections run in node-postgres's pipeline mode (core/db/database.ts), so a
// statement goes out when it is made, without waiting for the answer to the one before; the
// server still runs them one after another, in the order sent, each with its own answer or
// error. A transaction uses that twice. START TRANSACTION is sent without waiting, so it
// travels with the work's first statement instead of costing a round trip of its own. And a
// write whose answer the work need not wait for (a row updated from values it already holds)
// can be sent with `tx.sendWithCommit`: COMMIT follows it without waiting, and the transaction
// ends when both have answered. A read that must see the committed state (what subscribers are
// told) goes right behind COMMIT on the same connection (`tx.readAfterCommit`) instead of on a
// round trip of its own after it. Bench S3 found the round trips, not the statements, to set an
// approval's pace: each is a write and a wake-up on both sides (bench/RESULTS.md, change 23).
import type { DataSource, EntityManager, QueryRunner } from "typeorm";
import type { PoolClient, QueryResultRow } from "pg";
import { countSqlStatement } from "../http/request-scope";
import { logger } from "../ops/logger";
import { DatabaseUnavailableError, isDatabaseUnavailable, OutcomeUnknownError } from "./database-errors";
import { prepared, sendOnConnection } from "./prepared";

export interface Transaction {
  manager: EntityManager;
  /** Runs after a successful COMMIT (publishing events); dropped on rollback or retry. */
  afterCommit(action: () => void | Promise<void>): void;
  /**
   * Runs once the work has returned, just before COMMIT is sent: for what must see the work's
   * final state, such as the read behind COMMIT of every stock level the work changed.
   */
  beforeCommit(action: () => void): void;
  /**
   * A write whose answer the work does not wait for, sent now on this transaction's connection
   * (a named prepared statement): COMMIT is sent behind it without waiting, the transaction's
   * promise settles only after it has answered, and its failure fails the transaction (which
   * then commits nothing). Resolves with its rows, by then. It takes the SQL itself, not a
   * statement already made: a promise of one could have been sent after COMMIT (TypeORM's
   * query methods wait before they send) and run outside the transaction.
   */
  sendWithCommit<R extends QueryResultRow = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  /**
   * A read sent on this transaction's connection right behind its COMMIT, so it sees the
   * committed state, as a read after the commit would, without a round trip of its own (what
   * subscribers are told comes from it). It answers, with `map` of its rows, once the COMMIT is
   * known to have held, before the transaction's promise settles (the afterCommit actions may
   * wait for it); when the transaction does not commit it rejects with "the transaction did not
   * commit" (nobody has to wait for it).
   */
  readAfterCommit<R extends QueryResultRow, T>(sql: string, params: readonly unknown[], map: (rows: R[]) => T): Promise<T>;
}

/**
 * Something that rides with a transaction's COMMIT without the transaction knowing what it is:
 * a mutation's audit entry and idempotency claim (core/mutation/unit-of-work.ts).
 */
export interface CommitRider {
  /** Called once the work has returned, before COMMIT; sends its statements with tx.sendWithCommit. */
  beforeCommit(tx: Transaction, result: unknown): void;
  /** Called once the COMMIT has held. */
  committed?(): void;
}

const RETRYABLE_SQLSTATES = new Set(["40001", "40P01"]); // serialization_failure, deadlock_detected
/** What every statement after a failed one answers until the transaction ends. */
const IN_FAILED_TRANSACTION = "25P02";

function sqlState(error: unknown): string | undefined {
  const candidate = error as { code?: unknown; driverError?: { code?: unknown } };
  const code = candidate?.driverError?.code ?? candidate?.code;
  return typeof code === "string" ? code : undefined;
}

export function isRetryable(error: unknown): boolean {
  const code = sqlState(error);
  return code !== undefined && RETRYABLE_SQLSTATES.has(code);
}

export interface TransactionOptions {
  maxAttempts?: number;
  isolation?: "READ COMMITTED" | "REPEATABLE READ" | "SERIALIZABLE";
  /** What rides with the COMMIT, given what the work returned (a mutation's unit of work). */
  riders?: readonly CommitRider[];
}

export async function inTransaction<T>(
  dataSource: DataSource,
  work: (tx: Transaction) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const maxAttempts = options.maxAttempts ?? 5;
  const isolation = options.isolation ?? "READ COMMITTED";
  for (let attempt = 1; ; attempt++) {
    const afterCommit: Array<() => void | Promise<void>> = [];
    try {
      const result = await runOnce(dataSource, isolation, afterCommit, async (tx) => {
        const value = await work(tx);
        for (const rider of options.riders ?? []) rider.beforeCommit(tx, value);
        return value;
      });
      for (const rider of options.riders ?? []) rider.committed?.();
      for (const action of afterCommit) {
        try {
          await action();
        } catch (error) {
          logger.error({ err: error }, "after-commit action failed");
        }
      }
      return result;
    } catch (error) {
      if (attempt < maxAttempts && isRetryable(error)) {
        logger.info({ attempt, sqlState: sqlState(error) }, "transaction conflict, retrying");
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
        continue;
      }
      throw explained(error);
    }
  }
}

/** A failure as the client should hear it: a database that is away (nothing was committed), or the error itself. */
function explained(error: unknown): unknown {
  if (error instanceof OutcomeUnknownError || error instanceof DatabaseUnavailableError) return error;
  if (isDatabaseUnavailable(error)) {
    logger.warn({ err: error }, "database unavailable: transaction not committed");
    return new DatabaseUnavailableError(error);
  }
  return error;
}

/** The pipelined statements are given as SQL; anything else is a mistake that could commit half a change. */
function refuseUnlessSql(sql: unknown, method: string): void {
  if (typeof sql !== "string") {
    throw new TypeError(`${method} takes the statement's SQL and parameters, not ${sql instanceof Promise ? "a statement already made (a promise)" : typeof sql}: only then is it sure to go out before COMMIT`);
  }
}

/** TypeORM's own bookkeeping of a transaction (what startTransaction/commitTransaction set), so that its methods used inside know they are in one. */
function markTransactionActive(runner: QueryRunner, active: boolean): void {
  Object.assign(runner, { isTransactionActive: active, transactionDepth: active ? 1 : 0 });
}

/**
 * Of a failed transaction's errors, the one that explains it: after the first failure every
 * statement answers "current transaction is aborted", so that answer is never the cause when
 * another error is at hand.
 */
function causeOf(workError: unknown, settled: ReadonlyArray<PromiseSettledResult<unknown>>): unknown {
  const statementErrors = settled.filter((s): s is PromiseRejectedResult => s.status === "rejected").map((s) => s.reason);
  const cause = statementErrors.find((error) => sqlState(error) !== IN_FAILED_TRANSACTION);
  if (workError === undefined) return cause ?? statementErrors[0];
  return sqlState(workError) === IN_FAILED_TRANSACTION && cause !== undefined ? cause : workError;
}

async function runOnce<T>(
  dataSource: DataSource,
  isolation: NonNullable<TransactionOptions["isolation"]>,
  afterCommit: Array<() => void | Promise<void>>,
  work: (tx: Transaction) => Promise<T>,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  try {
    const connection = (await runner.connect()) as PoolClient;
    const send = (sql: string) => {
      countSqlStatement();
      return sendOnConnection(connection, sql);
    };
    // Sent now and not waited for: it reaches the server just ahead of the work's first statement.
    const inFlight: Array<Promise<unknown>> = [send(`START TRANSACTION ISOLATION LEVEL ${isolation}`)];
    inFlight[0].catch(() => {}); // its failure is read below, with the others'
    markTransactionActive(runner, true);
    /** Reads to send behind COMMIT; each answers its caller only once the COMMIT is known to have held. */
    const readsAfterCommit: Array<{ send: () => void; settle: (committed: boolean) => void }> = [];
    const trailing: Array<Promise<unknown>> = [];
    let ending = false;
    const notAfterTheEnd = (what: string) => {
      if (ending) throw new Error(`${what} after the transaction's work returned`);
    };
    const beforeCommit: Array<() => void> = [];
    let value: T;
    try {
      value = await work({
        manager: runner.manager,
        afterCommit: (action) => afterCommit.push(action),
        beforeCommit: (action) => {
          notAfterTheEnd("beforeCommit");
          beforeCommit.push(action);
        },
        sendWithCommit: <R extends QueryResultRow>(sql: string, params: readonly unknown[] = []) => {
          refuseUnlessSql(sql, "sendWithCommit");
          notAfterTheEnd("sendWithCommit");
          // prepared() on the transaction's manager sends on the call (it holds the connection).
          const statement = prepared<R>(runner.manager, sql, params);
          inFlight.push(statement);
          statement.catch(() => {}); // likewise
          return statement;
        },
        readAfterCommit: <R extends QueryResultRow, A>(sql: string, params: readonly unknown[], map: (rows: R[]) => A) => {
          refuseUnlessSql(sql, "readAfterCommit");
          notAfterTheEnd("readAfterCommit");
          const result = new Promise<A>((resolve, reject) => {
            let answer: Promise<A> | undefined;
            readsAfterCommit.push({
              send: () => {
                answer = prepared<R>(runner.manager, sql, params).then(map);
                trailing.push(answer.catch(() => {}));
              },
              settle: (committed) => (committed && answer ? answer.then(resolve, reject) : reject(new Error("the transaction did not commit"))),
            });
          });
          result.catch(() => {}); // whoever awaits it still gets the rejection; nobody must
          return result;
        },
      });
      for (const action of beforeCommit) action();
    } catch (error) {
      ending = true;
      const settled = await Promise.allSettled([...inFlight, send("ROLLBACK")]);
      markTransactionActive(runner, false);
      for (const read of readsAfterCommit) read.settle(false);
      throw causeOf(error, settled.slice(0, -1));
    }
    ending = true;
    // Behind the writes still in flight: if one of them failed, the server ends the transaction
    // with a rollback (COMMIT of a failed transaction answers ROLLBACK, not an error).
    const committed = send("COMMIT");
    for (const read of readsAfterCommit) read.send();
    const settled = await Promise.allSettled([...inFlight, committed]);
    markTransactionActive(runner, false);
    await Promise.all(trailing); // answered before the connection goes back to the pool
    const failed = settled.some((s) => s.status === "rejected");
    for (const read of readsAfterCommit) read.settle(!failed);
    const commitAnswer = settled[settled.length - 1];
    if (commitAnswer.status === "rejected" && isDatabaseUnavailable(commitAnswer.reason)) {
      // COMMIT went out and no answer came back: the server may have committed or not.
      logger.error({ err: commitAnswer.reason }, "connection lost during COMMIT: outcome unknown");
      throw new OutcomeUnknownError(commitAnswer.reason);
    }
    if (failed) throw causeOf(undefined, settled);
    return value;
  } finally {
    await runner.release();
  }
}
