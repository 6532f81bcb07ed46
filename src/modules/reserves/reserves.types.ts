// Computed GraphQL types of the reserve (aggregates, alerts, events) and mutation payloads.
import { Field, Int, ObjectType } from "type-graphql";
import { LocalDateResolver } from "graphql-scalars";
import { UserError } from "../../core/graphql/errors";
import { Region } from "../regions/region.entity";
import { ConnectionType } from "../../core/graphql/relay";
import { SiteTier, StockAlertKind, StockChangeCause } from "./reserves.enums";
import { ReservePartner } from "./reserve-partner.entity";
import { StockBatch } from "./stock-batch.entity";
import { StockLevel } from "./stock-level.entity";
import { StockMovement } from "./stock-movement.entity";
import { StorageSite } from "./storage-site.entity";
import { SupplyItem } from "./supply-item.entity";

// ---------------------------------------------------------------- connections

export const StorageSiteConnection = ConnectionType(StorageSite, "StorageSite", "A page of storage sites, ordered by code.");
export const SupplyItemConnection = ConnectionType(SupplyItem, "SupplyItem", "A page of catalogue items, ordered by code.");
export const StockLevelConnection = ConnectionType(StockLevel, "StockLevel", "A page of stock levels (site × item), ordered by site, then item.");
export const StockMovementConnection = ConnectionType(StockMovement, "StockMovement", "A page of ledger entries, oldest first.");
export const ReservePartnerConnection = ConnectionType(ReservePartner, "ReservePartner", "A page of partner enterprises, ordered by code.");

// ---------------------------------------------------------------- summary

// Bulk types of plain values: `simpleResolvers` skips the per-field middleware chain (thousands
// of fields per summary). None of them carries personal data.
@ObjectType({ simpleResolvers: true, description: "Quantities of one item summed over a set of sites." })
export class StockTotals {
  @Field(() => Int, { description: "On hand (库存)." })
  onHand: number;

  @Field(() => Int, { description: "Reserved for approved orders (已预留)." })
  reserved: number;

  @Field(() => Int, { description: "Available = on hand − reserved (可用)." })
  available: number;

  @Field(() => Int, {
    description:
      "在途 In transit: on its way to these sites on dispatch orders — issued at the source, not yet received. Not in onHand anywhere, so onHand + inTransit counts every unit of the reserve once. Goods sent to a region or a point in the field left the reserve when they were issued and are not counted (see the orders' lines).",
  })
  inTransit: number;

  @Field(() => Int, { description: "Sum of the sites' minimums (最低库存合计)." })
  minimum: number;

  @Field(() => Int, { description: "Sites that stock the item (have a level for it)." })
  sites: number;

  @Field(() => Int, { description: "Sites whose available stock of the item is below their minimum." })
  sitesBelowMinimum: number;
}

@ObjectType({ simpleResolvers: true, description: "Totals of one item over the sites of one tier." })
export class TierStockTotals {
  @Field(() => SiteTier, { description: "The tier." })
  tier: SiteTier;

  @Field(() => StockTotals, { description: "Totals over that tier's sites." })
  totals: StockTotals;
}

@ObjectType({ simpleResolvers: true, description: "Totals of one item over the sites of one township-level unit (its point and its villages' rooms)." })
export class TownshipStockTotals {
  townshipId: number;

  /** Attached by the query resolver (all townships in one batch), so thousands of rows need no resolver each. */
  @Field(() => Region, { description: "The township-level unit." })
  township: Region;

  @Field(() => StockTotals, { description: "Totals over the township's sites." })
  totals: StockTotals;
}

@ObjectType({ simpleResolvers: true, description: "One item's stock across the district (or a region): in all, by tier and by township (库存汇总)." })
export class ItemStockSummary {
  itemId: number;

  @Field(() => StockTotals, { description: "Totals over every site in scope." })
  total: StockTotals;

  @Field(() => [TierStockTotals], { description: "Totals per tier (only tiers that stock the item)." })
  byTier: TierStockTotals[];

  @Field(() => [TownshipStockTotals], { description: "Totals per township-level unit; the district depot belongs to no township and appears only in the tier totals." })
  byTownship: TownshipStockTotals[];
}

// ---------------------------------------------------------------- alerts

@ObjectType({ simpleResolvers: true, description: "Something a logistics desk should act on: an item below minimum at a site, or a batch expiring or expired." })
export class StockAlert {
  levelId: number;
  siteId: number;
  itemId: number;
  batchId: number | null;

  @Field(() => StockAlertKind, { description: "What the alert is about." })
  kind: StockAlertKind;

  @Field(() => Int, { description: "BELOW_MINIMUM: available at the site; EXPIRING/EXPIRED: on hand of the batch." })
  quantity: number;

  @Field(() => Int, { description: "The site's minimum for the item." })
  minimum: number;

  @Field(() => Int, { description: "BELOW_MINIMUM: units missing to reach the minimum; otherwise 0." })
  shortfall: number;

  @Field(() => LocalDateResolver, { nullable: true, description: "Expiry date of the batch (EXPIRING/EXPIRED)." })
  expiryDate: string | null;

  @Field(() => Int, { nullable: true, description: "Days until the batch expires (negative once expired); null for BELOW_MINIMUM." })
  daysToExpiry: number | null;
}

export const StockAlertConnection = ConnectionType(StockAlert, "StockAlert", "A page of stock alerts, ordered by kind, site, item and batch.");

@ObjectType({ description: "A batch whose on-hand quantity differs from the sum of its ledger entries (账实不符). There must never be one." })
export class LedgerDiscrepancy {
  batchId: number;

  @Field(() => Int, { description: "On hand recorded on the batch." })
  onHand: number;

  @Field(() => Int, { description: "Sum of the batch's ledger entries." })
  ledgerTotal: number;

  @Field(() => Int, { description: "On hand − ledger total." })
  difference: number;
}

@ObjectType({ description: "A committed change of a stock level (site × item)." })
export class StockLevelChange {
  @Field(() => StockLevel, { description: "The level as it stood right after the change was committed." })
  level: StockLevel;

  @Field(() => [StockChangeCause], { description: "What changed it (ledger movement kinds, reservations, minimum)." })
  causes: StockChangeCause[];

  @Field(() => [String], { description: "Operation ids of the ledger entries written (see StockMovement.operationId); empty for reservations and minimums." })
  operationIds: string[];

  @Field(() => Date, { description: "When the level was read after the commit; drop an event older than one already shown." })
  asOf: Date;
}

// ---------------------------------------------------------------- payloads

@ObjectType({ description: "Result of `receiveStock`." })
export class ReceiveStockPayload {
  @Field(() => StockBatch, { nullable: true, description: "The batch received into." })
  batch?: StockBatch;

  @Field(() => StockMovement, { nullable: true, description: "The RECEIPT ledger entry." })
  movement?: StockMovement;

  @Field(() => [UserError], { description: "What was wrong with the input; nothing was written when not empty." })
  errors: UserError[];
}

@ObjectType({ description: "Result of `transferStock`." })
export class TransferStockPayload {
  @Field(() => [StockMovement], { nullable: true, description: "The TRANSFER_OUT and TRANSFER_IN entries, two per line." })
  movements?: StockMovement[];

  @Field(() => [UserError], { description: "What was wrong with the input; nothing was written when not empty." })
  errors: UserError[];
}

@ObjectType({ description: "Result of `writeOffStock`." })
export class WriteOffStockPayload {
  @Field(() => StockBatch, { nullable: true, description: "The batch after the write-off." })
  batch?: StockBatch;

  @Field(() => StockMovement, { nullable: true, description: "The WRITE_OFF ledger entry." })
  movement?: StockMovement;

  @Field(() => [UserError], { description: "What was wrong with the input; nothing was written when not empty." })
  errors: UserError[];
}

@ObjectType({ description: "Result of `recordStocktake`." })
export class RecordStocktakePayload {
  @Field(() => [StockMovement], { nullable: true, description: "One COUNT_ADJUSTMENT entry per batch whose count differed; empty when everything matched (账实相符)." })
  adjustments?: StockMovement[];

  @Field(() => Int, { nullable: true, description: "How many batches were counted." })
  countedBatches?: number;

  @Field(() => [UserError], { description: "What was wrong with the input; nothing was written when not empty." })
  errors: UserError[];
}

@ObjectType({ description: "Result of `rotateBatch`." })
export class RotateBatchPayload {
  @Field(() => StockMovement, { nullable: true, description: "The ROTATION entry taking the old batch out." })
  outgoing?: StockMovement;

  @Field(() => StockMovement, { nullable: true, description: "The ROTATION entry bringing the fresh batch in." })
  incoming?: StockMovement;

  @Field(() => StockBatch, { nullable: true, description: "The fresh batch." })
  newBatch?: StockBatch;

  @Field(() => [UserError], { description: "What was wrong with the input; nothing was written when not empty." })
  errors: UserError[];
}

@ObjectType({ description: "Result of `setMinimumStock`." })
export class SetMinimumStockPayload {
  @Field(() => StockLevel, { nullable: true, description: "The level with its new minimum." })
  level?: StockLevel;

  @Field(() => [UserError], { description: "What was wrong with the input; nothing was written when not empty." })
  errors: UserError[];
}

@ObjectType({ description: "Result of `createStorageSite` and `updateStorageSite`." })
export class StorageSitePayload {
  @Field(() => StorageSite, { nullable: true, description: "The site as saved." })
  site?: StorageSite;

  @Field(() => [UserError], { description: "What was wrong with the input; nothing was written when not empty." })
  errors: UserError[];
}

@ObjectType({ description: "Result of `createSupplyItem` and `updateSupplyItem`." })
export class SupplyItemPayload {
  @Field(() => SupplyItem, { nullable: true, description: "The item as saved." })
  item?: SupplyItem;

  @Field(() => [UserError], { description: "What was wrong with the input; nothing was written when not empty." })
  errors: UserError[];
}

@ObjectType({ description: "Result of `createReservePartner` and `updateReservePartner`." })
export class ReservePartnerPayload {
  @Field(() => ReservePartner, { nullable: true, description: "The partner as saved." })
  partner?: ReservePartner;

  @Field(() => [UserError], { description: "What was wrong with the input; nothing was written when not empty." })
  errors: UserError[];
}

