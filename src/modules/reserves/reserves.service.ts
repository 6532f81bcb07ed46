// The reserve's catalogue: storage sites, supply items and partner enterprises — reads for
// dashboards and the ADMIN's create/update, each taking its mutation's unit of work. Stock itself
// is the ledger's (stock-ledger.ts, stock-commands.service.ts, stock-query.service.ts).
import { rowsByCodes } from "../../core/db/batch";
import { In, type DataSource, type EntityManager } from "typeorm";
import { inKeyOrder } from "../../core/db/batch";
import { badUserInput, userError } from "../../core/graphql/errors";
import { paginate, parseGlobalId, type Connection, type OrderTerm, type PageArgs } from "../../core/graphql/relay";
import { RESERVE_PARTNER_ORDER, STORAGE_SITE_ORDER, SUPPLY_ITEM_ORDER, type ReservePartnerOrderField, type StorageSiteOrderField, type SupplyItemOrderField } from "./reserves.orders";
import { Region } from "../regions/region.entity";
import { localToday } from "../../core/db/local-date";
import { CATEGORY_DIGIT, PartnerStatus, SiteStatus, SiteTier, TIER_REGION_LEVEL } from "./reserves.enums";
import type {
  CreateReservePartnerInput,
  CreateStorageSiteInput,
  CreateSupplyItemInput,
  PartnerCapacityInput,
  PartnerStockInput,
  ReservePartnerWhere,
  StorageSiteWhere,
  SupplyItemWhere,
  UpdateReservePartnerInput,
  UpdateStorageSiteInput,
  UpdateSupplyItemInput,
} from "./reserves.inputs";
import { ReservePartnerConnection, StorageSiteConnection, SupplyItemConnection } from "./reserves.types";
import { PartnerCapacity, PartnerStockAgreement, ReservePartner } from "./reserve-partner.entity";
import { escapeLike } from "./sql";
import { StockBatch } from "./stock-batch.entity";
import { inTransitToSite } from "./stock-query.service";
import { StorageSite } from "./storage-site.entity";
import { SupplyItem } from "./supply-item.entity";
import { InputErrors } from "../../core/mutation/input-errors";
import type { UnitOfWork } from "../../core/mutation/unit-of-work";
import { subtreeCondition } from "../regions/region.service";


/** GB/T 38565-2020: top category 1–3, then middle, sub- and detail class 01–99 (99 = other). */
export function isSupplyItemCode(code: string): boolean {
  return /^[1-3](0[1-9]|[1-9][0-9]){3}$/.test(code);
}

/** 统一社会信用代码: 18 characters from digits and capitals without I, O, S, V, Z. */
function isCreditCode(code: string): boolean {
  return /^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code);
}

export class ReservesService {
  constructor(private readonly dataSource: DataSource) {}

  // ------------------------------------------------------------ sites

  listSites(where: StorageSiteWhere | null | undefined, page: PageArgs, orderBy?: OrderTerm<StorageSiteOrderField>[] | null): Promise<Connection<StorageSite>> {
    const query = this.dataSource.getRepository(StorageSite).createQueryBuilder("site");
    if (where?.tier) query.andWhere("site.tier = :tier", { tier: where.tier });
    if (where?.status) query.andWhere("site.status = :status", { status: where.status });
    if (where?.regionId) {
      const regionId = parseGlobalId(where.regionId, "Region", "where.regionId");
      query.andWhere(`site.region_id IN (SELECT r.id FROM region r WHERE ${subtreeCondition("r.path", ":regionId::int")})`, { regionId });
    }
    if (where?.nameContains) query.andWhere("site.name ILIKE :name", { name: `%${escapeLike(where.nameContains)}%` });
    return paginate(query, STORAGE_SITE_ORDER.sorting.resolve(orderBy), page, StorageSiteConnection);
  }

  /** By code, in the order asked; null where there is none (fetching by code: storageSite(code:), …). */
  sitesByCodes(codes: readonly string[]): Promise<(StorageSite | null)[]> {
    return rowsByCodes(this.dataSource, StorageSite, codes);
  }

  itemsByCodes(codes: readonly string[]): Promise<(SupplyItem | null)[]> {
    return rowsByCodes(this.dataSource, SupplyItem, codes);
  }

  partnersByCodes(codes: readonly string[]): Promise<(ReservePartner | null)[]> {
    return rowsByCodes(this.dataSource, ReservePartner, codes);
  }

  async sitesByIds(ids: readonly number[]): Promise<(StorageSite | null)[]> {
    const rows = await this.dataSource.getRepository(StorageSite).createQueryBuilder("site").where("site.id = ANY(:ids)", { ids: [...ids] }).getMany();
    return inKeyOrder(ids, rows);
  }

  private async regionFor(manager: EntityManager, regionGlobalId: string, field: string): Promise<Region> {
    const region = await manager.findOneBy(Region, { id: parseGlobalId(regionGlobalId, "Region", field) });
    if (!region) userError(field, "NOT_FOUND", "reserves.noSuchRegion");
    return region;
  }

  async createSite(unit: UnitOfWork, input: CreateStorageSiteInput): Promise<{ site: StorageSite }> {
    const check = new InputErrors();
    const code = check.text(input.code, "input.code", 40);
    const name = check.text(input.name, "input.name");
    const address = check.text(input.address, "input.address", 300);
    check.point(input.latitude, input.longitude, "input");
    check.wholeNumber(input.floorArea, "input.floorArea", 1, 10_000_000);
    const custodianName = check.optionalText(input.custodianName, "input.custodianName", 50);
    const custodianPhone = check.phone(input.custodianPhone, "input.custodianPhone");
    check.throwIfAny();
    // A shelter's store is made with its shelter (createShelter), never on its own.
    if (input.tier === SiteTier.SHELTER) userError("input.tier", "INVALID_VALUE", "shelters.aShelterStoreIsMadeWith");
    return unit.transaction(this.dataSource, async (tx) => {
      const region = await this.regionFor(tx.manager, input.regionId, "input.regionId");
      if (region.level !== TIER_REGION_LEVEL[input.tier]) {
        userError("input.regionId", "INVALID_VALUE", "reserves.aBelongsToARegion", { tier: input.tier, regionLevel: TIER_REGION_LEVEL[input.tier], name: region.name, level: region.level });
      }
      if (await tx.manager.existsBy(StorageSite, { code })) userError("input.code", "DUPLICATE", "reserves.aStorageSiteWithCode", { code });
      const site = tx.manager.create(StorageSite, {
        code,
        name,
        tier: input.tier,
        status: input.status ?? SiteStatus.ACTIVE,
        regionId: region.id,
        districtId: region.districtId ?? region.id,
        address,
        latitude: input.latitude,
        longitude: input.longitude,
        floorArea: input.floorArea,
        custodianName: custodianName ?? null,
        custodianPhone: custodianPhone ?? null,
      });
      return { site: await tx.manager.save(site) };
    });
  }

  async updateSite(unit: UnitOfWork, input: UpdateStorageSiteInput): Promise<{ site: StorageSite }> {
    const id = parseGlobalId(input.id, "StorageSite", "input.id");
    const check = new InputErrors();
    const name = input.name == null ? undefined : check.text(input.name, "input.name");
    const address = input.address == null ? undefined : check.text(input.address, "input.address", 300);
    check.point(input.latitude, input.longitude, "input");
    if (input.floorArea != null) check.wholeNumber(input.floorArea, "input.floorArea", 1, 10_000_000);
    const custodianName = check.optionalText(input.custodianName, "input.custodianName", 50);
    const custodianPhone = check.phone(input.custodianPhone, "input.custodianPhone");
    check.throwIfAny();
    return unit.transaction(this.dataSource, async (tx) => {
      // FOR UPDATE: operations that add stock hold FOR SHARE on the site, so a site cannot
      // be closed while stock is on its way in.
      const site = await tx.manager.findOne(StorageSite, { where: { id }, lock: { mode: "pessimistic_write" } });
      if (!site) userError("input.id", "NOT_FOUND", "reserves.noSuchStorageSite");
      if (input.status === SiteStatus.CLOSED && site.status !== SiteStatus.CLOSED) {
        const onHand = (await tx.manager.sum(StockBatch, "onHand", { siteId: id })) ?? 0;
        if (onHand > 0) userError("input.status", "INVALID_STATE", "reserves.stillHoldsUnitsTransferOr", { name: site.name, onHand });
        // Dispatching an order to a site holds it FOR SHARE, so none can start on its way now.
        const inTransit = await inTransitToSite(tx.manager, id);
        if (inTransit > 0) userError("input.status", "INVALID_STATE", "reserves.unitsAreOnTheirWay", { inTransit, name: site.name });
      }
      if (name !== undefined) site.name = name;
      if (address !== undefined) site.address = address;
      if (input.latitude != null) site.latitude = input.latitude;
      if (input.longitude != null) site.longitude = input.longitude;
      if (input.floorArea != null) site.floorArea = input.floorArea;
      if (custodianName !== undefined) site.custodianName = custodianName;
      if (custodianPhone !== undefined) site.custodianPhone = custodianPhone;
      if (input.status != null) site.status = input.status;
      return { site: await tx.manager.save(site) };
    });
  }

  // ------------------------------------------------------------ items

  listItems(where: SupplyItemWhere | null | undefined, page: PageArgs, orderBy?: OrderTerm<SupplyItemOrderField>[] | null): Promise<Connection<SupplyItem>> {
    const query = this.dataSource.getRepository(SupplyItem).createQueryBuilder("item");
    if (where?.category) query.andWhere("item.code LIKE :category", { category: `${CATEGORY_DIGIT[where.category]}%` });
    if (where?.codePrefix) {
      if (!/^[0-9]{1,7}$/.test(where.codePrefix)) throw badUserInput("where.codePrefix", "reserves.mustBeToDigits");
      query.andWhere("item.code LIKE :prefix", { prefix: `${where.codePrefix}%` });
    }
    if (where?.hazard) query.andWhere(":hazard = ANY(item.hazards)", { hazard: where.hazard });
    if (where?.nameContains) query.andWhere("item.name ILIKE :name", { name: `%${escapeLike(where.nameContains)}%` });
    return paginate(query, SUPPLY_ITEM_ORDER.sorting.resolve(orderBy), page, SupplyItemConnection);
  }

  async itemsByIds(ids: readonly number[]): Promise<(SupplyItem | null)[]> {
    const rows = await this.dataSource.getRepository(SupplyItem).createQueryBuilder("item").where("item.id = ANY(:ids)", { ids: [...ids] }).getMany();
    return inKeyOrder(ids, rows);
  }

  private checkItemFields(check: InputErrors, input: { shelfLifeDays?: number | null; hazards?: string[] | null }): void {
    if (input.shelfLifeDays != null) check.wholeNumber(input.shelfLifeDays, "input.shelfLifeDays", 1, 36_500);
    if (input.hazards && new Set(input.hazards).size !== input.hazards.length) check.add("input.hazards", "DUPLICATE", "reserves.eachHazardAtMostOnce");
  }

  async createItem(unit: UnitOfWork, input: CreateSupplyItemInput): Promise<{ item: SupplyItem }> {
    const check = new InputErrors();
    const code = (input.code ?? "").trim();
    if (!isSupplyItemCode(code)) check.add("input.code", "INVALID_FORMAT", "reserves.aGbTCodeHas");
    const name = check.text(input.name, "input.name", 100);
    const specification = check.optionalText(input.specification, "input.specification", 200);
    const measure = check.text(input.unit, "input.unit", 10);
    this.checkItemFields(check, input);
    check.throwIfAny();
    return unit.transaction(this.dataSource, async (tx) => {
      if (await tx.manager.existsBy(SupplyItem, { code })) userError("input.code", "DUPLICATE", "reserves.itemExists", { code });
      const item = tx.manager.create(SupplyItem, {
        code,
        name,
        specification: specification ?? null,
        unit: measure,
        reusable: input.reusable,
        tracksExpiry: input.tracksExpiry,
        shelfLifeDays: input.shelfLifeDays ?? null,
        hazards: input.hazards,
      });
      return { item: await tx.manager.save(item) };
    });
  }

  async updateItem(unit: UnitOfWork, input: UpdateSupplyItemInput): Promise<{ item: SupplyItem }> {
    const id = parseGlobalId(input.id, "SupplyItem", "input.id");
    const check = new InputErrors();
    const name = input.name == null ? undefined : check.text(input.name, "input.name", 100);
    const specification = check.optionalText(input.specification, "input.specification", 200);
    const measure = input.unit == null ? undefined : check.text(input.unit, "input.unit", 10);
    this.checkItemFields(check, input);
    check.throwIfAny();
    return unit.transaction(this.dataSource, async (tx) => {
      const item = await tx.manager.findOne(SupplyItem, { where: { id }, lock: { mode: "pessimistic_write" } });
      if (!item) userError("input.id", "NOT_FOUND", "reserves.noSuchItem");
      if (name !== undefined) item.name = name;
      if (specification !== undefined) item.specification = specification;
      if (measure !== undefined) item.unit = measure;
      if (input.reusable != null) item.reusable = input.reusable;
      if (input.tracksExpiry != null) item.tracksExpiry = input.tracksExpiry;
      if (input.shelfLifeDays != null) item.shelfLifeDays = input.shelfLifeDays;
      if (input.hazards != null) item.hazards = input.hazards;
      return { item: await tx.manager.save(item) };
    });
  }

  // ------------------------------------------------------------ partners

  listPartners(where: ReservePartnerWhere | null | undefined, page: PageArgs, orderBy?: OrderTerm<ReservePartnerOrderField>[] | null): Promise<Connection<ReservePartner>> {
    const query = this.dataSource.getRepository(ReservePartner).createQueryBuilder("partner");
    if (where?.regionId) {
      const regionId = parseGlobalId(where.regionId, "Region", "where.regionId");
      query.andWhere(`partner.region_id IN (SELECT r.id FROM region r WHERE ${subtreeCondition("r.path", ":regionId::int")})`, { regionId });
    }
    if (where?.itemId) {
      const itemId = parseGlobalId(where.itemId, "SupplyItem", "where.itemId");
      query.andWhere(
        `(EXISTS (SELECT 1 FROM partner_stock_agreement a WHERE a.partner_id = partner.id AND a.item_id = :itemId)
          OR EXISTS (SELECT 1 FROM partner_capacity c WHERE c.partner_id = partner.id AND c.item_id = :itemId))`,
        { itemId },
      );
    }
    if (where?.status) query.andWhere("partner.status = :status", { status: where.status });
    if (where?.nameContains) query.andWhere("partner.name ILIKE :name", { name: `%${escapeLike(where.nameContains)}%` });
    return paginate(query, RESERVE_PARTNER_ORDER.sorting.resolve(orderBy), page, ReservePartnerConnection);
  }

  async partnersByIds(ids: readonly number[]): Promise<(ReservePartner | null)[]> {
    const rows = await this.dataSource.getRepository(ReservePartner).createQueryBuilder("partner").where("partner.id = ANY(:ids)", { ids: [...ids] }).getMany();
    return inKeyOrder(ids, rows);
  }

  async agreementsByPartners(partnerIds: readonly number[]): Promise<PartnerStockAgreement[][]> {
    const rows = await this.dataSource.getRepository(PartnerStockAgreement).createQueryBuilder("a").where("a.partner_id = ANY(:ids)", { ids: [...partnerIds] }).orderBy("a.item_id").getMany();
    return partnerIds.map((id) => rows.filter((row) => row.partnerId === id));
  }

  async capacitiesByPartners(partnerIds: readonly number[]): Promise<PartnerCapacity[][]> {
    const rows = await this.dataSource.getRepository(PartnerCapacity).createQueryBuilder("c").where("c.partner_id = ANY(:ids)", { ids: [...partnerIds] }).orderBy("c.item_id").getMany();
    return partnerIds.map((id) => rows.filter((row) => row.partnerId === id));
  }

  async agreementsByIds(ids: readonly number[]): Promise<(PartnerStockAgreement | null)[]> {
    const rows = await this.dataSource.getRepository(PartnerStockAgreement).createQueryBuilder("a").where("a.id = ANY(:ids)", { ids: [...ids] }).getMany();
    return inKeyOrder(ids, rows);
  }

  async capacitiesByIds(ids: readonly number[]): Promise<(PartnerCapacity | null)[]> {
    const rows = await this.dataSource.getRepository(PartnerCapacity).createQueryBuilder("c").where("c.id = ANY(:ids)", { ids: [...ids] }).getMany();
    return inKeyOrder(ids, rows);
  }

  /**
   * Partner stock and capacity of the given items from partners whose agreement is in force
   * today: what allocation escalates to after the sites' own stock.
   */
  async partnerSourcesForItems(itemIds: readonly number[], manager: EntityManager = this.dataSource.manager) {
    const today = localToday();
    const partners = await manager
      .getRepository(ReservePartner)
      .createQueryBuilder("partner")
      .where("partner.status = :status", { status: PartnerStatus.ACTIVE })
      .andWhere(":today BETWEEN partner.agreement_starts_on AND partner.agreement_ends_on", { today })
      .getMany();
    const partnerIds = partners.map((p) => p.id);
    const agreements = await manager.getRepository(PartnerStockAgreement).createQueryBuilder("a").where("a.partner_id = ANY(:partnerIds) AND a.item_id = ANY(:itemIds)", { partnerIds, itemIds: [...itemIds] }).getMany();
    const capacities = await manager.getRepository(PartnerCapacity).createQueryBuilder("c").where("c.partner_id = ANY(:partnerIds) AND c.item_id = ANY(:itemIds)", { partnerIds, itemIds: [...itemIds] }).getMany();
    return { partners, agreements, capacities };
  }

  private async checkPartnerLines(
    manager: EntityManager,
    check: InputErrors,
    agreedStock: PartnerStockInput[] | null | undefined,
    capacities: PartnerCapacityInput[] | null | undefined,
  ): Promise<{ stock?: Array<{ itemId: number; agreedQuantity: number }>; capacity?: Array<{ itemId: number; unitsPerDay: number; leadTimeHours: number }> }> {
    const stock = agreedStock?.map((line, i) => ({ itemId: parseGlobalId(line.itemId, "SupplyItem", `input.agreedStock[${i}].itemId`), agreedQuantity: line.agreedQuantity }));
    const capacity = capacities?.map((line, i) => ({ itemId: parseGlobalId(line.itemId, "SupplyItem", `input.capacities[${i}].itemId`), unitsPerDay: line.unitsPerDay, leadTimeHours: line.leadTimeHours }));
    stock?.forEach((line, i) => check.quantity(line.agreedQuantity, `input.agreedStock[${i}].agreedQuantity`));
    capacity?.forEach((line, i) => {
      check.quantity(line.unitsPerDay, `input.capacities[${i}].unitsPerDay`);
      check.wholeNumber(line.leadTimeHours, `input.capacities[${i}].leadTimeHours`, 0, 24 * 365);
    });
    const duplicates = (lines: Array<{ itemId: number }> | undefined, field: string) =>
      lines?.forEach((line, i) => {
        if (lines.findIndex((other) => other.itemId === line.itemId) !== i) check.add(`input.${field}[${i}].itemId`, "DUPLICATE", "reserves.eachItemAtMostOnce");
      });
    duplicates(stock, "agreedStock");
    duplicates(capacity, "capacities");
    const wanted = [...new Set([...(stock ?? []), ...(capacity ?? [])].map((line) => line.itemId))];
    if (wanted.length) {
      const found = new Set((await manager.find(SupplyItem, { select: { id: true }, where: { id: In(wanted) } })).map((item) => item.id));
      stock?.forEach((line, i) => found.has(line.itemId) || check.add(`input.agreedStock[${i}].itemId`, "NOT_FOUND", "reserves.noSuchItem"));
      capacity?.forEach((line, i) => found.has(line.itemId) || check.add(`input.capacities[${i}].itemId`, "NOT_FOUND", "reserves.noSuchItem"));
    }
    return { stock, capacity };
  }

  private async replacePartnerLines(
    manager: EntityManager,
    partnerId: number,
    lines: { stock?: Array<{ itemId: number; agreedQuantity: number }>; capacity?: Array<{ itemId: number; unitsPerDay: number; leadTimeHours: number }> },
  ): Promise<void> {
    if (lines.stock) {
      await manager.delete(PartnerStockAgreement, { partnerId });
      if (lines.stock.length) await manager.insert(PartnerStockAgreement, lines.stock.map((line) => ({ partnerId, ...line })));
    }
    if (lines.capacity) {
      await manager.delete(PartnerCapacity, { partnerId });
      if (lines.capacity.length) await manager.insert(PartnerCapacity, lines.capacity.map((line) => ({ partnerId, ...line })));
    }
  }

  private checkPartnerFields(check: InputErrors, input: { creditCode?: string | null; agreementStartsOn?: string | null; agreementEndsOn?: string | null }) {
    const creditCode = check.optionalText(input.creditCode, "input.creditCode", 18);
    if (creditCode && !isCreditCode(creditCode)) check.add("input.creditCode", "INVALID_FORMAT", "reserves.aUnifiedSocialCreditCode");
    return creditCode;
  }

  async createPartner(unit: UnitOfWork, input: CreateReservePartnerInput): Promise<{ partner: ReservePartner }> {
    const check = new InputErrors();
    const code = check.text(input.code, "input.code", 40);
    const name = check.text(input.name, "input.name");
    const address = check.text(input.address, "input.address", 300);
    const agreementNumber = check.text(input.agreementNumber, "input.agreementNumber", 60);
    check.point(input.latitude, input.longitude, "input");
    const creditCode = this.checkPartnerFields(check, input);
    const contactName = check.optionalText(input.contactName, "input.contactName", 50);
    const contactPhone = check.phone(input.contactPhone, "input.contactPhone");
    if (input.agreementEndsOn < input.agreementStartsOn) check.add("input.agreementEndsOn", "OUT_OF_RANGE", "reserves.theAgreementEndsBeforeIt");
    return unit.transaction(this.dataSource, async (tx) => {
      const lines = await this.checkPartnerLines(tx.manager, check, input.agreedStock, input.capacities);
      check.throwIfAny();
      const region = await this.regionFor(tx.manager, input.regionId, "input.regionId");
      if (await tx.manager.existsBy(ReservePartner, { code })) userError("input.code", "DUPLICATE", "reserves.aPartnerWithCodeExists", { code });
      const partner = await tx.manager.save(
        tx.manager.create(ReservePartner, {
          code,
          name,
          creditCode: creditCode ?? null,
          regionId: region.id,
          districtId: region.districtId ?? region.id,
          address,
          latitude: input.latitude,
          longitude: input.longitude,
          contactName: contactName ?? null,
          contactPhone: contactPhone ?? null,
          agreementNumber,
          agreementStartsOn: input.agreementStartsOn,
          agreementEndsOn: input.agreementEndsOn,
          status: input.status ?? PartnerStatus.ACTIVE,
        }),
      );
      await this.replacePartnerLines(tx.manager, partner.id, lines);
      return { partner };
    });
  }

  async updatePartner(unit: UnitOfWork, input: UpdateReservePartnerInput): Promise<{ partner: ReservePartner }> {
    const id = parseGlobalId(input.id, "ReservePartner", "input.id");
    const check = new InputErrors();
    const name = input.name == null ? undefined : check.text(input.name, "input.name");
    const address = input.address == null ? undefined : check.text(input.address, "input.address", 300);
    const agreementNumber = input.agreementNumber == null ? undefined : check.text(input.agreementNumber, "input.agreementNumber", 60);
    check.point(input.latitude, input.longitude, "input");
    const creditCode = this.checkPartnerFields(check, input);
    const contactName = check.optionalText(input.contactName, "input.contactName", 50);
    const contactPhone = check.phone(input.contactPhone, "input.contactPhone");
    return unit.transaction(this.dataSource, async (tx) => {
      const lines = await this.checkPartnerLines(tx.manager, check, input.agreedStock, input.capacities);
      check.throwIfAny();
      const partner = await tx.manager.findOne(ReservePartner, { where: { id }, lock: { mode: "pessimistic_write" } });
      if (!partner) userError("input.id", "NOT_FOUND", "reserves.noSuchPartner");
      if (name !== undefined) partner.name = name;
      if (address !== undefined) partner.address = address;
      if (agreementNumber !== undefined) partner.agreementNumber = agreementNumber;
      if (input.latitude != null) partner.latitude = input.latitude;
      if (input.longitude != null) partner.longitude = input.longitude;
      if (creditCode !== undefined) partner.creditCode = creditCode;
      if (contactName !== undefined) partner.contactName = contactName;
      if (contactPhone !== undefined) partner.contactPhone = contactPhone;
      if (input.agreementStartsOn != null) partner.agreementStartsOn = input.agreementStartsOn;
      if (input.agreementEndsOn != null) partner.agreementEndsOn = input.agreementEndsOn;
      if (input.status != null) partner.status = input.status;
      if (partner.agreementEndsOn < partner.agreementStartsOn) userError("input.agreementEndsOn", "OUT_OF_RANGE", "reserves.theAgreementEndsBeforeIt");
      const saved = await tx.manager.save(partner);
      await this.replacePartnerLines(tx.manager, id, lines);
      return { partner: saved };
    });
  }
}
