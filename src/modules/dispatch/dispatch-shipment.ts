// What became of the units an order sent. Every unit sent is, per line, in transit (在途),
// received (签收), turned back (退回, a return that never arrived) or short (短少, written off
// without arriving); the order closes when nothing is in transit and, for reusable items sent to
// a region or a point, nothing is still out there. An order to a storage site lands in its
// books: dispatching it gives the site its level rows (inTransit shows there), receipt books each
// source batch's units into the site (StockLedger.receiveShipment) — then they are that site's
// stock and done.
import type { EntityManager } from "typeorm";
import { type Actor, recordedBy } from "../../core/access/auth";
import type { InputErrors } from "../../core/mutation/input-errors";
import { DispatchOrder, DispatchOrderLine, DispatchWriteOff } from "./dispatch-order.entity";
import { DestinationKind, SHORT_DELIVERY_ONLY } from "./dispatch.enums";
import type { ParsedWriteOff } from "./dispatch-input";
import { message, messageList, type Message, type MessageList } from "../../core/i18n/i18n";

/** A write-off checked against its line: whether its units had arrived is settled. */
export type CheckedWriteOff = ParsedWriteOff & { arrived: boolean };

/** How far a line has come, for messages. */
export function progress(line: DispatchOrderLine): MessageList {
  const parts = [message("dispatch.progress.sent", { quantity: line.dispatchedQuantity }), message("dispatch.progress.received", { quantity: line.deliveredQuantity })];
  if (line.turnedBackQuantity) parts.push(message("dispatch.progress.turnedBack", { quantity: line.turnedBackQuantity }));
  if (line.shortQuantity) parts.push(message("dispatch.progress.short", { quantity: line.shortQuantity }));
  return messageList(parts, "comma");
}

/** The batch partner goods of an order are booked under at a site (on receipt, or back after use). */
export function partnerBatchNumber(order: DispatchOrder, partnerId: number): string {
  return `${order.code}-P${partnerId}`;
}

/**
 * Whether units of a line that come back or are written off had arrived at the destination.
 * At a storage site never: what arrived there is the site's stock, moved or written off there.
 * Otherwise as the caller says, or as the line says when only one is possible; when the line
 * has units both in transit and delivered, the caller must say (REQUIRED): guessing would
 * show a truck still on the road as arrived, or the reverse.
 */
export function arrivedOf(line: DispatchOrderLine, given: boolean | null, intoStock: boolean, field: string, check: InputErrors, what: "return" | "write-off"): boolean | null {
  if (intoStock) {
    if (given !== true) return false;
    check.add(field, "INVALID_VALUE", "dispatch.unitsReceivedAtAStorage", { value: message(what === "return" ? "dispatch.receivedInStock.return" : "dispatch.receivedInStock.writeOff") });
    return null;
  }
  if (given !== null) return given;
  if (line.inTransitQuantity === 0) return true;
  if (line.inFieldQuantity === 0) return false;
  check.add(
    field,
    "REQUIRED",
    "dispatch.lineHasUnitsInTransit", { position: line.position, inTransitQuantity: line.inTransitQuantity, inFieldQuantity: line.inFieldQuantity },
  );
  return null;
}

/**
 * Write-offs (short deliveries, losses in the field) checked against their lines, which are
 * updated in memory so that later checks see them. Errors go to `check`.
 */
export function checkWriteOffs(lines: DispatchOrderLine[], writeOffs: readonly ParsedWriteOff[], intoStock: boolean, reusable: ReadonlySet<number>, check: InputErrors): CheckedWriteOff[] {
  const checked: CheckedWriteOff[] = [];
  for (const writeOff of writeOffs) {
    const line = lines.find((l) => l.id === writeOff.lineId);
    if (!line) {
      check.add(`${writeOff.field}.lineId`, "NOT_FOUND", "dispatch.noSuchLineOnThis");
      continue;
    }
    const arrived = arrivedOf(line, writeOff.arrived, intoStock, `${writeOff.field}.arrived`, check, "write-off");
    if (arrived === null) continue;
    if (arrived && SHORT_DELIVERY_ONLY.includes(writeOff.reason)) {
      check.add(`${writeOff.field}.reason`, "INVALID_VALUE", "dispatch.explainsOnlyUnitsThatNever", { reason: writeOff.reason });
      continue;
    }
    if (arrived && !reusable.has(line.itemId)) {
      check.add(`${writeOff.field}.arrived`, "INVALID_VALUE", "dispatch.lineHoldsConsumablesDeliveredTo", { position: line.position });
      continue;
    }
    const room = arrived ? line.inFieldQuantity : line.inTransitQuantity;
    if (writeOff.quantity > room) {
      check.add(
        `${writeOff.field}.quantity`,
        "OUT_OF_RANGE",
        arrived
          ? "dispatch.writeOffMoreThanOut"
          : "dispatch.writeOffMoreThanInTransit",
        arrived
          ? { position: line.position, room, delivered: line.deliveredQuantity, back: line.returnedQuantity - line.turnedBackQuantity, writtenOff: line.writtenOffQuantity - line.shortQuantity, quantity: writeOff.quantity }
          : { position: line.position, room, progress: progress(line), quantity: writeOff.quantity },
      );
      continue;
    }
    line.writtenOffQuantity += writeOff.quantity;
    if (!arrived) line.shortQuantity += writeOff.quantity;
    checked.push({ ...writeOff, arrived });
  }
  return checked;
}

/** Checked write-offs as rows on the order, line totals updated. No ledger entry: the ISSUE already took them off the books. */
export async function writeWriteOffs(manager: EntityManager, actor: Actor, order: DispatchOrder, writeOffs: readonly CheckedWriteOff[], approvedBy: string | null, note: string | null): Promise<void> {
  if (!writeOffs.length) return;
  const who = recordedBy(actor);
  await manager.insert(
    DispatchWriteOff,
    writeOffs.map((w) => ({
      orderId: order.id,
      lineId: w.lineId,
      districtId: order.districtId,
      quantity: w.quantity,
      reason: w.reason,
      shortDelivery: !w.arrived,
      approvedBy: approvedBy!,
      note,
      recordedById: who.id,
      recordedBy: who.name,
    })),
  );
  // One row per line: an UPDATE … FROM joining a row twice changes it once.
  const byLine = new Map<number, { quantity: number; short: number }>();
  for (const w of writeOffs) {
    const total = byLine.get(w.lineId) ?? { quantity: 0, short: 0 };
    total.quantity += w.quantity;
    if (!w.arrived) total.short += w.quantity;
    byLine.set(w.lineId, total);
  }
  await manager.query(
    `UPDATE dispatch_order_line SET written_off_quantity = written_off_quantity + input.quantity, short_quantity = short_quantity + input.short
     FROM unnest($1::int[], $2::int[], $3::int[]) AS input(id, quantity, short) WHERE dispatch_order_line.id = input.id`,
    [[...byLine.keys()], [...byLine.values()].map((t) => t.quantity), [...byLine.values()].map((t) => t.short)],
  );
}

/** Items of these lines that are reusable (可回收). */
export async function reusableItems(manager: EntityManager, lines: readonly DispatchOrderLine[]): Promise<Set<number>> {
  if (!lines.length) return new Set();
  const rows: Array<{ id: number }> = await manager.query(`SELECT id FROM supply_item WHERE reusable AND id = ANY($1::int[])`, [lines.map((line) => line.itemId)]);
  return new Set(rows.map((row) => row.id));
}

/**
 * Lines with units not accounted for: still in transit, or — reusable items sent to a region or
 * a point — still out there. As "line 1: 10 of 10 still out; line 2: 5 of 20 in transit".
 */
export function unaccounted(lines: readonly DispatchOrderLine[], destination: DestinationKind, reusable: ReadonlySet<number>): MessageList | null {
  const parts: Message[] = [];
  for (const line of lines) {
    const mustReturn = destination !== DestinationKind.SITE && reusable.has(line.itemId);
    const out = line.outstandingFor(destination);
    if (mustReturn && out > 0) {
      const still = message("dispatch.lineStillOut", { position: line.position, out, dispatched: line.dispatchedQuantity });
      parts.push(line.inTransitQuantity ? message("dispatch.lineStillOutInTransit", { still, inTransit: line.inTransitQuantity }) : still);
    } else if (line.inTransitQuantity > 0) parts.push(message("dispatch.lineInTransitNeither", { position: line.position, inTransit: line.inTransitQuantity, dispatched: line.dispatchedQuantity }));
  }
  return parts.length ? messageList(parts) : null;
}

/** The items of the lines changes touch (for the in-transit figures of the receiving site). */
export function itemsOf(lines: readonly DispatchOrderLine[], changes: ReadonlyArray<{ lineId: number }>): number[] {
  return changes.map((change) => lines.find((line) => line.id === change.lineId)!.itemId);
}
