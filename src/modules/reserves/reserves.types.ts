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

export const StorageSiteConnection = ConnectionType(StorageSite, "StorageSite", "储备点分页。A page of storage sites, ordered by code.");
export const SupplyItemConnection = ConnectionType(SupplyItem, "SupplyItem", "物资目录分页。A page of catalogue items, ordered by code.");
export const StockLevelConnection = ConnectionType(StockLevel, "StockLevel", "库存分页。A page of stock levels (site × item), ordered by site, then item.");
export const StockMovementConnection = ConnectionType(StockMovement, "StockMovement", "台账分页。A page of ledger entries, oldest first.");
export const ReservePartnerConnection = ConnectionType(ReservePartner, "ReservePartner", "协议企业分页。A page of partner enterprises, ordered by code.");

// ---------------------------------------------------------------- summary

// Bulk types of plain values: `simpleResolvers` skips the per-field middleware chain (thousands
// of fields per summary). None of them carries personal data.
@ObjectType({ simpleResolvers: true, description: "库存合计。Quantities of one item summed over a set of sites." })
export class StockTotals {
  @Field(() => Int, { description: "库存 On hand." })
  onHand: number;

  @Field(() => Int, { description: "已预留 Reserved for approved orders." })
  reserved: number;

  @Field(() => Int, { description: "可用 Available = on hand − reserved." })
  available: number;

  @Field(() => Int, {
    description:
      "在途 In transit: on its way to these sites on dispatch orders — issued at the source, not yet received. Not in onHand anywhere, so onHand + inTransit counts every unit of the reserve once. Goods sent to a region or a point in the field left the reserve when they were issued and are not counted (see the orders' lines).",
  })
  inTransit: number;

  @Field(() => Int, { description: "最低库存合计 Sum of the sites' minimums." })
  minimum: number;

  @Field(() => Int, { description: "储备点数。Sites that stock the item (have a level for it)." })
  sites: number;

  @Field(() => Int, { description: "低于最低库存的储备点数。Sites whose available stock of the item is below their minimum." })
  sitesBelowMinimum: number;
}

@ObjectType({ simpleResolvers: true, description: "按层级库存合计。Totals of one item over the sites of one tier." })
export class TierStockTotals {
  @Field(() => SiteTier, { description: "储备层级。The tier." })
  tier: SiteTier;

  @Field(() => StockTotals, { description: "合计。Totals over that tier's sites." })
  totals: StockTotals;
}

@ObjectType({ simpleResolvers: true, description: "按乡镇（街道）库存合计。Totals of one item over the sites of one township-level unit (its point and its villages' rooms)." })
export class TownshipStockTotals {
  townshipId: number;

  /** Attached by the query resolver (all townships in one batch), so thousands of rows need no resolver each. */
  @Field(() => Region, { description: "乡镇（街道）。The township-level unit." })
  township: Region;

  @Field(() => StockTotals, { description: "合计。Totals over the township's sites." })
  totals: StockTotals;
}

@ObjectType({ simpleResolvers: true, description: "库存汇总 One item's stock across the district (or a region): in all, by tier and by township." })
export class ItemStockSummary {
  itemId: number;

  @Field(() => StockTotals, { description: "合计。Totals over every site in scope." })
  total: StockTotals;

  @Field(() => [TierStockTotals], { description: "按层级汇总。Totals per tier (only tiers that stock the item)." })
  byTier: TierStockTotals[];

  @Field(() => [TownshipStockTotals], { description: "按乡镇（街道）汇总。Totals per township-level unit; the district depot belongs to no township and appears only in the tier totals." })
  byTownship: TownshipStockTotals[];
}

// ---------------------------------------------------------------- alerts

@ObjectType({ simpleResolvers: true, description: "库存预警。Something a logistics desk should act on: an item below minimum at a site, or a batch expiring or expired." })
export class StockAlert {
  levelId: number;
  siteId: number;
  itemId: number;
  batchId: number | null;

  @Field(() => StockAlertKind, { description: "预警类别。What the alert is about." })
  kind: StockAlertKind;

  @Field(() => Int, { description: "数量。BELOW_MINIMUM: available at the site; EXPIRING/EXPIRED: on hand of the batch." })
  quantity: number;

  @Field(() => Int, { description: "最低库存。The site's minimum for the item." })
  minimum: number;

  @Field(() => Int, { description: "缺口。BELOW_MINIMUM: units missing to reach the minimum; otherwise 0." })
  shortfall: number;

  @Field(() => LocalDateResolver, { nullable: true, description: "有效期至。Expiry date of the batch (EXPIRING/EXPIRED)." })
  expiryDate: string | null;

  @Field(() => Int, { nullable: true, description: "距到期天数。Days until the batch expires (negative once expired); null for BELOW_MINIMUM." })
  daysToExpiry: number | null;
}

export const StockAlertConnection = ConnectionType(StockAlert, "StockAlert", "库存预警分页。A page of stock alerts, ordered by kind, site, item and batch.");

@ObjectType({ description: "账实不符 A batch whose on-hand quantity differs from the sum of its ledger entries. There must never be one." })
export class LedgerDiscrepancy {
  batchId: number;

  @Field(() => Int, { description: "批次账面数量。On hand recorded on the batch." })
  onHand: number;

  @Field(() => Int, { description: "台账合计。Sum of the batch's ledger entries." })
  ledgerTotal: number;

  @Field(() => Int, { description: "差额。On hand − ledger total." })
  difference: number;
}

@ObjectType({ description: "库存变化。A committed change of a stock level (site × item)." })
export class StockLevelChange {
  @Field(() => StockLevel, { description: "变化后的库存。The level as it stood right after the change was committed." })
  level: StockLevel;

  @Field(() => [StockChangeCause], { description: "变化原因。What changed it (ledger movement kinds, reservations, minimum)." })
  causes: StockChangeCause[];

  @Field(() => [String], { description: "操作编号。Operation ids of the ledger entries written (see StockMovement.operationId); empty for reservations and minimums." })
  operationIds: string[];

  @Field(() => Date, { description: "读取时间。When the level was read after the commit; drop an event older than one already shown." })
  asOf: Date;
}

// ---------------------------------------------------------------- payloads

@ObjectType({ description: "入库结果。Result of `receiveStock`." })
export class ReceiveStockPayload {
  @Field(() => StockBatch, { nullable: true, description: "入库批次。The batch received into." })
  batch?: StockBatch;

  @Field(() => StockMovement, { nullable: true, description: "入库台账记录。The RECEIPT ledger entry." })
  movement?: StockMovement;

  @Field(() => [UserError], { description: "输入问题。What was wrong with the input; nothing was written when not empty." })
  errors: UserError[];
}

@ObjectType({ description: "调拨结果。Result of `transferStock`." })
export class TransferStockPayload {
  @Field(() => [StockMovement], { nullable: true, description: "调出与调入台账记录。The TRANSFER_OUT and TRANSFER_IN entries, two per line." })
  movements?: StockMovement[];

  @Field(() => [UserError], { description: "输入问题。What was wrong with the input; nothing was written when not empty." })
  errors: UserError[];
}

@ObjectType({ description: "报废结果。Result of `writeOffStock`." })
export class WriteOffStockPayload {
  @Field(() => StockBatch, { nullable: true, description: "库存批次。The batch after the write-off." })
  batch?: StockBatch;

  @Field(() => StockMovement, { nullable: true, description: "报废台账记录。The WRITE_OFF ledger entry." })
  movement?: StockMovement;

  @Field(() => [UserError], { description: "输入问题。What was wrong with the input; nothing was written when not empty." })
  errors: UserError[];
}

@ObjectType({ description: "盘点结果。Result of `recordStocktake`." })
export class RecordStocktakePayload {
  @Field(() => [StockMovement], { nullable: true, description: "盘点调整。One COUNT_ADJUSTMENT entry per batch whose count differed; empty when everything matched (账实相符)." })
  adjustments?: StockMovement[];

  @Field(() => Int, { nullable: true, description: "已盘点批次数。How many batches were counted." })
  countedBatches?: number;

  @Field(() => [UserError], { description: "输入问题。What was wrong with the input; nothing was written when not empty." })
  errors: UserError[];
}

@ObjectType({ description: "轮换结果。Result of `rotateBatch`." })
export class RotateBatchPayload {
  @Field(() => StockMovement, { nullable: true, description: "轮换出库记录。The ROTATION entry taking the old batch out." })
  outgoing?: StockMovement;

  @Field(() => StockMovement, { nullable: true, description: "轮换入库记录。The ROTATION entry bringing the fresh batch in." })
  incoming?: StockMovement;

  @Field(() => StockBatch, { nullable: true, description: "新批次。The fresh batch." })
  newBatch?: StockBatch;

  @Field(() => [UserError], { description: "输入问题。What was wrong with the input; nothing was written when not empty." })
  errors: UserError[];
}

@ObjectType({ description: "设置最低库存结果。Result of `setMinimumStock`." })
export class SetMinimumStockPayload {
  @Field(() => StockLevel, { nullable: true, description: "库存。The level with its new minimum." })
  level?: StockLevel;

  @Field(() => [UserError], { description: "输入问题。What was wrong with the input; nothing was written when not empty." })
  errors: UserError[];
}

@ObjectType({ description: "储备点保存结果。Result of `createStorageSite` and `updateStorageSite`." })
export class StorageSitePayload {
  @Field(() => StorageSite, { nullable: true, description: "储备点。The site as saved." })
  site?: StorageSite;

  @Field(() => [UserError], { description: "输入问题。What was wrong with the input; nothing was written when not empty." })
  errors: UserError[];
}

@ObjectType({ description: "物资保存结果。Result of `createSupplyItem` and `updateSupplyItem`." })
export class SupplyItemPayload {
  @Field(() => SupplyItem, { nullable: true, description: "物资。The item as saved." })
  item?: SupplyItem;

  @Field(() => [UserError], { description: "输入问题。What was wrong with the input; nothing was written when not empty." })
  errors: UserError[];
}

@ObjectType({ description: "协议企业保存结果。Result of `createReservePartner` and `updateReservePartner`." })
export class ReservePartnerPayload {
  @Field(() => ReservePartner, { nullable: true, description: "协议企业。The partner as saved." })
  partner?: ReservePartner;

  @Field(() => [UserError], { description: "输入问题。What was wrong with the input; nothing was written when not empty." })
  errors: UserError[];
}

