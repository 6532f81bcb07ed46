// core/db/transaction.ts on real PostgreSQL: START TRANSACTION sent without waiting, writes sent
// with the COMMIT (tx.sendWithCommit) and reads behind it (tx.readAfterCommit), over
// node-postgres's pipeline mode. What must hold: everything runs inside the one transaction in
// the order made; a failed write fails the whole transaction (COMMIT of a failed transaction
// answers ROLLBACK, not an error) and is the error reported; a read behind COMMIT sees what was
// committed and runs only when the work succeeded.
import { prepared } from "../src/core/db/prepared";
import { inTransaction } from "../src/core/db/transaction";
import { startTestApp, type TestApp } from "./support/app";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  await t.database.asOwner(`CREATE TABLE tx_probe (id int PRIMARY KEY, value int NOT NULL CHECK (value >= 0))`);
  await t.database.grantToService();
});
afterAll(() => t.stop());

async function valueOf(id: number): Promise<number | null> {
  const rows: Array<{ value: number }> = await t.app.dataSource.query(`SELECT value FROM tx_probe WHERE id = $1`, [id]);
  return rows[0]?.value ?? null;
}

it("runs statements made without waiting inside the one transaction, in the order made", async () => {
  const seen = await inTransaction(t.app.dataSource, async (tx) => {
    // None of these waits for the one before.
    const inserted = prepared(tx.manager, `INSERT INTO tx_probe (id, value) VALUES ($1::int, 1)`, [1]);
    const bumped = prepared(tx.manager, `UPDATE tx_probe SET value = value + 1 WHERE id = $1::int RETURNING value`, [1]);
    const first = prepared<{ xid: string }>(tx.manager, `SELECT pg_current_xact_id()::text AS xid`);
    const second = prepared<{ xid: string; level: string }>(tx.manager, `SELECT pg_current_xact_id()::text AS xid, current_setting('transaction_isolation') AS level`);
    await inserted;
    return { bumped: (await bumped)[0].value, first: (await first)[0].xid, second: (await second)[0] };
  });
  expect(seen.bumped).toBe(2);
  expect(seen.second.xid).toBe(seen.first);
  expect(seen.second.level).toBe("read committed");
  expect(await valueOf(1)).toBe(2);
});

it("starts the transaction at the isolation level asked for", async () => {
  const level = await inTransaction(t.app.dataSource, async (tx) => (await prepared<{ level: string }>(tx.manager, `SELECT current_setting('transaction_isolation') AS level`))[0].level, {
    isolation: "SERIALIZABLE",
  });
  expect(level).toBe("serializable");
});

it("fails the whole transaction, with that write's error, when a write sent with the COMMIT fails", async () => {
  const afterCommit = jest.fn();
  const attempt = inTransaction(t.app.dataSource, async (tx) => {
    await prepared(tx.manager, `INSERT INTO tx_probe (id, value) VALUES ($1::int, 5)`, [10]);
    void tx.sendWithCommit(`INSERT INTO tx_probe (id, value) VALUES ($1::int, -1)`, [11]); // breaks the CHECK
    tx.afterCommit(afterCommit);
    return "the work returned";
  });
  await expect(attempt).rejects.toMatchObject({ code: "23514" }); // check_violation, not a silent ROLLBACK
  expect(await valueOf(10)).toBeNull(); // what came before it is gone too
  expect(await valueOf(11)).toBeNull();
  expect(afterCommit).not.toHaveBeenCalled();
});

it("reports the failed write, not 'current transaction is aborted', when the work then stumbles on it", async () => {
  const attempt = inTransaction(t.app.dataSource, async (tx) => {
    void tx.sendWithCommit(`INSERT INTO tx_probe (id, value) VALUES ($1::int, -1)`, [20]);
    await prepared(tx.manager, `SELECT 1`); // answered 25P02: the transaction already failed
  });
  await expect(attempt).rejects.toMatchObject({ code: "23514" });
  // The connection went back to the pool usable: the next transaction on it works.
  await inTransaction(t.app.dataSource, async (tx) => {
    await prepared(tx.manager, `INSERT INTO tx_probe (id, value) VALUES ($1::int, 3)`, [21]);
  });
  expect(await valueOf(21)).toBe(3);
});

it("reads behind the COMMIT what was committed, outside the transaction, and only when it committed", async () => {
  const result = await inTransaction(t.app.dataSource, async (tx) => {
    void tx.sendWithCommit(`INSERT INTO tx_probe (id, value) VALUES ($1::int, 7)`, [30]);
    const read = tx.readAfterCommit(`SELECT value, pg_current_xact_id_if_assigned()::text AS xid FROM tx_probe WHERE id = $1::int`, [30], (rows: Array<{ value: number; xid: string | null }>) => rows);
    let readInTime: unknown;
    tx.afterCommit(async () => {
      readInTime = (await read)[0];
    });
    return { read, check: () => readInTime };
  });
  expect((await result.read)[0]).toEqual({ value: 7, xid: null }); // no transaction holding a write: it ran after COMMIT
  expect(result.check()).toEqual({ value: 7, xid: null }); // and the afterCommit action had it

  // The work failed: the read is not made, and whoever waits for it is told.
  const notCalled = jest.fn();
  let unsent: Promise<unknown> | undefined;
  await expect(
    inTransaction(t.app.dataSource, async (tx) => {
      unsent = tx.readAfterCommit(`SELECT 1 AS one`, [], notCalled);
      throw new Error("refused");
    }),
  ).rejects.toThrow("refused");
  expect(notCalled).not.toHaveBeenCalled();
  await expect(unsent).rejects.toThrow("the transaction did not commit");

  // The COMMIT did not hold (a write sent with it failed): the read was sent behind it, but its
  // answer describes a transaction that never happened, so it is not handed out.
  let sentForNothing: Promise<unknown> | undefined;
  await expect(
    inTransaction(t.app.dataSource, async (tx) => {
      void tx.sendWithCommit(`INSERT INTO tx_probe (id, value) VALUES ($1::int, -1)`, [31]);
      sentForNothing = tx.readAfterCommit(`SELECT 1 AS one`, [], (rows) => rows);
    }),
  ).rejects.toMatchObject({ code: "23514" });
  await expect(sentForNothing).rejects.toThrow("the transaction did not commit");
});

it("refuses statements handed to it after the work returned", async () => {
  let late: (() => unknown) | undefined;
  await inTransaction(t.app.dataSource, async (tx) => {
    late = () => tx.sendWithCommit(`SELECT 1`);
  });
  expect(late).toThrow("sendWithCommit after the transaction's work returned");
});

it("refuses a statement already made: TypeORM would have sent it after COMMIT, outside the transaction", async () => {
  // The old shape, tx.sendWithCommit(tx.manager.query(…)), type-checked, and TypeORM awaits before
  // it sends: COMMIT went first and the write ran in autocommit. Now it cannot be written (a
  // TypeScript error) and, cast past the compiler, is refused before anything is sent.
  // (A harmless statement: a write made this way would still run, on its own, after the ROLLBACK.)
  await expect(
    inTransaction(t.app.dataSource, async (tx) => {
      const made = tx.manager.query(`SELECT 1`);
      void made.catch(() => undefined);
      (tx.sendWithCommit as unknown as (statement: unknown) => unknown)(made);
    }),
  ).rejects.toThrow(/sendWithCommit takes the statement's SQL and parameters, not a statement already made/);
  await expect(inTransaction(t.app.dataSource, async (tx) => void (tx.readAfterCommit as unknown as (read: unknown) => unknown)(async () => 1))).rejects.toThrow(/readAfterCommit takes/);
});

it("runs beforeCommit actions once the work is done, where a read behind COMMIT can still be placed", async () => {
  const seen: string[] = [];
  const value = await inTransaction(t.app.dataSource, async (tx) => {
    await prepared(tx.manager, `INSERT INTO tx_probe (id, value) VALUES ($1::int, 1)`, [50]);
    let read: Promise<number> = Promise.resolve(-1);
    tx.beforeCommit(() => {
      seen.push("before");
      read = tx.readAfterCommit(`SELECT value FROM tx_probe WHERE id = $1::int`, [50], (rows: Array<{ value: number }>) => rows[0].value);
    });
    seen.push("work");
    tx.afterCommit(async () => void seen.push(`after ${await read}`));
    return "done";
  });
  expect(value).toBe("done");
  expect(seen).toEqual(["work", "before", "after 1"]);
});
