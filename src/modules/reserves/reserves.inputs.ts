import { Field, Float, ID, InputType, Int } from "type-graphql";
import { LocalDateResolver } from "graphql-scalars";
import { MutationInput } from "../../core/mutation/mutation-input";
import { Hazard } from "../incidents/hazard";
import { MovementKind, PartnerStatus, ReceiptSource, ReserveMode, SiteStatus, SiteTier, StockAlertKind, SupplyCategory, WriteOffReason } from "./reserves.enums";

// ---------------------------------------------------------------- filters

@InputType({ description: "Filter for `storageSites`; all given conditions must hold." })
export class StorageSiteWhere {
  @Field(() => SiteTier, { nullable: true, description: "Only sites of this tier." })
  tier?: SiteTier | null;

  @Field(() => ID, { nullable: true, description: "Only sites in this region or below it (a township includes its villages' rooms)." })
  regionId?: string | null;

  @Field(() => String, { nullable: true, description: "Name contains this text (case-insensitive), e.g. 汉丰." })
  nameContains?: string | null;

  @Field(() => SiteStatus, { nullable: true, description: "Only sites in this status." })
  status?: SiteStatus | null;
}

@InputType({ description: "Filter for `supplyItems`; all given conditions must hold." })
export class SupplyItemWhere {
  @Field(() => SupplyCategory, { nullable: true, description: "Only items of this top category (大类)." })
  category?: SupplyCategory | null;

  @Field(() => String, { nullable: true, description: "Only items whose GB/T 38565 code starts with this, e.g. 202 for water rescue equipment." })
  codePrefix?: string | null;

  @Field(() => Hazard, { nullable: true, description: "Only items that serve this hazard." })
  hazard?: Hazard | null;

  @Field(() => String, { nullable: true, description: "Name contains this text (case-insensitive), e.g. 帐篷." })
  nameContains?: string | null;
}

@InputType({ description: "Filter for `stockLevels`; all given conditions must hold." })
export class StockLevelWhere {
  @Field(() => ID, { nullable: true, description: "Only this site." })
  siteId?: string | null;

  @Field(() => ID, { nullable: true, description: "Only sites in this region or below it." })
  regionId?: string | null;

  @Field(() => SiteTier, { nullable: true, description: "Only sites of this tier." })
  tier?: SiteTier | null;

  @Field(() => ID, { nullable: true, description: "Only this item." })
  itemId?: string | null;

  @Field(() => SupplyCategory, { nullable: true, description: "Only items of this top category." })
  category?: SupplyCategory | null;

  @Field(() => Boolean, { nullable: true, description: "true: only levels whose available stock is below the minimum; false: only those at or above it." })
  belowMinimum?: boolean | null;

  @Field(() => Int, { nullable: true, description: "Only levels holding a batch that expires within this many days (already expired ones included)." })
  expiringWithinDays?: number | null;
}

@InputType({ description: "Filter for `StorageSite.stock`; all given conditions must hold." })
export class SiteStockWhere {
  @Field(() => [ID], { nullable: true, description: "Only these items (e.g. the ten key items of a wall dashboard)." })
  itemIds?: string[] | null;

  @Field(() => Boolean, { nullable: true, description: "true: only items below their minimum; false: only those at or above it." })
  belowMinimum?: boolean | null;
}

@InputType({ description: "Filter for `stockMovements`; all given conditions must hold." })
export class StockMovementWhere {
  @Field(() => ID, { nullable: true, description: "Only movements at this site." })
  siteId?: string | null;

  @Field(() => ID, { nullable: true, description: "Only movements of this item." })
  itemId?: string | null;

  @Field(() => ID, { nullable: true, description: "Only movements of this batch." })
  batchId?: string | null;

  @Field(() => MovementKind, { nullable: true, description: "Only movements of this kind." })
  kind?: MovementKind | null;

  @Field(() => ID, {
    nullable: true,
    description: "调拨单 Only the entries of this dispatch order: its ISSUE at the sources, TRANSFER_IN or RECEIPT at the receiving site, RETURN and WRITE_OFF of what came back.",
  })
  dispatchOrderId?: string | null;

  @Field(() => Date, { nullable: true, description: "Only movements recorded at or after this time." })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: "Only movements recorded before this time." })
  to?: Date | null;
}

@InputType({ description: "Filter for `stockSummary`." })
export class StockSummaryWhere {
  @Field(() => [ID], { nullable: true, description: "Only these items; all items of the catalogue when omitted." })
  itemIds?: string[] | null;

  @Field(() => ID, { nullable: true, description: "Only sites in this region or below it; the whole database when omitted." })
  regionId?: string | null;
}

@InputType({ description: "Filter for `stockAlerts`; all given conditions must hold." })
export class StockAlertWhere {
  @Field(() => StockAlertKind, { nullable: true, description: "Only alerts of this kind." })
  kind?: StockAlertKind | null;

  @Field(() => ID, { nullable: true, description: "Only sites in this region or below it." })
  regionId?: string | null;

  @Field(() => ID, { nullable: true, description: "Only this site." })
  siteId?: string | null;

  @Field(() => SiteTier, { nullable: true, description: "Only sites of this tier." })
  tier?: SiteTier | null;

  @Field(() => ID, { nullable: true, description: "Only this item." })
  itemId?: string | null;

  @Field(() => Int, { nullable: true, defaultValue: 90, description: "EXPIRING means expiring within this many days (default 90)." })
  expiringWithinDays?: number | null;
}

@InputType({ description: "Filter for `reservePartners`; all given conditions must hold." })
export class ReservePartnerWhere {
  @Field(() => ID, { nullable: true, description: "Only partners located in this region or below it." })
  regionId?: string | null;

  @Field(() => ID, { nullable: true, description: "Only partners with agreed stock or production capacity of this item." })
  itemId?: string | null;

  @Field(() => PartnerStatus, { nullable: true, description: "Only partners whose agreement is in this state." })
  status?: PartnerStatus | null;

  @Field(() => String, { nullable: true, description: "Name contains this text (case-insensitive)." })
  nameContains?: string | null;
}

@InputType({ description: "Which stock level changes a `stockLevelChanged` subscriber receives; all given conditions must hold." })
export class StockLevelChangedWhere {
  @Field(() => ID, { nullable: true, description: "Only changes at this site." })
  siteId?: string | null;

  @Field(() => ID, { nullable: true, description: "Only changes at sites in this region or below it." })
  regionId?: string | null;

  @Field(() => SiteTier, { nullable: true, description: "Only changes at sites of this tier." })
  tier?: SiteTier | null;

  @Field(() => ID, { nullable: true, description: "Only changes of this item." })
  itemId?: string | null;
}

// ---------------------------------------------------------------- stock operations

@InputType({ description: "Goods arriving at a site (入库)." })
export class ReceiveStockInput extends MutationInput {
  @Field(() => ID, { description: "The receiving site." })
  siteId: string;

  @Field(() => ID, { description: "The item received." })
  itemId: string;

  @Field(() => String, { description: "Batch number (批号); receiving more of a batch the site already holds adds to it." })
  batchNumber: string;

  @Field(() => Int, { description: "How many units (a positive whole number)." })
  quantity: number;

  @Field(() => ReceiptSource, { description: "Purchase or donation." })
  source: ReceiptSource;

  @Field(() => LocalDateResolver, { nullable: true, description: "Production date; not in the future." })
  productionDate?: string | null;

  @Field(() => LocalDateResolver, { nullable: true, description: "Expiry date; required for items that track expiry; an expired batch is refused." })
  expiryDate?: string | null;

  @Field(() => ReserveMode, { nullable: true, defaultValue: ReserveMode.GOVERNMENT, description: "Whose reserve the batch is (default GOVERNMENT)." })
  reserveMode?: ReserveMode | null;

  @Field(() => String, { nullable: true, description: "Note for the ledger (备注), e.g. the delivery note number." })
  note?: string | null;
}

@InputType({ description: "One batch and quantity of a transfer." })
export class TransferLineInput {
  @Field(() => ID, { description: "A batch at the sending site." })
  batchId: string;

  @Field(() => Int, { description: "How many units (a positive whole number, at most what is available)." })
  quantity: number;
}

@InputType({ description: "Moving stock from one site to another (调拨)." })
export class TransferStockInput extends MutationInput {
  @Field(() => ID, { description: "The sending site." })
  fromSiteId: string;

  @Field(() => ID, { description: "The receiving site (not the sending one)." })
  toSiteId: string;

  @Field(() => [TransferLineInput], { description: "Batches and quantities, each batch at most once (1–100 lines)." })
  lines: TransferLineInput[];

  @Field(() => String, { nullable: true, description: "Note for the ledger (备注)." })
  note?: string | null;
}

@InputType({ description: "Writing off stock (报废)." })
export class WriteOffStockInput extends MutationInput {
  @Field(() => ID, { description: "The batch." })
  batchId: string;

  @Field(() => Int, { description: "How many units (a positive whole number, at most what is available)." })
  quantity: number;

  @Field(() => WriteOffReason, { description: "Why: expired, damaged or lost." })
  reason: WriteOffReason;

  @Field(() => String, { description: "Who approved the write-off (审批人)." })
  approvedBy: string;

  @Field(() => String, { nullable: true, description: "Note for the ledger (备注)." })
  note?: string | null;
}

@InputType({ description: "One counted batch of a stocktake." })
export class StocktakeCountInput {
  @Field(() => ID, { description: "A batch at the counted site." })
  batchId: string;

  @Field(() => Int, { description: "Units found (0 or more)." })
  countedQuantity: number;
}

@InputType({ description: "A stocktake (盘点) of some or all batches of a site; batches not listed are left as they are." })
export class RecordStocktakeInput extends MutationInput {
  @Field(() => ID, { description: "The counted site." })
  siteId: string;

  @Field(() => [StocktakeCountInput], { description: "Counted quantities, each batch at most once (1–1,000)." })
  counts: StocktakeCountInput[];

  @Field(() => String, { nullable: true, description: "Note for the ledger, e.g. who counted (备注)." })
  note?: string | null;
}

@InputType({ description: "The fresh batch that replaces an old one in a rotation." })
export class NewBatchInput {
  @Field(() => String, { description: "Batch number of the fresh batch." })
  batchNumber: string;

  @Field(() => LocalDateResolver, { nullable: true, description: "Production date; not in the future." })
  productionDate?: string | null;

  @Field(() => LocalDateResolver, { nullable: true, description: "Expiry date; required for items that track expiry; later than the old batch's." })
  expiryDate?: string | null;
}

@InputType({ description: "Batch rotation (轮换): part or all of an old batch leaves (sold on, used in normal times) and the same quantity of a fresh batch comes in." })
export class RotateBatchInput extends MutationInput {
  @Field(() => ID, { description: "The old batch." })
  batchId: string;

  @Field(() => Int, { nullable: true, description: "How many units to rotate; default all that is available (reserved units stay)." })
  quantity?: number | null;

  @Field(() => NewBatchInput, { description: "The fresh batch." })
  newBatch: NewBatchInput;

  @Field(() => String, { nullable: true, description: "Note for the ledger (备注)." })
  note?: string | null;
}

@InputType({ description: "Setting a site's minimum for an item (最低库存)." })
export class SetMinimumStockInput extends MutationInput {
  @Field(() => ID, { description: "The site." })
  siteId: string;

  @Field(() => ID, { description: "The item." })
  itemId: string;

  @Field(() => Int, { description: "The minimum (0 = none)." })
  minimum: number;
}

// ---------------------------------------------------------------- catalogue (ADMIN)

@InputType({ description: "A new storage site." })
export class CreateStorageSiteInput extends MutationInput {
  @Field(() => String, { description: "Stable unique code, e.g. KZ-S01-P2." })
  code: string;

  @Field(() => String, { description: "Name in Chinese." })
  name: string;

  @Field(() => SiteTier, { description: "Tier; the region must be of the matching level (district, township, village)." })
  tier: SiteTier;

  @Field(() => ID, { description: "The region the site serves." })
  regionId: string;

  @Field(() => String, { description: "Street address." })
  address: string;

  @Field(() => Float, { description: "Latitude (WGS-84)." })
  latitude: number;

  @Field(() => Float, { description: "Longitude (WGS-84)." })
  longitude: number;

  @Field(() => Int, { description: "Usable floor area in m² (positive)." })
  floorArea: number;

  @Field(() => String, { nullable: true, description: "Custodian (保管员)." })
  custodianName?: string | null;

  @Field(() => String, { nullable: true, description: "Custodian's phone." })
  custodianPhone?: string | null;

  @Field(() => SiteStatus, { nullable: true, defaultValue: SiteStatus.ACTIVE, description: "Status (default ACTIVE)." })
  status?: SiteStatus | null;
}

@InputType({ description: "Changes to a storage site; omitted fields stay as they are. Code, tier and region never change: the ledger refers to them." })
export class UpdateStorageSiteInput extends MutationInput {
  @Field(() => ID, { description: "The site." })
  id: string;

  @Field(() => String, { nullable: true, description: "New name." })
  name?: string | null;

  @Field(() => String, { nullable: true, description: "New address." })
  address?: string | null;

  @Field(() => Float, { nullable: true, description: "New latitude." })
  latitude?: number | null;

  @Field(() => Float, { nullable: true, description: "New longitude." })
  longitude?: number | null;

  @Field(() => Int, { nullable: true, description: "New floor area in m²." })
  floorArea?: number | null;

  @Field(() => String, { nullable: true, description: "New custodian; an empty string clears it." })
  custodianName?: string | null;

  @Field(() => String, { nullable: true, description: "New custodian phone; an empty string clears it." })
  custodianPhone?: string | null;

  @Field(() => SiteStatus, { nullable: true, description: "New status; CLOSED only when the site holds no stock." })
  status?: SiteStatus | null;
}

@InputType({ description: "A new catalogue item." })
export class CreateSupplyItemInput extends MutationInput {
  @Field(() => String, { description: "Seven-digit GB/T 38565-2020 code (first digit 1–3, then three levels 01–99)." })
  code: string;

  @Field(() => String, { description: "Name in Chinese." })
  name: string;

  @Field(() => String, { nullable: true, description: "Specification (规格型号)." })
  specification?: string | null;

  @Field(() => String, { description: "Unit of count, e.g. 顶, 件, 箱." })
  unit: string;

  @Field(() => Boolean, { description: "Reusable (comes back after use)." })
  reusable: boolean;

  @Field(() => Boolean, { description: "Whether batches carry an expiry date." })
  tracksExpiry: boolean;

  @Field(() => Int, { nullable: true, description: "Typical shelf life in days." })
  shelfLifeDays?: number | null;

  @Field(() => [Hazard], { description: "Hazards the item serves." })
  hazards: Hazard[];
}

@InputType({ description: "Changes to a catalogue item; omitted fields stay as they are. The code never changes." })
export class UpdateSupplyItemInput extends MutationInput {
  @Field(() => ID, { description: "The item." })
  id: string;

  @Field(() => String, { nullable: true, description: "New name." })
  name?: string | null;

  @Field(() => String, { nullable: true, description: "New specification; an empty string clears it." })
  specification?: string | null;

  @Field(() => String, { nullable: true, description: "New unit." })
  unit?: string | null;

  @Field(() => Boolean, { nullable: true, description: "Reusable or not." })
  reusable?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: "Whether batches carry an expiry date." })
  tracksExpiry?: boolean | null;

  @Field(() => Int, { nullable: true, description: "New typical shelf life in days." })
  shelfLifeDays?: number | null;

  @Field(() => [Hazard], { nullable: true, description: "New list of hazards served." })
  hazards?: Hazard[] | null;
}

@InputType({ description: "Stock a partner agrees to hold for an item." })
export class PartnerStockInput {
  @Field(() => ID, { description: "The item." })
  itemId: string;

  @Field(() => Int, { description: "Agreed quantity (positive)." })
  agreedQuantity: number;
}

@InputType({ description: "A partner's production capacity for an item." })
export class PartnerCapacityInput {
  @Field(() => ID, { description: "The item." })
  itemId: string;

  @Field(() => Int, { description: "Units per day (positive)." })
  unitsPerDay: number;

  @Field(() => Int, { description: "Hours until the first units are ready (0 or more)." })
  leadTimeHours: number;
}

@InputType({ description: "A new partner enterprise (协议企业) with its agreement." })
export class CreateReservePartnerInput extends MutationInput {
  @Field(() => String, { description: "Stable unique code, e.g. KZ-EP-09." })
  code: string;

  @Field(() => String, { description: "Registered name." })
  name: string;

  @Field(() => String, { nullable: true, description: "Unified social credit code (18 characters)." })
  creditCode?: string | null;

  @Field(() => ID, { description: "Region where its warehouse or plant is." })
  regionId: string;

  @Field(() => String, { description: "Address." })
  address: string;

  @Field(() => Float, { description: "Latitude (WGS-84)." })
  latitude: number;

  @Field(() => Float, { description: "Longitude (WGS-84)." })
  longitude: number;

  @Field(() => String, { nullable: true, description: "Contact person." })
  contactName?: string | null;

  @Field(() => String, { nullable: true, description: "Contact phone." })
  contactPhone?: string | null;

  @Field(() => String, { description: "Agreement number (协议编号)." })
  agreementNumber: string;

  @Field(() => LocalDateResolver, { description: "First day of the agreement." })
  agreementStartsOn: string;

  @Field(() => LocalDateResolver, { description: "Last day of the agreement (not before the first)." })
  agreementEndsOn: string;

  @Field(() => PartnerStatus, { nullable: true, defaultValue: PartnerStatus.ACTIVE, description: "State of the agreement (default ACTIVE)." })
  status?: PartnerStatus | null;

  @Field(() => [PartnerStockInput], { nullable: true, description: "Agreed stock, each item at most once." })
  agreedStock?: PartnerStockInput[] | null;

  @Field(() => [PartnerCapacityInput], { nullable: true, description: "Production capacity, each item at most once." })
  capacities?: PartnerCapacityInput[] | null;
}

@InputType({ description: "Changes to a partner enterprise; omitted fields stay as they are; a given list replaces the old one." })
export class UpdateReservePartnerInput extends MutationInput {
  @Field(() => ID, { description: "The partner." })
  id: string;

  @Field(() => String, { nullable: true, description: "New name." })
  name?: string | null;

  @Field(() => String, { nullable: true, description: "New credit code; an empty string clears it." })
  creditCode?: string | null;

  @Field(() => String, { nullable: true, description: "New address." })
  address?: string | null;

  @Field(() => Float, { nullable: true, description: "New latitude." })
  latitude?: number | null;

  @Field(() => Float, { nullable: true, description: "New longitude." })
  longitude?: number | null;

  @Field(() => String, { nullable: true, description: "New contact person; an empty string clears it." })
  contactName?: string | null;

  @Field(() => String, { nullable: true, description: "New contact phone; an empty string clears it." })
  contactPhone?: string | null;

  @Field(() => String, { nullable: true, description: "New agreement number." })
  agreementNumber?: string | null;

  @Field(() => LocalDateResolver, { nullable: true, description: "New first day of the agreement." })
  agreementStartsOn?: string | null;

  @Field(() => LocalDateResolver, { nullable: true, description: "New last day of the agreement." })
  agreementEndsOn?: string | null;

  @Field(() => PartnerStatus, { nullable: true, description: "New state of the agreement." })
  status?: PartnerStatus | null;

  @Field(() => [PartnerStockInput], { nullable: true, description: "Replaces the agreed stock." })
  agreedStock?: PartnerStockInput[] | null;

  @Field(() => [PartnerCapacityInput], { nullable: true, description: "Replaces the production capacity." })
  capacities?: PartnerCapacityInput[] | null;
}
