// stockLevelChanged for the levels a transaction changed. Every ledger write and every minimum set
// notes its level here; once the work has returned, the levels are read in one statement sent
// right behind the COMMIT (on the transaction's connection, so it sees them committed, without a
// round trip of its own), and after the COMMIT each level gets one event carrying every cause and
// operation of the transaction. A transaction that does not commit publishes nothing.
import type { Transaction } from "../../core/db/transaction";
import type { EventBus } from "../../core/live/pubsub";
import type { StockChangeCause } from "./reserves.enums";
import { STOCK_LEVEL_CHANGED, type StockLevelChangedEvent } from "./reserves.events";
import { levelKey, type LevelKey, type LevelWithSite, type StockQueryService } from "./stock-query.service";

interface LevelChange {
  key: LevelKey;
  causes: Set<StockChangeCause>;
  operationIds: Set<string>;
}

export class StockLevelEvents {
  private readonly pending = new WeakMap<Transaction, Map<string, LevelChange>>();

  constructor(
    private readonly queries: StockQueryService,
    private readonly events: EventBus,
  ) {}

  /** The level `key` changed in `tx` for these causes; `operationId` when the ledger recorded the change. */
  changed(tx: Transaction, key: LevelKey, causes: readonly StockChangeCause[], operationId: string | null): void {
    let changes = this.pending.get(tx);
    if (!changes) {
      const collected = new Map<string, LevelChange>();
      changes = collected;
      this.pending.set(tx, collected);
      // A failed commit publishes nothing; a failed read fails the publish, which is logged.
      let levels: Promise<LevelWithSite[]> = Promise.resolve([]);
      tx.beforeCommit(() => {
        const { sql, params } = this.queries.levelsForEventsStatement([...collected.values()].map((change) => change.key));
        levels = tx.readAfterCommit(sql, params, (rows) => this.queries.levelsFromEventRows(rows));
      });
      tx.afterCommit(async () => this.publish([...collected.values()], await levels));
    }
    const id = levelKey(key.siteId, key.itemId);
    const change = changes.get(id) ?? { key: { siteId: key.siteId, itemId: key.itemId }, causes: new Set(), operationIds: new Set() };
    causes.forEach((cause) => change.causes.add(cause));
    if (operationId) change.operationIds.add(operationId);
    changes.set(id, change);
  }

  /** After COMMIT: one event per changed level, from the levels read behind the COMMIT. */
  private publish(changes: readonly LevelChange[], levels: readonly LevelWithSite[]): void {
    const byKey = new Map(changes.map((change) => [levelKey(change.key.siteId, change.key.itemId), change]));
    for (const { level, siteRegionPath, siteTier, asOf } of levels) {
      const change = byKey.get(levelKey(level.siteId, level.itemId))!;
      const event: StockLevelChangedEvent = {
        level: {
          id: level.id,
          districtId: level.districtId,
          siteId: level.siteId,
          itemId: level.itemId,
          minimumQuantity: level.minimumQuantity,
          onHand: level.onHand,
          reserved: level.reserved,
          earliestExpiry: level.earliestExpiry,
          inTransit: level.inTransit ?? 0,
          updatedAt: level.updatedAt.toISOString(),
        },
        siteRegionPath,
        siteTier,
        causes: [...change.causes],
        operationIds: [...change.operationIds],
        asOf: asOf.toISOString(),
      };
      this.events.publish(STOCK_LEVEL_CHANGED, event);
    }
  }
}
