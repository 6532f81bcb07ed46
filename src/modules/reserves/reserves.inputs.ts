import { Field, Float, ID, InputType, Int } from "type-graphql";
import { LocalDateResolver } from "graphql-scalars";
import { MutationInput } from "../../core/mutation/mutation-input";
import { Hazard } from "../incidents/hazard";
import { MovementKind, PartnerStatus, ReceiptSource, ReserveMode, SiteStatus, SiteTier, StockAlertKind, SupplyCategory, WriteOffReason } from "./reserves.enums";
import { IdOrCodeFilter } from "../../core/graphql/code-filters";
import { DISPATCH_ORDER, REGION, STORAGE_SITE, SUPPLY_ITEM } from "../known-codes";

// ---------------------------------------------------------------- filters

@InputType({ description: "储备点筛选。Filter for `storageSites`; all given conditions must hold." })
export class StorageSiteWhere {
  @Field(() => SiteTier, { nullable: true, description: "储备层级。Only sites of this tier." })
  tier?: SiteTier | null;

  @IdOrCodeFilter(REGION, "区域。Only sites in this region or below it (a township includes its villages' rooms).")
  regionId?: string | null;

  @Field(() => String, { nullable: true, description: "名称包含。Name contains this text (case-insensitive), e.g. 汉丰." })
  nameContains?: string | null;

  @Field(() => SiteStatus, { nullable: true, description: "状态。Only sites in this status." })
  status?: SiteStatus | null;
}

@InputType({ description: "物资目录筛选。Filter for `supplyItems`; all given conditions must hold." })
export class SupplyItemWhere {
  @Field(() => SupplyCategory, { nullable: true, description: "大类 Only items of this top category." })
  category?: SupplyCategory | null;

  @Field(() => String, { nullable: true, description: "编码前缀。Only items whose GB/T 38565 code starts with this, e.g. 202 for water rescue equipment." })
  codePrefix?: string | null;

  @Field(() => Hazard, { nullable: true, description: "适用灾种。Only items that serve this hazard." })
  hazard?: Hazard | null;

  @Field(() => String, { nullable: true, description: "名称包含。Name contains this text (case-insensitive), e.g. 帐篷." })
  nameContains?: string | null;
}

@InputType({ description: "库存筛选。Filter for `stockLevels`; all given conditions must hold." })
export class StockLevelWhere {
  @IdOrCodeFilter(STORAGE_SITE, "储备点。Only this site.")
  siteId?: string | null;

  @IdOrCodeFilter(REGION, "区域。Only sites in this region or below it.")
  regionId?: string | null;

  @Field(() => SiteTier, { nullable: true, description: "储备层级。Only sites of this tier." })
  tier?: SiteTier | null;

  @IdOrCodeFilter(SUPPLY_ITEM, "物资。Only this item.")
  itemId?: string | null;

  @Field(() => SupplyCategory, { nullable: true, description: "物资大类。Only items of this top category." })
  category?: SupplyCategory | null;

  @Field(() => Boolean, { nullable: true, description: "低于最低库存。true: only levels whose available stock is below the minimum; false: only those at or above it." })
  belowMinimum?: boolean | null;

  @Field(() => Int, { nullable: true, description: "临期天数。Only levels holding a batch that expires within this many days (already expired ones included)." })
  expiringWithinDays?: number | null;
}

@InputType({ description: "储备点库存筛选。Filter for `StorageSite.stock`; all given conditions must hold." })
export class SiteStockWhere {
  @IdOrCodeFilter(SUPPLY_ITEM, "物资。Only these items (e.g. the ten key items of a wall dashboard).", { list: true })
  itemIds?: string[] | null;

  @Field(() => Boolean, { nullable: true, description: "低于最低库存。true: only items below their minimum; false: only those at or above it." })
  belowMinimum?: boolean | null;
}

@InputType({ description: "台账筛选。Filter for `stockMovements`; all given conditions must hold." })
export class StockMovementWhere {
  @IdOrCodeFilter(STORAGE_SITE, "储备点。Only movements at this site.")
  siteId?: string | null;

  @IdOrCodeFilter(SUPPLY_ITEM, "物资。Only movements of this item.")
  itemId?: string | null;

  @Field(() => ID, { nullable: true, description: "批次。Only movements of this batch." })
  batchId?: string | null;

  @Field(() => MovementKind, { nullable: true, description: "台账类型。Only movements of this kind." })
  kind?: MovementKind | null;

  @IdOrCodeFilter(DISPATCH_ORDER, "调拨单 Only the entries of this dispatch order: its ISSUE at the sources, TRANSFER_IN or RECEIPT at the receiving site, RETURN and WRITE_OFF of what came back.")
  dispatchOrderId?: string | null;

  @Field(() => Date, { nullable: true, description: "起始时间。Only movements recorded at or after this time." })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: "截止时间。Only movements recorded before this time." })
  to?: Date | null;
}

@InputType({ description: "库存汇总筛选。Filter for `stockSummary`." })
export class StockSummaryWhere {
  @IdOrCodeFilter(SUPPLY_ITEM, "物资。Only these items; all items of the catalogue when omitted.", { list: true })
  itemIds?: string[] | null;

  @IdOrCodeFilter(REGION, "区域。Only sites in this region or below it; the whole database when omitted.")
  regionId?: string | null;
}

@InputType({ description: "库存预警筛选。Filter for `stockAlerts`; all given conditions must hold." })
export class StockAlertWhere {
  @Field(() => StockAlertKind, { nullable: true, description: "预警类别。Only alerts of this kind." })
  kind?: StockAlertKind | null;

  @IdOrCodeFilter(REGION, "区域。Only sites in this region or below it.")
  regionId?: string | null;

  @IdOrCodeFilter(STORAGE_SITE, "储备点。Only this site.")
  siteId?: string | null;

  @Field(() => SiteTier, { nullable: true, description: "储备层级。Only sites of this tier." })
  tier?: SiteTier | null;

  @IdOrCodeFilter(SUPPLY_ITEM, "物资。Only this item.")
  itemId?: string | null;

  @Field(() => Int, { nullable: true, defaultValue: 90, description: "临期天数。EXPIRING means expiring within this many days (default 90)." })
  expiringWithinDays?: number | null;
}

@InputType({ description: "协议企业筛选。Filter for `reservePartners`; all given conditions must hold." })
export class ReservePartnerWhere {
  @IdOrCodeFilter(REGION, "区域。Only partners located in this region or below it.")
  regionId?: string | null;

  @IdOrCodeFilter(SUPPLY_ITEM, "物资。Only partners with agreed stock or production capacity of this item.")
  itemId?: string | null;

  @Field(() => PartnerStatus, { nullable: true, description: "协议状态。Only partners whose agreement is in this state." })
  status?: PartnerStatus | null;

  @Field(() => String, { nullable: true, description: "名称包含。Name contains this text (case-insensitive)." })
  nameContains?: string | null;
}

@InputType({ description: "库存变化筛选。Which stock level changes a `stockLevelChanged` subscriber receives; all given conditions must hold." })
export class StockLevelChangedWhere {
  @IdOrCodeFilter(STORAGE_SITE, "储备点。Only changes at this site.")
  siteId?: string | null;

  @IdOrCodeFilter(REGION, "区域。Only changes at sites in this region or below it.")
  regionId?: string | null;

  @Field(() => SiteTier, { nullable: true, description: "储备层级。Only changes at sites of this tier." })
  tier?: SiteTier | null;

  @IdOrCodeFilter(SUPPLY_ITEM, "物资。Only changes of this item.")
  itemId?: string | null;
}

// ---------------------------------------------------------------- stock operations

@InputType({ description: "入库 Goods arriving at a site." })
export class ReceiveStockInput extends MutationInput {
  @Field(() => ID, { description: "储备点。The receiving site." })
  siteId: string;

  @Field(() => ID, { description: "物资。The item received." })
  itemId: string;

  @Field(() => String, { description: "批号 Batch number; receiving more of a batch the site already holds adds to it." })
  batchNumber: string;

  @Field(() => Int, { description: "数量。How many units (a positive whole number)." })
  quantity: number;

  @Field(() => ReceiptSource, { description: "物资来源。Purchase or donation." })
  source: ReceiptSource;

  @Field(() => LocalDateResolver, { nullable: true, description: "生产日期。Production date; not in the future." })
  productionDate?: string | null;

  @Field(() => LocalDateResolver, { nullable: true, description: "有效期至。Expiry date; required for items that track expiry; an expired batch is refused." })
  expiryDate?: string | null;

  @Field(() => ReserveMode, { nullable: true, defaultValue: ReserveMode.GOVERNMENT, description: "储备方式。Whose reserve the batch is (default GOVERNMENT)." })
  reserveMode?: ReserveMode | null;

  @Field(() => String, { nullable: true, description: "备注 Note for the ledger, e.g. the delivery note number." })
  note?: string | null;
}

@InputType({ description: "调拨明细。One batch and quantity of a transfer." })
export class TransferLineInput {
  @Field(() => ID, { description: "库存批次。A batch at the sending site." })
  batchId: string;

  @Field(() => Int, { description: "数量。How many units (a positive whole number, at most what is available)." })
  quantity: number;
}

@InputType({ description: "调拨 Moving stock from one site to another." })
export class TransferStockInput extends MutationInput {
  @Field(() => ID, { description: "调出储备点。The sending site." })
  fromSiteId: string;

  @Field(() => ID, { description: "调入储备点。The receiving site (not the sending one)." })
  toSiteId: string;

  @Field(() => [TransferLineInput], { description: "调拨明细。Batches and quantities, each batch at most once (1–100 lines)." })
  lines: TransferLineInput[];

  @Field(() => String, { nullable: true, description: "备注 Note for the ledger." })
  note?: string | null;
}

@InputType({ description: "报废 Writing off stock." })
export class WriteOffStockInput extends MutationInput {
  @Field(() => ID, { description: "库存批次。The batch." })
  batchId: string;

  @Field(() => Int, { description: "数量。How many units (a positive whole number, at most what is available)." })
  quantity: number;

  @Field(() => WriteOffReason, { description: "报废原因。Why: expired, damaged or lost." })
  reason: WriteOffReason;

  @Field(() => String, { description: "审批人 Who approved the write-off." })
  approvedBy: string;

  @Field(() => String, { nullable: true, description: "备注 Note for the ledger." })
  note?: string | null;
}

@InputType({ description: "盘点明细。One counted batch of a stocktake." })
export class StocktakeCountInput {
  @Field(() => ID, { description: "库存批次。A batch at the counted site." })
  batchId: string;

  @Field(() => Int, { description: "实盘数量。Units found (0 or more)." })
  countedQuantity: number;
}

@InputType({ description: "盘点 A stocktake of some or all batches of a site; batches not listed are left as they are." })
export class RecordStocktakeInput extends MutationInput {
  @Field(() => ID, { description: "盘点储备点。The counted site." })
  siteId: string;

  @Field(() => [StocktakeCountInput], { description: "实盘数量。Counted quantities, each batch at most once (1–1,000)." })
  counts: StocktakeCountInput[];

  @Field(() => String, { nullable: true, description: "备注 Note for the ledger, e.g. who counted." })
  note?: string | null;
}

@InputType({ description: "轮换新批次。The fresh batch that replaces an old one in a rotation." })
export class NewBatchInput {
  @Field(() => String, { description: "新批次批号。Batch number of the fresh batch." })
  batchNumber: string;

  @Field(() => LocalDateResolver, { nullable: true, description: "生产日期。Production date; not in the future." })
  productionDate?: string | null;

  @Field(() => LocalDateResolver, { nullable: true, description: "有效期至。Expiry date; required for items that track expiry; later than the old batch's." })
  expiryDate?: string | null;
}

@InputType({ description: "轮换 Batch rotation: part or all of an old batch leaves (sold on, used in normal times) and the same quantity of a fresh batch comes in." })
export class RotateBatchInput extends MutationInput {
  @Field(() => ID, { description: "原批次。The old batch." })
  batchId: string;

  @Field(() => Int, { nullable: true, description: "轮换数量。How many units to rotate; default all that is available (reserved units stay)." })
  quantity?: number | null;

  @Field(() => NewBatchInput, { description: "新批次。The fresh batch." })
  newBatch: NewBatchInput;

  @Field(() => String, { nullable: true, description: "备注 Note for the ledger." })
  note?: string | null;
}

@InputType({ description: "最低库存 Setting a site's minimum for an item." })
export class SetMinimumStockInput extends MutationInput {
  @Field(() => ID, { description: "储备点。The site." })
  siteId: string;

  @Field(() => ID, { description: "条目。The item." })
  itemId: string;

  @Field(() => Int, { description: "最低库存。The minimum (0 = none)." })
  minimum: number;
}

// ---------------------------------------------------------------- catalogue (ADMIN)

@InputType({ description: "新建储备点。A new storage site." })
export class CreateStorageSiteInput extends MutationInput {
  @Field(() => String, { description: "储备点编码。Stable unique code, e.g. KZ-S01-P2." })
  code: string;

  @Field(() => String, { description: "中文名称。Name in Chinese." })
  name: string;

  @Field(() => SiteTier, { description: "储备层级。Tier; the region must be of the matching level (district, township, village)." })
  tier: SiteTier;

  @Field(() => ID, { description: "服务区域。The region the site serves." })
  regionId: string;

  @Field(() => String, { description: "地址。Street address." })
  address: string;

  @Field(() => Float, { description: "纬度。Latitude (WGS-84)." })
  latitude: number;

  @Field(() => Float, { description: "经度。Longitude (WGS-84)." })
  longitude: number;

  @Field(() => Int, { description: "使用面积。Usable floor area in m² (positive)." })
  floorArea: number;

  @Field(() => String, { nullable: true, description: "保管员 Custodian." })
  custodianName?: string | null;

  @Field(() => String, { nullable: true, description: "保管员电话。Custodian's phone." })
  custodianPhone?: string | null;

  @Field(() => SiteStatus, { nullable: true, defaultValue: SiteStatus.ACTIVE, description: "状态。Status (default ACTIVE)." })
  status?: SiteStatus | null;
}

@InputType({ description: "修改储备点。Changes to a storage site; omitted fields stay as they are. Code, tier and region never change: the ledger refers to them." })
export class UpdateStorageSiteInput extends MutationInput {
  @Field(() => ID, { description: "储备点。The site." })
  id: string;

  @Field(() => String, { nullable: true, description: "新名称。New name." })
  name?: string | null;

  @Field(() => String, { nullable: true, description: "新地址。New address." })
  address?: string | null;

  @Field(() => Float, { nullable: true, description: "新纬度。New latitude." })
  latitude?: number | null;

  @Field(() => Float, { nullable: true, description: "新经度。New longitude." })
  longitude?: number | null;

  @Field(() => Int, { nullable: true, description: "新使用面积。New floor area in m²." })
  floorArea?: number | null;

  @Field(() => String, { nullable: true, description: "新保管员。New custodian; an empty string clears it." })
  custodianName?: string | null;

  @Field(() => String, { nullable: true, description: "新保管员电话。New custodian phone; an empty string clears it." })
  custodianPhone?: string | null;

  @Field(() => SiteStatus, { nullable: true, description: "新状态。New status; CLOSED only when the site holds no stock." })
  status?: SiteStatus | null;
}

@InputType({ description: "新增物资目录条目。A new catalogue item." })
export class CreateSupplyItemInput extends MutationInput {
  @Field(() => String, { description: "物资编码。Seven-digit GB/T 38565-2020 code (first digit 1–3, then three levels 01–99)." })
  code: string;

  @Field(() => String, { description: "中文名称。Name in Chinese." })
  name: string;

  @Field(() => String, { nullable: true, description: "规格型号 Specification." })
  specification?: string | null;

  @Field(() => String, { description: "计量单位。Unit of count, e.g. 顶, 件, 箱." })
  unit: string;

  @Field(() => Boolean, { description: "可回收。Reusable (comes back after use)." })
  reusable: boolean;

  @Field(() => Boolean, { description: "是否管理有效期。Whether batches carry an expiry date." })
  tracksExpiry: boolean;

  @Field(() => Int, { nullable: true, description: "保质期（天）。Typical shelf life in days." })
  shelfLifeDays?: number | null;

  @Field(() => [Hazard], { description: "适用灾种。Hazards the item serves." })
  hazards: Hazard[];
}

@InputType({ description: "修改物资目录条目。Changes to a catalogue item; omitted fields stay as they are. The code never changes." })
export class UpdateSupplyItemInput extends MutationInput {
  @Field(() => ID, { description: "条目。The item." })
  id: string;

  @Field(() => String, { nullable: true, description: "新名称。New name." })
  name?: string | null;

  @Field(() => String, { nullable: true, description: "规格型号。New specification; an empty string clears it." })
  specification?: string | null;

  @Field(() => String, { nullable: true, description: "计量单位。New unit." })
  unit?: string | null;

  @Field(() => Boolean, { nullable: true, description: "可回收。Reusable or not." })
  reusable?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: "是否管理有效期。Whether batches carry an expiry date." })
  tracksExpiry?: boolean | null;

  @Field(() => Int, { nullable: true, description: "保质期（天）。New typical shelf life in days." })
  shelfLifeDays?: number | null;

  @Field(() => [Hazard], { nullable: true, description: "适用灾种。New list of hazards served." })
  hazards?: Hazard[] | null;
}

@InputType({ description: "协议储备。Stock a partner agrees to hold for an item." })
export class PartnerStockInput {
  @Field(() => ID, { description: "条目。The item." })
  itemId: string;

  @Field(() => Int, { description: "协议储备量。Agreed quantity (positive)." })
  agreedQuantity: number;
}

@InputType({ description: "产能储备。A partner's production capacity for an item." })
export class PartnerCapacityInput {
  @Field(() => ID, { description: "条目。The item." })
  itemId: string;

  @Field(() => Int, { description: "日产能。Units per day (positive)." })
  unitsPerDay: number;

  @Field(() => Int, { description: "响应时间（小时）。Hours until the first units are ready (0 or more)." })
  leadTimeHours: number;
}

@InputType({ description: "协议企业 A new partner enterprise with its agreement." })
export class CreateReservePartnerInput extends MutationInput {
  @Field(() => String, { description: "企业编码。Stable unique code, e.g. KZ-EP-09." })
  code: string;

  @Field(() => String, { description: "企业名称。Registered name." })
  name: string;

  @Field(() => String, { nullable: true, description: "统一社会信用代码。Unified social credit code (18 characters)." })
  creditCode?: string | null;

  @Field(() => ID, { description: "所在区域。Region where its warehouse or plant is." })
  regionId: string;

  @Field(() => String, { description: "地址。Address." })
  address: string;

  @Field(() => Float, { description: "纬度。Latitude (WGS-84)." })
  latitude: number;

  @Field(() => Float, { description: "经度。Longitude (WGS-84)." })
  longitude: number;

  @Field(() => String, { nullable: true, description: "联系人。Contact person." })
  contactName?: string | null;

  @Field(() => String, { nullable: true, description: "联系电话。Contact phone." })
  contactPhone?: string | null;

  @Field(() => String, { description: "协议编号 Agreement number." })
  agreementNumber: string;

  @Field(() => LocalDateResolver, { description: "协议起始日期。First day of the agreement." })
  agreementStartsOn: string;

  @Field(() => LocalDateResolver, { description: "协议截止日期。Last day of the agreement (not before the first)." })
  agreementEndsOn: string;

  @Field(() => PartnerStatus, { nullable: true, defaultValue: PartnerStatus.ACTIVE, description: "协议状态。State of the agreement (default ACTIVE)." })
  status?: PartnerStatus | null;

  @Field(() => [PartnerStockInput], { nullable: true, description: "协议储备物资。Agreed stock, each item at most once." })
  agreedStock?: PartnerStockInput[] | null;

  @Field(() => [PartnerCapacityInput], { nullable: true, description: "产能储备。Production capacity, each item at most once." })
  capacities?: PartnerCapacityInput[] | null;
}

@InputType({ description: "修改协议企业。Changes to a partner enterprise; omitted fields stay as they are; a given list replaces the old one." })
export class UpdateReservePartnerInput extends MutationInput {
  @Field(() => ID, { description: "协议企业。The partner." })
  id: string;

  @Field(() => String, { nullable: true, description: "新名称。New name." })
  name?: string | null;

  @Field(() => String, { nullable: true, description: "新统一社会信用代码。New credit code; an empty string clears it." })
  creditCode?: string | null;

  @Field(() => String, { nullable: true, description: "新地址。New address." })
  address?: string | null;

  @Field(() => Float, { nullable: true, description: "新纬度。New latitude." })
  latitude?: number | null;

  @Field(() => Float, { nullable: true, description: "新经度。New longitude." })
  longitude?: number | null;

  @Field(() => String, { nullable: true, description: "新联系人。New contact person; an empty string clears it." })
  contactName?: string | null;

  @Field(() => String, { nullable: true, description: "新联系电话。New contact phone; an empty string clears it." })
  contactPhone?: string | null;

  @Field(() => String, { nullable: true, description: "新协议编号。New agreement number." })
  agreementNumber?: string | null;

  @Field(() => LocalDateResolver, { nullable: true, description: "新协议起始日期。New first day of the agreement." })
  agreementStartsOn?: string | null;

  @Field(() => LocalDateResolver, { nullable: true, description: "新协议截止日期。New last day of the agreement." })
  agreementEndsOn?: string | null;

  @Field(() => PartnerStatus, { nullable: true, description: "新协议状态。New state of the agreement." })
  status?: PartnerStatus | null;

  @Field(() => [PartnerStockInput], { nullable: true, description: "协议储备。Replaces the agreed stock." })
  agreedStock?: PartnerStockInput[] | null;

  @Field(() => [PartnerCapacityInput], { nullable: true, description: "产能储备。Replaces the production capacity." })
  capacities?: PartnerCapacityInput[] | null;
}
