// The distribution register (发放登记): what was handed to a household or a counted group at a
// shelter or out of a village store, taken from that place's stock through the ledger
// (StockLedger.distribute: DISTRIBUTION entries), and reversed by a new entry
// (DISTRIBUTION_REVERSAL back into the same batches), never edited: the tables are
// append-only. One transaction per mutation, locks in the core order:
//   0. an advisory lock per household key (ID number, else phone) and per reversed entry, so two
//      distributors cannot both miss the repeat, or both reverse one entry;
//   1. the place's site (scope), 2. the batches FOR UPDATE in (site, item, batch) order through
//   StockLedger.lockBatchesSelectedBy, then the ledger re-checks them: never below zero, however
//   many distributors hand out the last units at once.
import crypto from "node:crypto";
import type { DataSource, EntityManager } from "typeorm";
import { type Actor, recordedBy } from "../../core/access/auth";
import { groupBy, rowsByIds } from "../../core/db/batch";
import { inList } from "../../core/db/prepared";
import { userError, UserError, UserErrorsException } from "../../core/graphql/errors";
import { paginate, parseGlobalId, type Connection, type OrderTerm, type PageArgs } from "../../core/graphql/relay";
import { InputErrors, MAX_QUANTITY } from "../../core/mutation/input-errors";
import type { UnitOfWork } from "../../core/mutation/unit-of-work";
import { subtreeCondition } from "../regions/region.service";
import { SiteTier } from "../reserves/reserves.enums";
import type { StockBatch } from "../reserves/stock-batch.entity";
import { isExpired, type StockLedger, type StockLine } from "../reserves/stock-ledger";
import { Distribution, DistributionLine, Shelter } from "./shelter.entity";
import { RecipientKind, ShelterStatus } from "./shelter.enums";
import type { DistributionWhere, RecordDistributionInput, ReverseDistributionInput } from "./shelter.inputs";
import { DISTRIBUTION_ORDER, type DistributionOrderField } from "./shelter.orders";
import type { ShelterService } from "./shelter.service";
import { DistributionConnection, type DistributionSummary } from "./shelter.types";

const MAX_LINES = 50;
const MAX_HOUSEHOLD = 50;
const MAX_GROUP = 100_000;
const NOTE_MAX = 500;
/** Places people are handed supplies from: a shelter's store, a village room, a township point. */
const DISTRIBUTING_TIERS: readonly SiteTier[] = [SiteTier.SHELTER, SiteTier.VILLAGE_ROOM, SiteTier.TOWNSHIP_POINT];

interface ParsedLine {
  itemId: number;
  quantity: number;
  batchId: number | null;
  field: string;
}

export class DistributionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly stock: StockLedger,
    private readonly shelters: ShelterService,
  ) {}

  // ================================================================= reads

  byIds = (ids: readonly number[]): Promise<(Distribution | null)[]> => rowsByIds(this.dataSource, Distribution, ids);
  linesByIds = (ids: readonly number[]): Promise<(DistributionLine | null)[]> => rowsByIds(this.dataSource, DistributionLine, ids);

  /** Lines per distribution, one statement for many. */
  linesByDistributions = async (ids: readonly number[]): Promise<DistributionLine[][]> => {
    const rows = await this.dataSource.getRepository(DistributionLine).createQueryBuilder("l").where("l.distribution_id = ANY(:ids)", { ids: [...ids] }).orderBy("l.id").getMany();
    return groupBy(rows, (row) => row.distributionId, ids);
  };

  /** The entry reversing each distribution, null where none, one statement for many. */
  reversalsOf = async (ids: readonly number[]): Promise<(Distribution | null)[]> => {
    const rows = await this.dataSource.getRepository(Distribution).createQueryBuilder("d").where("d.reverses_id = ANY(:ids)", { ids: [...ids] }).getMany();
    return ids.map((id) => rows.find((row) => row.reversesId === id) ?? null);
  };

  list(where: DistributionWhere | null | undefined, page: PageArgs, orderBy?: OrderTerm<DistributionOrderField>[] | null): Promise<Connection<Distribution>> {
    const query = this.dataSource.getRepository(Distribution).createQueryBuilder("distribution");
    if (where?.regionId) {
      const regionId = parseGlobalId(where.regionId, "Region", "where.regionId");
      query.andWhere(`distribution.region_id IN (SELECT g.id FROM region g WHERE ${subtreeCondition("g.path", ":regionId::int")})`, { regionId });
    }
    if (where?.shelterId) query.andWhere("distribution.shelter_id = :shelterId", { shelterId: parseGlobalId(where.shelterId, "Shelter", "where.shelterId") });
    if (where?.siteId) query.andWhere("distribution.site_id = :siteId", { siteId: parseGlobalId(where.siteId, "StorageSite", "where.siteId") });
    if (where?.incidentId) query.andWhere("distribution.incident_id = :incidentId", { incidentId: parseGlobalId(where.incidentId, "Incident", "where.incidentId") });
    if (where?.from) query.andWhere("distribution.distributed_at >= :from", { from: where.from });
    if (where?.to) query.andWhere("distribution.distributed_at < :to", { to: where.to });
    return paginate(query, DISTRIBUTION_ORDER.sorting.resolve(orderBy), page, DistributionConnection);
  }

  /**
   * Per township (of an incident, a region, or everything): entries, households and people
   * served (each household's people once per incident and township, group counts added),
   * leaving out reversed entries and reversals; and units per township, store and item,
   * net of reversals. Two statements.
   */
  async summary(incidentId: number | null, regionId: number | null): Promise<DistributionSummary> {
    const filter = `($1::int IS NULL OR d.incident_id = $1::int) AND ($2::int IS NULL OR d.region_id IN (SELECT g.id FROM region g WHERE ${subtreeCondition("g.path", "$2::int")}))`;
    // People: a household once per (incident, township) however often it received (its largest
    // size given), group counts added up — a group is new people each time.
    const townships: Array<{ township_id: number; entries: number; households: number; people: number }> = await this.dataSource.query(
      `WITH kept AS (
         SELECT d.* FROM distribution d
         WHERE ${filter} AND d.reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM distribution x WHERE x.reverses_id = d.id)
       ), households AS (
         SELECT township_id, incident_id, coalesce(id_number, phone, 'entry:' || id) AS household, max(people) AS people
         FROM kept WHERE recipient_kind = 'HOUSEHOLD' GROUP BY township_id, incident_id, coalesce(id_number, phone, 'entry:' || id)
       ), per_township AS (
         SELECT township_id, count(*)::int AS households, sum(people)::int AS people FROM households GROUP BY township_id
       )
       SELECT k.township_id, count(*)::int AS entries, coalesce(max(h.households), 0)::int AS households,
              (coalesce(max(h.people), 0) + coalesce(sum(k.people) FILTER (WHERE k.recipient_kind <> 'HOUSEHOLD'), 0))::int AS people
       FROM kept k JOIN region t ON t.id = k.township_id LEFT JOIN per_township h ON h.township_id = k.township_id
       GROUP BY k.township_id, t.code ORDER BY t.code`,
      [incidentId, regionId],
    );
    const items: Array<{ township_id: number; site_id: number; item_id: number; quantity: number }> = await this.dataSource.query(
      `SELECT d.township_id, d.site_id, l.item_id, sum(CASE WHEN d.reverses_id IS NULL THEN l.quantity ELSE -l.quantity END)::int AS quantity
       FROM distribution d JOIN distribution_line l ON l.distribution_id = d.id JOIN region t ON t.id = d.township_id
       JOIN storage_site s ON s.id = d.site_id JOIN supply_item i ON i.id = l.item_id
       WHERE ${filter}
       GROUP BY d.township_id, t.code, d.site_id, s.code, l.item_id, i.code
       HAVING sum(CASE WHEN d.reverses_id IS NULL THEN l.quantity ELSE -l.quantity END) <> 0
       ORDER BY t.code, s.code, i.code`,
      [incidentId, regionId],
    );
    return {
      townships: townships.map((row) => ({ townshipId: row.township_id, entries: row.entries, households: row.households, people: row.people })),
      items: items.map((row) => ({ townshipId: row.township_id, siteId: row.site_id, itemId: row.item_id, quantity: row.quantity })),
    };
  }

  // ================================================================= building blocks

  /** The place it is handed out at: a shelter (its store) or a site of a distributing tier; in the actor's scope. */
  private async place(manager: EntityManager, actor: Actor, input: RecordDistributionInput) {
    if (!!input.shelterId === !!input.siteId) userError("input.shelterId", "REQUIRED", "shelters.giveAShelterOrASite");
    let shelter: Shelter | null = null;
    let siteId: number;
    if (input.shelterId) {
      shelter = await manager.findOneBy(Shelter, { id: parseGlobalId(input.shelterId, "Shelter", "input.shelterId") });
      if (!shelter) userError("input.shelterId", "NOT_FOUND", "shelters.noSuchShelter");
      siteId = shelter.siteId;
    } else {
      siteId = parseGlobalId(input.siteId!, "StorageSite", "input.siteId");
    }
    const field = input.shelterId ? "input.shelterId" : "input.siteId";
    const site = await this.stock.siteInScope(manager, actor, siteId, field, false);
    if (!DISTRIBUTING_TIERS.includes(site.tier)) userError(field, "INVALID_VALUE", "shelters.peopleAreHandedSuppliesAt", { name: site.name });
    if (!shelter && site.tier === SiteTier.SHELTER) shelter = await manager.findOneBy(Shelter, { siteId });
    const [{ region_id, township_id }] = await manager.query(
      `SELECT s.region_id, CASE WHEN r.level = 'TOWNSHIP' THEN r.id ELSE r.parent_id END AS township_id FROM storage_site s JOIN region r ON r.id = s.region_id WHERE s.id = $1`,
      [siteId],
    );
    return { site, shelter, regionId: region_id as number, townshipId: township_id as number };
  }

  /** Takes an advisory lock for the rest of the transaction: the same key waits for the holder's COMMIT. */
  private async serialise(manager: EntityManager, key: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 19))`, [key]);
  }

  /**
   * Units asked of each line, taken first-expiring-first from the place's available, unexpired
   * batches of the item (or from the batch named), against the batches as locked now.
   */
  private pick(lines: readonly ParsedLine[], batches: readonly StockBatch[], siteId: number): StockLine[] {
    const check = new InputErrors();
    const left = new Map(batches.map((batch) => [batch.id, batch.onHand - batch.reserved]));
    const picked: StockLine[] = [];
    for (const line of lines) {
      const candidates = batches
        .filter((b) => b.itemId === line.itemId && b.siteId === siteId && (line.batchId === null || b.id === line.batchId) && !isExpired(b))
        .sort((a, b) => (a.expiryDate ?? "9999-12-31").localeCompare(b.expiryDate ?? "9999-12-31") || a.batchNumber.localeCompare(b.batchNumber));
      if (line.batchId !== null && !candidates.length) {
        check.add(`${line.field}.batchId`, "NOT_FOUND", "shelters.noUsableBatchHere");
        continue;
      }
      const available = candidates.reduce((sum, b) => sum + left.get(b.id)!, 0);
      if (available < line.quantity) {
        check.add(`${line.field}.quantity`, "INSUFFICIENT_STOCK", "shelters.notEnoughHereToHand", { available, quantity: line.quantity });
        continue;
      }
      let wanted = line.quantity;
      for (const batch of candidates) {
        const take = Math.min(wanted, left.get(batch.id)!);
        if (take <= 0) continue;
        left.set(batch.id, left.get(batch.id)! - take);
        picked.push({ batchId: batch.id, quantity: take, field: `${line.field}.quantity` });
        wanted -= take;
        if (!wanted) break;
      }
    }
    check.throwIfAny();
    return picked;
  }

  private async insertEntry(manager: EntityManager, row: Partial<Distribution>, lines: Array<{ itemId: number; batchId: number; quantity: number; movementId: number }>): Promise<Distribution> {
    const entry = manager.create(Distribution, row);
    await manager.insert(Distribution, entry);
    await manager.insert(
      DistributionLine,
      lines.map((line) => ({ distributionId: entry.id, districtId: entry.districtId, ...line })),
    );
    return manager.findOneByOrFail(Distribution, { id: entry.id });
  }

  // ================================================================= mutations

  async record(unit: UnitOfWork, input: RecordDistributionInput): Promise<{ distribution: Distribution }> {
    const { actor } = unit;
    const check = new InputErrors();
    let people = 0;
    let household: { headName: string; idNumber: string | null; phone: string | null } | null = null;
    if (input.recipientKind === RecipientKind.HOUSEHOLD) {
      if (!input.household) check.add("input.household", "REQUIRED", "shelters.aHouseholdDistributionNamesThe");
      else {
        household = {
          headName: check.text(input.household.headName, "input.household.headName", 50),
          idNumber: check.idNumber(input.household.idNumber, "input.household.idNumber"),
          phone: check.phone(input.household.phone, "input.household.phone") ?? null,
        };
        people = check.wholeNumber(input.household.size, "input.household.size", 1, MAX_HOUSEHOLD);
      }
      if (input.groupCount != null) check.add("input.groupCount", "NOT_ALLOWED", "shelters.aGroupCountIsForGroups");
    } else {
      if (input.household) check.add("input.household", "NOT_ALLOWED", "shelters.aGroupHasNoHousehold");
      if (input.groupCount == null) check.add("input.groupCount", "REQUIRED", "shelters.giveTheGroupsCount");
      else people = check.wholeNumber(input.groupCount, "input.groupCount", 1, MAX_GROUP);
    }
    if (!input.lines.length || input.lines.length > MAX_LINES) check.add("input.lines", "OUT_OF_RANGE", "shelters.linesMustBe", { max: MAX_LINES });
    const lines: ParsedLine[] = input.lines.map((line, i) => {
      const field = `input.lines[${i}]`;
      const quantity = check.wholeNumber(line.quantity, `${field}.quantity`, 1, MAX_QUANTITY);
      return { itemId: parseGlobalId(line.itemId, "SupplyItem", `${field}.itemId`), quantity, batchId: line.batchId ? parseGlobalId(line.batchId, "StockBatch", `${field}.batchId`) : null, field };
    });
    lines.forEach((line, i) => {
      if (line.batchId === null && lines.findIndex((other) => other.itemId === line.itemId && other.batchId === null) !== i) check.add(`${line.field}.itemId`, "DUPLICATE", "shelters.eachItemOnce");
    });
    const note = check.optionalText(input.note, "input.note", NOTE_MAX) ?? null;
    const incidentGiven = input.incidentId ? parseGlobalId(input.incidentId, "Incident", "input.incidentId") : null;
    check.throwIfAny();

    return unit.transaction(this.dataSource, async (tx) => {
      const { manager } = tx;
      const place = await this.place(manager, actor, input);
      const incidentId = incidentGiven ?? (place.shelter && [ShelterStatus.OPEN, ShelterStatus.FULL].includes(place.shelter.status) ? place.shelter.incidentId : null);
      if (incidentGiven !== null) {
        const [incident] = await manager.query(`SELECT district_id FROM incident WHERE id = $1`, [incidentGiven]);
        if (!incident) userError("input.incidentId", "NOT_FOUND", "shelters.noSuchIncident");
      }
      // The repeat check: the same household (by ID number, else phone) receiving an item again within the period.
      const householdKey = household?.idNumber ?? household?.phone ?? null;
      let repeatConfirmed = false;
      if (householdKey) {
        await this.serialise(manager, `distribution:household:${householdKey}`);
        const policy = await this.shelters.reliefPolicy(place.site.districtId);
        if (policy.repeatWindowHours > 0) {
          const repeats: Array<{ name: string }> = await manager.query(
            `SELECT DISTINCT i.name FROM distribution d JOIN distribution_line l ON l.distribution_id = d.id JOIN supply_item i ON i.id = l.item_id
             WHERE d.district_id = $1 AND ${household!.idNumber ? "d.id_number = $2" : "d.phone = $2"} AND d.reverses_id IS NULL
               AND NOT EXISTS (SELECT 1 FROM distribution x WHERE x.reverses_id = d.id)
               AND d.distributed_at > clock_timestamp() - make_interval(hours => $3) AND l.item_id = ANY($4::int[])
             ORDER BY i.name`,
            [place.site.districtId, householdKey, policy.repeatWindowHours, lines.map((line) => line.itemId)],
          );
          if (repeats.length && !input.confirmRepeat) {
            throw new UserErrorsException([
              new UserError("input.confirmRepeat", "REPEAT_HOUSEHOLD", "shelters.thisHouseholdReceivedWithin", { items: repeats.map((r) => r.name).join("、"), hours: policy.repeatWindowHours }),
            ]);
          }
          repeatConfirmed = repeats.length > 0;
        }
      }
      const itemIds = [...new Set(lines.map((line) => line.itemId))];
      const [itemCondition, itemParams] = inList("item_id", itemIds, "int", 2);
      const locked = await this.stock.lockBatchesSelectedBy(manager, `SELECT id FROM stock_batch WHERE site_id = $1::int AND ${itemCondition}`, [place.site.id, ...itemParams]);
      const picked = this.pick(lines, [...locked.byId.values()], place.site.id);
      const operationId = crypto.randomUUID();
      const movements = await this.stock.distribute(tx, actor, picked, { operationId, note });
      const who = recordedBy(actor);
      const distribution = await this.insertEntry(
        manager,
        {
          districtId: place.site.districtId,
          townshipId: place.townshipId,
          regionId: place.regionId,
          siteId: place.site.id,
          shelterId: place.shelter?.id ?? null,
          incidentId,
          recipientKind: input.recipientKind,
          headName: household?.headName ?? null,
          idNumber: household?.idNumber ?? null,
          phone: household?.phone ?? null,
          people,
          repeatConfirmed,
          reversesId: null,
          operationId,
          note,
          distributedById: who.id,
          distributedBy: who.name,
        },
        picked.map((line, i) => ({ itemId: locked.byId.get(line.batchId)!.itemId, batchId: line.batchId, quantity: line.quantity, movementId: movements[i].id })),
      );
      return { distribution };
    });
  }

  async reverse(unit: UnitOfWork, input: ReverseDistributionInput): Promise<{ distribution: Distribution }> {
    const { actor } = unit;
    const id = parseGlobalId(input.distributionId, "Distribution", "input.distributionId");
    const check = new InputErrors();
    const reason = check.text(input.reason, "input.reason", NOTE_MAX);
    check.throwIfAny();
    return unit.transaction(this.dataSource, async (tx) => {
      const { manager } = tx;
      // The register grants no UPDATE, so no row lock: an advisory lock per entry serialises reversals of it.
      await this.serialise(manager, `distribution:reverse:${id}`);
      const original = await manager.findOneBy(Distribution, { id });
      if (!original) userError("input.distributionId", "NOT_FOUND", "shelters.noSuchDistribution");
      await this.stock.siteInScope(manager, actor, original.siteId, "input.distributionId", false);
      if (original.reversesId !== null) userError("input.distributionId", "INVALID_STATE", "shelters.aReversalIsNotReversed");
      if (await manager.existsBy(Distribution, { reversesId: id })) userError("input.distributionId", "INVALID_STATE", "shelters.alreadyReversed", { number: id });
      const lines = await manager.find(DistributionLine, { where: { distributionId: id }, order: { id: "ASC" } });
      const operationId = crypto.randomUUID();
      const movements = await this.stock.reverseDistribution(
        tx,
        actor,
        lines.map((line, i) => ({ batchId: line.batchId, quantity: line.quantity, field: `lines[${i}]` })),
        { operationId, note: reason },
      );
      const who = recordedBy(actor);
      const { id: _id, distributedAt: _at, ...copied } = original;
      void _id;
      void _at;
      const distribution = await this.insertEntry(
        manager,
        { ...copied, repeatConfirmed: false, reversesId: id, operationId, note: reason, distributedById: who.id, distributedBy: who.name },
        lines.map((line, i) => ({ itemId: line.itemId, batchId: line.batchId, quantity: line.quantity, movementId: movements[i].id })),
      );
      return { distribution };
    });
  }
}
