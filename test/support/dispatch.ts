// Helpers for the dispatch tests: ids of the seeded Kaizhou data, fresh batches of known size,
// and a small client for the order mutations.
import type { DataSource } from "typeorm";
import { Role, type Actor } from "../../src/core/access/auth";
import { toGlobalId } from "../../src/core/graphql/relay";
import type { Services } from "../../src/services";
import type { TestApp } from "./app";
import { unitFor } from "./units";

export const ADMIN: Actor = { kind: "ACCOUNT", id: 1, name: "test admin", role: Role.ADMIN, scopeRegionId: null, teamId: null };
export const COMMANDER: Actor = { kind: "ACCOUNT", id: 2, name: "test commander", role: Role.COMMANDER, scopeRegionId: null, teamId: null };
export const LOGISTICS: Actor = { kind: "ACCOUNT", id: 3, name: "test logistics", role: Role.LOGISTICS, scopeRegionId: null, teamId: null };

export const ORDER_FIELDS = `id code status priority pendingApproval approvalOverdue approvalDueAt verbalOrderBy cancelReason
  destinationKind destinationRegion { code } destinationSite { code } receiverName receiverPhone driverName driverPhone vehiclePlate
  lines { id position quantity allocatedQuantity dispatchedQuantity deliveredQuantity undeliveredQuantity returnedQuantity writtenOffQuantity outstandingQuantity
    item { code reusable } allocations { id kind: sourceKind quantity returnedQuantity reason site { code } batch { batchNumber } partner { code } } }
  writeOffs { quantity reason approvedBy line { position } }`;

/** Ids of the seeded reference data, by code. */
export interface SeedIds {
  region: Record<string, number>;
  site: Record<string, number>;
  item: Record<string, number>;
}

export async function seedIds(dataSource: DataSource): Promise<SeedIds> {
  const byCode = async (table: string) => Object.fromEntries((await dataSource.query(`SELECT id, code FROM ${table}`)).map((row: { id: number; code: string }) => [row.code, row.id]));
  return { region: await byCode("region"), site: await byCode("storage_site"), item: await byCode("supply_item") };
}

export const gid = toGlobalId;

/** Receives a fresh batch of known size at a site (so tests do not depend on seeded quantities). */
export async function receive(services: Services, siteId: number, itemId: number, batchNumber: string, quantity: number, expiryDate: string | null = null): Promise<number> {
  const { batch } = await services.stockCommands.receiveStock(unitFor(ADMIN, "receiveStock"), {
    siteId: toGlobalId("StorageSite", siteId),
    itemId: toGlobalId("SupplyItem", itemId),
    batchNumber,
    quantity,
    source: "PURCHASE" as never,
    expiryDate,
  });
  return batch.id;
}

export async function batchStock(dataSource: DataSource, batchId: number): Promise<{ onHand: number; reserved: number }> {
  const [row] = await dataSource.query(`SELECT on_hand, reserved FROM stock_batch WHERE id = $1`, [batchId]);
  return { onHand: row.on_hand, reserved: row.reserved };
}

/** Calls an order mutation and returns its payload (order, errors) — top-level errors are returned too. */
export function orderClient(t: TestApp, fields = ORDER_FIELDS) {
  return async function mutate(name: string, input: Record<string, unknown>, token: string, extra = "") {
    const inputType = `${name.charAt(0).toUpperCase()}${name.slice(1)}Input`;
    const result = await t.graphql(`mutation ($input: ${inputType}!) { ${name}(input: $input) { order { ${fields} } ${extra} errors { field code message } } }`, { input }, { token });
    return { ...(result.data?.[name] ?? {}), topErrors: result.errors, status: result.status, headers: result.headers } as {
      order: any;
      plan?: any;
      errors: Array<{ field: string | null; code: string; message: string }>;
      topErrors?: Array<{ message: string; extensions?: Record<string, any> }>;
      status: number;
      headers: Headers;
    };
  };
}
