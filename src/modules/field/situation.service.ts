// Situation reports (灾情报送): timed figures per township for an incident, by LOGISTICS (a
// township-scoped account for its own township only) or a COMMANDER; a correction is a new report
// naming the one it corrects, and supersedes it in the roll-up. Roads cut that name a place or link become road closures through the
// routes service, in the same transaction. The roll-up: each township's latest report, the totals,
// and the trend (totals after each report).
import type { DataSource } from "typeorm";
import { recordedBy } from "../../core/access/auth";
import { rowsByIds } from "../../core/db/batch";
import { assertInScope } from "../../core/access/scope";
import { userError } from "../../core/graphql/errors";
import { paginate, parseGlobalId, type Connection, type OrderTerm, type PageArgs } from "../../core/graphql/relay";
import { message } from "../../core/i18n/i18n";
import { localTime } from "./field-labels";
import type { EventBus } from "../../core/live/pubsub";
import { InputErrors } from "../../core/mutation/input-errors";
import type { UnitOfWork } from "../../core/mutation/unit-of-work";
import type { IncidentService } from "../incidents/incident.service";
import { Region } from "../regions/region.entity";
import type { RouteService } from "../routes/routes.service";
import { SituationReport, SituationReportClosure } from "./situation-report.entity";
import type { ReportSituationInput } from "./field.inputs";
import { SITUATION_REPORT_ORDER, type SituationReportOrderField } from "./field.orders";
import { SituationReportConnection, type SituationRollUp, type SituationTotals } from "./field.types";

export const SITUATION_CHANGED = "SITUATION_CHANGED";

export interface SituationChangedPayload {
  reportId: number;
  incidentId: number;
  regionId: number;
  regionPath: string;
}

const COUNT_MAX = 10_000_000;
/** How far ahead of the server's clock an asOf may be (the reporter's clock may run fast). */
const CLOCK_SKEW_MS = 5 * 60_000;
const COUNTS = ["affected", "evacuated", "dead", "missing", "injured", "housesCollapsed", "housesDamaged"] as const;

export function totalsOf(reports: readonly SituationReport[]): SituationTotals {
  const totals: SituationTotals = { affected: 0, evacuated: 0, dead: 0, missing: 0, injured: 0, housesCollapsed: 0, housesDamaged: 0, roadsCut: 0, townshipsPowerOut: 0, townshipsCommunicationsOut: 0 };
  for (const report of reports) {
    for (const key of COUNTS) totals[key] += report[key];
    totals.roadsCut += report.roadsCut.length;
    if (report.powerOut) totals.townshipsPowerOut += 1;
    if (report.communicationsOut) totals.townshipsCommunicationsOut += 1;
  }
  return totals;
}

/**
 * The reports that count: every report but those a correction names — and, since a correction may
 * itself be corrected, only the last of a chain counts (a report named by any correctsId is out).
 */
export function inForce(reports: readonly SituationReport[]): SituationReport[] {
  const corrected = new Set(reports.map((report) => report.correctsId).filter((id): id is number => id !== null));
  return reports.filter((report) => !corrected.has(report.id));
}

/**
 * Latest per township (by asOf, then id) among the reports in force, and the trend (totals after
 * each report in force, oldest first): a corrected report is never latest and drops out of the
 * trend, whatever its asOf said — a wrongly dated report is replaced by its correction.
 */
export function rollUp(reports: readonly SituationReport[]): SituationRollUp {
  const ordered = inForce(reports).sort((a, b) => new Date(a.asOf).getTime() - new Date(b.asOf).getTime() || a.id - b.id);
  const latest = new Map<number, SituationReport>();
  const trend: SituationRollUp["trend"] = [];
  for (const report of ordered) {
    latest.set(report.regionId, report);
    trend.push({ asOf: report.asOf, totals: totalsOf([...latest.values()]) });
  }
  const rows = [...latest.values()].sort((a, b) => a.regionId - b.regionId);
  return { latest: rows, totals: totalsOf(rows), trend };
}

export class SituationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventBus,
    private readonly incidents: IncidentService,
    private readonly routes: RouteService,
  ) {}

  byIds = (ids: readonly number[]) => rowsByIds(this.dataSource, SituationReport, ids);

  /** Every report of each incident, in one statement (for Incident.situation). */
  byIncidents = async (incidentIds: readonly number[]): Promise<SituationReport[][]> => {
    const rows = await this.dataSource.getRepository(SituationReport).createQueryBuilder("r").where("r.incident_id = ANY(:ids)", { ids: [...incidentIds] }).getMany();
    return incidentIds.map((id) => rows.filter((row) => row.incidentId === id));
  };

  async list(incidentId: string, regionId: string | null | undefined, page: PageArgs, orderBy?: OrderTerm<SituationReportOrderField>[] | null): Promise<Connection<SituationReport>> {
    const query = this.dataSource.getRepository(SituationReport).createQueryBuilder("report").where("report.incident_id = :incidentId", { incidentId: parseGlobalId(incidentId, "Incident", "incidentId") });
    if (regionId) query.andWhere("report.region_id = :regionId", { regionId: parseGlobalId(regionId, "Region", "regionId") });
    return paginate(query, SITUATION_REPORT_ORDER.sorting.resolve(orderBy), page, SituationReportConnection);
  }

  async rollUpOf(incidentId: number): Promise<SituationRollUp> {
    return rollUp((await this.byIncidents([incidentId]))[0]);
  }

  async report(unit: UnitOfWork, input: ReportSituationInput): Promise<{ report: SituationReport }> {
    const { actor } = unit;
    const incidentId = parseGlobalId(input.incidentId, "Incident", "input.incidentId");
    const regionId = parseGlobalId(input.regionId, "Region", "input.regionId");
    const correctsId = input.correctsId ? parseGlobalId(input.correctsId, "SituationReport", "input.correctsId") : null;
    const check = new InputErrors();
    const counts = Object.fromEntries(COUNTS.map((key) => [key, input[key] == null ? 0 : check.wholeNumber(input[key]!, `input.${key}`, 0, COUNT_MAX)])) as Record<(typeof COUNTS)[number], number>;
    const roads = (input.roadsCut ?? []).map((road, i) => {
      const description = check.text(road.description, `input.roadsCut[${i}].description`, 300);
      if (road.nodeId && road.linkId) check.add(`input.roadsCut[${i}]`, "AMBIGUOUS", "routes.giveAPlaceNodeidCut");
      const nodeId = road.nodeId ? parseGlobalId(road.nodeId, "RouteNode", `input.roadsCut[${i}].nodeId`) : null;
      const linkId = road.linkId ? parseGlobalId(road.linkId, "TravelLink", `input.roadsCut[${i}].linkId`) : null;
      return { description, nodeId, linkId };
    });
    if (roads.length > 20) check.add("input.roadsCut", "OUT_OF_RANGE", "field.tooManyEntries", { max: 20 });
    const urgentNeeds = check.optionalText(input.urgentNeeds, "input.urgentNeeds", 1000) ?? null;
    const asOf = new Date(input.asOf);
    if (asOf.getTime() > Date.now() + CLOCK_SKEW_MS) check.add("input.asOf", "IN_FUTURE", "field.notInTheFuture");
    check.throwIfAny();
    return unit.transaction(this.dataSource, async (tx) => {
      const incident = await this.incidents.requireOpen(tx.manager, incidentId, "input.incidentId");
      const region = await tx.manager.findOneBy(Region, { id: regionId });
      if (!region) userError("input.regionId", "NOT_FOUND", "teams.thereIsNoSuchRegion");
      // Township scope first (FORBIDDEN), then what the reporter can fix.
      assertInScope(actor, region.path, message("field.what.township", { name: region.name }));
      if (region.level !== "TOWNSHIP" || region.districtId !== incident.districtId) userError("input.regionId", "OUT_OF_AREA", "field.reportOnTownshipOfIncident");
      if (asOf.getTime() < new Date(incident.occurredAt).getTime()) userError("input.asOf", "OUT_OF_RANGE", "field.asOfBeforeIncident", { occurredAt: localTime(incident.occurredAt) });
      if (correctsId !== null) {
        // Locked: two corrections of one report at once wait for each other, and the second is refused.
        const earlier = await tx.manager.findOne(SituationReport, { where: { id: correctsId }, lock: { mode: "pessimistic_write" } });
        if (!earlier || earlier.incidentId !== incidentId || earlier.regionId !== regionId) userError("input.correctsId", "NOT_FOUND", "field.noSuchReportToCorrect");
        // One correction per report: a second one corrects the correction, so the chain stays a line.
        const later = await tx.manager.findOneBy(SituationReport, { correctsId });
        if (later) userError("input.correctsId", "INVALID_STATE", "field.reportAlreadyCorrected", { id: later.globalId });
      }
      const who = recordedBy(actor);
      const report = tx.manager.create(SituationReport, {
        incidentId,
        districtId: incident.districtId,
        regionId,
        asOf,
        ...counts,
        roadsCut: roads.map((road) => road.description),
        powerOut: input.powerOut ?? false,
        communicationsOut: input.communicationsOut ?? false,
        urgentNeeds,
        correctsId,
        reportedById: who.id,
        reportedBy: who.name,
      });
      await tx.manager.insert(SituationReport, report);
      for (const [i, road] of roads.entries()) {
        if (road.nodeId === null && road.linkId === null) continue;
        const closure = await this.routes.closeRoad(tx, actor, { nodeId: road.nodeId, linkId: road.linkId, reason: road.description }, `input.roadsCut[${i}]`);
        await tx.manager.insert(SituationReportClosure, { reportId: report.id, closureId: closure.id });
      }
      const payload: SituationChangedPayload = { reportId: report.id, incidentId, regionId, regionPath: region.path };
      tx.afterCommit(() => this.events.publish(SITUATION_CHANGED, payload));
      return { report: await tx.manager.findOneByOrFail(SituationReport, { id: report.id }) };
    });
  }
}
