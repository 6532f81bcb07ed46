// One transaction per mutation, opened by the service. Work inside gets the transaction's
// EntityManager explicitly; events are queued and published only after COMMIT, so a
// subscriber never sees what was rolled back. Serialization failures and deadlocks are
// retried with a fresh transaction a bounded number of times, matched by SQLSTATE.
import type { DataSource, EntityManager } from "typeorm";
import { markCommittedInTransaction } from "./idempotency";
import { logger } from "./logger";

export interface Transaction {
  manager: EntityManager;
  /** Runs after a successful COMMIT (publishing events); dropped on rollback or retry. */
  afterCommit(action: () => void | Promise<void>): void;
}

const RETRYABLE_SQLSTATES = new Set(["40001", "40P01"]); // serialization_failure, deadlock_detected

function sqlState(error: unknown): string | undefined {
  const candidate = error as { code?: unknown; driverError?: { code?: unknown } };
  const code = candidate?.driverError?.code ?? candidate?.code;
  return typeof code === "string" ? code : undefined;
}

export function isRetryable(error: unknown): boolean {
  const code = sqlState(error);
  return code !== undefined && RETRYABLE_SQLSTATES.has(code);
}

/**
 * Whether the server already starts every transaction READ COMMITTED (PostgreSQL's default,
 * unless an administrator changed default_transaction_isolation): then asking for it again
 * costs every mutation one more round trip (TypeORM sends START TRANSACTION and SET
 * TRANSACTION ISOLATION LEVEL separately). Learned once at start-up; a DataSource never asked
 * keeps saying it explicitly.
 */
const readCommittedByDefault = new WeakMap<DataSource, boolean>();

export async function learnTransactionDefaults(dataSource: DataSource): Promise<void> {
  const [row]: Array<{ default_transaction_isolation: string }> = await dataSource.query("SHOW default_transaction_isolation");
  readCommittedByDefault.set(dataSource, row?.default_transaction_isolation === "read committed");
}

export interface TransactionOptions {
  maxAttempts?: number;
  isolation?: "READ COMMITTED" | "REPEATABLE READ" | "SERIALIZABLE";
  /**
   * The work serves several requests and marks the idempotency keys of those it carried out
   * itself (markCommitted); otherwise the current request's key is marked at the end.
   */
  marksIdempotencyItself?: boolean;
}

export async function inTransaction<T>(
  dataSource: DataSource,
  work: (tx: Transaction) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const maxAttempts = options.maxAttempts ?? 5;
  const isolation = options.isolation ?? "READ COMMITTED";
  const saysIsolation = !(isolation === "READ COMMITTED" && readCommittedByDefault.get(dataSource));
  for (let attempt = 1; ; attempt++) {
    const afterCommit: Array<() => void | Promise<void>> = [];
    try {
      const body = async (manager: EntityManager) => {
        const value = await work({ manager, afterCommit: (action) => afterCommit.push(action) });
        // The request's idempotency key is spent in the same transaction as the work.
        if (!options.marksIdempotencyItself) await markCommittedInTransaction(manager);
        return value;
      };
      const result = saysIsolation ? await dataSource.transaction(isolation, body) : await dataSource.transaction(body);
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
      throw error;
    }
  }
}
