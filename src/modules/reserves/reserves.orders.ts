// 排序 The reserve's lists and the orders their users sort them in (`orderBy`): the logistics desk
// sorts sites and items by code or name, stock by quantity or expiry, the ledger by time.
import { defineOrder, enumRank, pinyin, SortDirection } from "../../core/graphql/relay";
import { MovementKind, PartnerStatus, SiteStatus, SiteTier, StockAlertKind } from "./reserves.enums";
import type { ReservePartner } from "./reserve-partner.entity";
import type { StockMovement } from "./stock-movement.entity";
import type { StorageSite } from "./storage-site.entity";
import type { SupplyItem } from "./supply-item.entity";

export enum StorageSiteOrderField {
  CODE = "CODE",
  NAME = "NAME",
  TIER = "TIER",
  STATUS = "STATUS",
  CREATED_AT = "CREATED_AT",
}

export const STORAGE_SITE_ORDER = defineOrder<StorageSite, StorageSiteOrderField>({
  name: "StorageSite",
  fields: StorageSiteOrderField,
  description: "储备点排序字段 What storage sites sort by.",
  keys: {
    CODE: { sql: "site.code", value: (s) => s.code, describe: "编码 Site code (KZ-S01-P …): the district's own listing order." },
    NAME: { sql: pinyin("site.name"), describe: "名称 Site name, in Hanyu Pinyin order (按拼音)." },
    TIER: { sql: enumRank(Object.values(SiteTier), "site.tier"), describe: "层级 Tier, top down: district depot, township points, village rooms." },
    STATUS: { sql: enumRank(Object.values(SiteStatus), "site.status"), describe: "状态 Status: active, maintenance, closed." },
    CREATED_AT: { sql: "site.created_at", describe: "建档时间 When the site was entered." },
  },
  tiebreak: { sql: "site.id", value: (s) => s.id },
  defaultOrder: { terms: [{ field: "CODE", direction: SortDirection.ASC }], tiebreak: SortDirection.ASC, says: "by code" },
});

export enum SupplyItemOrderField {
  CODE = "CODE",
  NAME = "NAME",
  SHELF_LIFE = "SHELF_LIFE",
}

export const SUPPLY_ITEM_ORDER = defineOrder<SupplyItem, SupplyItemOrderField>({
  name: "SupplyItem",
  fields: SupplyItemOrderField,
  description: "物资排序字段 What catalogue items sort by.",
  keys: {
    CODE: { sql: "item.code", describe: "编码 GB/T 38565 code: category, then class." },
    NAME: { sql: pinyin("item.name"), describe: "名称 Item name, in Hanyu Pinyin order (按拼音)." },
    SHELF_LIFE: { sql: "item.shelf_life_days", nullable: true, describe: "保质期 Shelf life in days; items that do not expire count as longest (last ascending)." },
  },
  tiebreak: { sql: "item.id" },
  defaultOrder: { terms: [{ field: "CODE", direction: SortDirection.ASC }], tiebreak: SortDirection.ASC, says: "by code" },
});

export enum ReservePartnerOrderField {
  CODE = "CODE",
  NAME = "NAME",
  AGREEMENT_ENDS_ON = "AGREEMENT_ENDS_ON",
  STATUS = "STATUS",
}

export const RESERVE_PARTNER_ORDER = defineOrder<ReservePartner, ReservePartnerOrderField>({
  name: "ReservePartner",
  fields: ReservePartnerOrderField,
  description: "协议企业排序字段 What partner enterprises sort by.",
  keys: {
    CODE: { sql: "partner.code", describe: "编码 Partner code." },
    NAME: { sql: pinyin("partner.name"), describe: "名称 Enterprise name, in Hanyu Pinyin order (按拼音)." },
    AGREEMENT_ENDS_ON: { sql: "partner.agreement_ends_on", describe: "协议到期 When the agreement ends: ascending shows the agreements to renew first." },
    STATUS: { sql: enumRank(Object.values(PartnerStatus), "partner.status"), describe: "状态 Status: active, suspended, ended." },
  },
  tiebreak: { sql: "partner.id" },
  defaultOrder: { terms: [{ field: "CODE", direction: SortDirection.ASC }], tiebreak: SortDirection.ASC, says: "by code" },
});

export enum StockMovementOrderField {
  OCCURRED_AT = "OCCURRED_AT",
  QUANTITY = "QUANTITY",
  KIND = "KIND",
}

/** Each order has an index of its own (IDX_stock_movement_time, …_quantity, …_kind): the ledger is the largest table. */
export const STOCK_MOVEMENT_ORDER = defineOrder<StockMovement, StockMovementOrderField>({
  name: "StockMovement",
  fields: StockMovementOrderField,
  description: "台账排序字段 What ledger entries sort by.",
  keys: {
    OCCURRED_AT: { sql: "movement.occurred_at", describe: "发生时间 When the movement happened (the ledger's own order, ascending)." },
    QUANTITY: { sql: "movement.quantity", describe: "数量 Units moved (receipts positive, issues negative): ascending puts the largest issues first." },
    KIND: { sql: enumRank(Object.values(MovementKind), "movement.kind"), describe: "类型 Kind: receipt, issue, transfers, return, write-off, count, …" },
  },
  tiebreak: { sql: "movement.id" },
  defaultOrder: { terms: [{ field: "OCCURRED_AT", direction: SortDirection.ASC }], tiebreak: SortDirection.ASC, says: "oldest first (occurredAt, then id)" },
});

export enum StockLevelOrderField {
  SITE = "SITE",
  ITEM = "ITEM",
  ON_HAND = "ON_HAND",
  AVAILABLE = "AVAILABLE",
  EXPIRY = "EXPIRY",
  UPDATED_AT = "UPDATED_AT",
}

/** Over the raw level query (level `l`, its sums `a`). */
export const STOCK_LEVEL_ORDER = defineOrder<unknown, StockLevelOrderField>({
  name: "StockLevel",
  fields: StockLevelOrderField,
  description: "库存排序字段 What stock levels sort by.",
  keys: {
    SITE: { sql: "(SELECT s.code FROM storage_site s WHERE s.id = l.site_id)", describe: "储备点 The site's code." },
    ITEM: { sql: "(SELECT i.code FROM supply_item i WHERE i.id = l.item_id)", describe: "物资 The item's code." },
    ON_HAND: { sql: "a.on_hand", describe: "库存数量 Units on hand." },
    AVAILABLE: { sql: "(a.on_hand - a.reserved)", describe: "可用数量 Units available (on hand less reserved)." },
    EXPIRY: { sql: "a.earliest_expiry", nullable: true, describe: "最早到期 Earliest expiry of the level's batches; levels with nothing that expires sort last ascending, first descending." },
    UPDATED_AT: { sql: "l.updated_at", describe: "更新时间 When the level last changed." },
  },
  hidden: { SITE_ID: { sql: "l.site_id", value: (row) => (row as { siteId: number }).siteId }, ITEM_ID: { sql: "l.item_id", value: (row) => (row as { itemId: number }).itemId } },
  tiebreak: { sql: "l.id", value: (row) => (row as { id: number }).id },
  defaultOrder: {
    terms: [
      { field: "SITE_ID", direction: SortDirection.ASC },
      { field: "ITEM_ID", direction: SortDirection.ASC },
    ],
    tiebreak: SortDirection.ASC,
    says: "by site, then item (in the order they were entered)",
  },
});

export enum StockAlertOrderField {
  KIND = "KIND",
  SITE = "SITE",
  ITEM = "ITEM",
  QUANTITY = "QUANTITY",
  EXPIRY = "EXPIRY",
}

/** Over the alert union (alias `alert`). */
export const STOCK_ALERT_ORDER = defineOrder<unknown, StockAlertOrderField>({
  name: "StockAlert",
  fields: StockAlertOrderField,
  description: "预警排序字段 What stock alerts sort by.",
  keys: {
    KIND: { sql: enumRank(Object.values(StockAlertKind), "alert.kind"), describe: "类型 Kind: below minimum, expiring, expired." },
    SITE: { sql: "(SELECT s.code FROM storage_site s WHERE s.id = alert.site_id)", describe: "储备点 The site's code." },
    ITEM: { sql: "(SELECT i.code FROM supply_item i WHERE i.id = alert.item_id)", describe: "物资 The item's code." },
    QUANTITY: { sql: "alert.quantity", describe: "数量 Units concerned (available for a level, on hand for a batch)." },
    EXPIRY: { sql: "alert.expiry_date", nullable: true, describe: "到期日 The batch's expiry date; below-minimum alerts have none and sort last ascending." },
  },
  hidden: { KIND_NAME: { sql: "alert.kind" } },
  tiebreak: [{ sql: "alert.site_id" }, { sql: "alert.item_id" }, { sql: "coalesce(alert.batch_id, 0)" }, { sql: "alert.kind" }],
  defaultOrder: { terms: [{ field: "KIND_NAME", direction: SortDirection.ASC }], tiebreak: SortDirection.ASC, says: "by kind, site, item and batch" },
});
