// Drills (演练、共训共练) and the records social teams owe the district: a local filing for
// each rescue action (救援行动属地备案) and their registration, party-organisation and
// disclosure facts.
import type { DataSource, EntityManager } from "typeorm";
import { Role, type Actor } from "../../core/access/auth";
import { forbidden, UserError, UserErrorsException, userError } from "../../core/graphql/errors";
import { paginate, parseGlobalId, type Connection, type KeysetOrder, type PageArgs } from "../../core/graphql/relay";
import { inTransaction } from "../../core/db/transaction";
import { Region } from "../regions/region.entity";
import { Drill, DrillTeam } from "./drill.entity";
import { RescueActionFiling } from "./filing.entity";
import { DrillKind, TeamKind } from "./team.enums";
import { RescueTeam } from "./team.entity";
import type { DrillWhere, FileRescueActionInput, RecordDrillInput, RescueActionFilingWhere, UpdateSocialTeamRecordInput } from "./team.inputs";
import { assertLeadsTeam, type TeamService } from "./team.service";
import { DrillConnection, RescueActionFilingConnection } from "./team.types";

const TEXT_MAX = 2000;
const SHORT_TEXT_MAX = 200;
const TEAMS_MAX = 100;
/** Clocks of field devices drift; a start a few minutes "in the future" is still accepted. */
const CLOCK_SKEW_MS = 5 * 60_000;

export const DRILL_ORDER: KeysetOrder<Drill> = {
  columns: ["drill.held_on", "drill.id"],
  valuesOf: (drill) => [drill.heldOn, drill.id],
  direction: "DESC",
};

export const FILING_ORDER: KeysetOrder<RescueActionFiling> = {
  columns: ["filing.started_at", "filing.id"],
  valuesOf: (filing) => [new Date(filing.startedAt).toISOString(), filing.id],
  direction: "DESC",
};

function requireText(errors: UserError[], field: string, value: string | null | undefined, max: number): void {
  const text = value?.trim() ?? "";
  if (!text) errors.push(new UserError(field, "REQUIRED", `${field.replace("input.", "")} must not be empty.`));
  else if ([...text].length > max) errors.push(new UserError(field, "OUT_OF_RANGE", `${field.replace("input.", "")} must be at most ${max} characters.`));
}

export class DrillService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly teams: TeamService,
  ) {}

  /**
   * ADMIN and COMMANDER record any drill; a TEAM_LEADER records their own team's TEAM drill
   * (a drill of that team alone). Everyone else is FORBIDDEN.
   */
  async recordDrill(actor: Actor, input: RecordDrillInput): Promise<{ drill: Drill }> {
    const teamIds = input.teamIds.map((id, i) => parseGlobalId(id, "RescueTeam", `input.teamIds[${i}]`));
    const errors: UserError[] = [];
    if (teamIds.length === 0) errors.push(new UserError("input.teamIds", "REQUIRED", "name at least one team that took part."));
    if (teamIds.length > TEAMS_MAX) errors.push(new UserError("input.teamIds", "OUT_OF_RANGE", `at most ${TEAMS_MAX} teams.`));
    teamIds.forEach((id, i) => {
      if (teamIds.indexOf(id) !== i) errors.push(new UserError(`input.teamIds[${i}]`, "DUPLICATE", "this team is listed twice."));
    });
    requireText(errors, "input.scenario", input.scenario, TEXT_MAX);
    requireText(errors, "input.result", input.result, TEXT_MAX);
    if (errors.length) throw new UserErrorsException(errors);
    if (actor.role === Role.TEAM_LEADER) {
      const ownTeamDrill = input.kind === DrillKind.TEAM && teamIds.length === 1 && teamIds[0] === actor.teamId;
      if (!ownTeamDrill) throw forbidden("A team leader records only TEAM drills of their own team.");
    } else if (actor.role !== Role.ADMIN && actor.role !== Role.COMMANDER) {
      throw forbidden("Only commanders, administrators and (for their own team) team leaders record drills.");
    }
    return inTransaction(this.dataSource, async (tx) => {
      if (input.date > (await this.today(tx.manager))) userError("input.date", "OUT_OF_RANGE", "A drill is recorded once it has been held: the date cannot be in the future.");
      const teams = await tx.manager.createQueryBuilder(RescueTeam, "team").where("team.id = ANY(:teamIds)", { teamIds }).getMany();
      const found = new Map(teams.map((team) => [team.id, team]));
      const missing = teamIds.map((id, i) => (found.has(id) ? null : new UserError(`input.teamIds[${i}]`, "NOT_FOUND", "There is no such rescue team."))).filter((e): e is UserError => e !== null);
      if (missing.length) throw new UserErrorsException(missing);
      const drill = await tx.manager.save(
        tx.manager.create(Drill, {
          districtId: found.get(teamIds[0])!.districtId,
          heldOn: input.date,
          kind: input.kind,
          scenario: input.scenario.trim(),
          result: input.result.trim(),
          recordedBy: actor.name,
        }),
      );
      await tx.manager.insert(
        DrillTeam,
        teamIds.map((teamId) => ({ drillId: drill.id, teamId })),
      );
      return { drill };
    });
  }

  async drills(where: DrillWhere | null | undefined, page: PageArgs): Promise<Connection<Drill>> {
    const query = this.dataSource.getRepository(Drill).createQueryBuilder("drill");
    if (where?.kind) query.andWhere("drill.kind = :kind", { kind: where.kind });
    if (where?.from) query.andWhere("drill.held_on >= :from", { from: where.from });
    if (where?.to) query.andWhere("drill.held_on <= :to", { to: where.to });
    if (where?.teamId) {
      const teamId = parseGlobalId(where.teamId, "RescueTeam", "where.teamId");
      query.andWhere("EXISTS (SELECT 1 FROM drill_team dt WHERE dt.drill_id = drill.id AND dt.team_id = :teamId)", { teamId });
    }
    return paginate(query, DRILL_ORDER, page, DrillConnection);
  }

  /** The teams of several drills in one statement, each list by team code. */
  async teamsOfDrills(drillIds: readonly number[]): Promise<RescueTeam[][]> {
    const { entities, raw } = await this.dataSource
      .getRepository(RescueTeam)
      .createQueryBuilder("team")
      .innerJoin(DrillTeam, "dt", "dt.team_id = team.id")
      .addSelect("dt.drill_id", "dt_drill_id")
      .where("dt.drill_id = ANY(:drillIds)", { drillIds: [...drillIds] })
      .orderBy("team.code")
      .getRawAndEntities();
    // One team may appear in several drills: pair raw rows and entities by position, not by id.
    const grouped = new Map<number, RescueTeam[]>(drillIds.map((id) => [id, []]));
    const byId = new Map(entities.map((team) => [team.id, team]));
    for (const row of raw as Array<Record<string, unknown>>) grouped.get(row.dt_drill_id as number)?.push(byId.get(row.team_id as number)!);
    return drillIds.map((id) => grouped.get(id) ?? []);
  }

  /** A social team's local filing of a rescue action: its leader, or an administrator. */
  async fileRescueAction(actor: Actor, input: FileRescueActionInput): Promise<{ filing: RescueActionFiling }> {
    const teamId = parseGlobalId(input.teamId, "RescueTeam", "input.teamId");
    const regionId = parseGlobalId(input.regionId, "Region", "input.regionId");
    assertLeadsTeam(actor, teamId, "file this team's rescue actions");
    const errors: UserError[] = [];
    requireText(errors, "input.location", input.location, SHORT_TEXT_MAX);
    requireText(errors, "input.incident", input.incident, SHORT_TEXT_MAX);
    requireText(errors, "input.outcome", input.outcome, TEXT_MAX);
    const startedAt = new Date(input.startedAt);
    if (startedAt.getTime() > Date.now() + CLOCK_SKEW_MS) errors.push(new UserError("input.startedAt", "OUT_OF_RANGE", "startedAt cannot be in the future."));
    if (input.endedAt && new Date(input.endedAt).getTime() < startedAt.getTime()) errors.push(new UserError("input.endedAt", "OUT_OF_RANGE", "endedAt cannot be before startedAt."));
    if (!Number.isInteger(input.membersSent) || input.membersSent < 1) errors.push(new UserError("input.membersSent", "OUT_OF_RANGE", "membersSent must be at least 1."));
    if (errors.length) throw new UserErrorsException(errors);
    return inTransaction(this.dataSource, async (tx) => {
      const team = await this.teams.requireTeam(tx.manager, teamId, "input.teamId");
      if (team.kind !== TeamKind.SOCIAL) userError("input.teamId", "INVALID_STATE", "Only social rescue teams (社会应急力量) file rescue actions.");
      const region = await tx.manager.findOneBy(Region, { id: regionId });
      if (!region) userError("input.regionId", "NOT_FOUND", "There is no such region.");
      const active = await this.teams.activeMemberCount(tx.manager, teamId);
      if (input.membersSent > active) userError("input.membersSent", "OUT_OF_RANGE", `membersSent (${input.membersSent}) exceeds the team's ${active} active members.`);
      const filing = await tx.manager.save(
        tx.manager.create(RescueActionFiling, {
          teamId,
          districtId: team.districtId,
          regionId,
          startedAt,
          endedAt: input.endedAt ? new Date(input.endedAt) : null,
          location: input.location.trim(),
          incident: input.incident.trim(),
          membersSent: input.membersSent,
          outcome: input.outcome.trim(),
          filedBy: actor.name,
        }),
      );
      return { filing };
    });
  }

  async filings(where: RescueActionFilingWhere | null | undefined, page: PageArgs): Promise<Connection<RescueActionFiling>> {
    const query = this.dataSource.getRepository(RescueActionFiling).createQueryBuilder("filing");
    if (where?.teamId) query.andWhere("filing.team_id = :teamId", { teamId: parseGlobalId(where.teamId, "RescueTeam", "where.teamId") });
    if (where?.regionId) {
      const prefix = `${await this.teams.regionPath(where.regionId, "where.regionId")}%`;
      query.andWhere("filing.region_id IN (SELECT sub.id FROM region sub WHERE sub.path LIKE :prefix)", { prefix });
    }
    if (where?.from) query.andWhere("filing.started_at >= :from", { from: new Date(where.from) });
    if (where?.to) query.andWhere("filing.started_at < :to", { to: new Date(where.to) });
    return paginate(query, FILING_ORDER, page, RescueActionFilingConnection);
  }

  /** Registration, party organisation and disclosure of a social team: its leader, or an administrator. */
  async updateSocialTeamRecord(actor: Actor, input: UpdateSocialTeamRecordInput): Promise<{ team: RescueTeam }> {
    const teamId = parseGlobalId(input.teamId, "RescueTeam", "input.teamId");
    assertLeadsTeam(actor, teamId, "update this team's records");
    const errors: UserError[] = [];
    for (const key of ["registrationNumber", "registrationAuthority"] as const) {
      if ((input[key]?.length ?? 0) > SHORT_TEXT_MAX) errors.push(new UserError(`input.${key}`, "OUT_OF_RANGE", `${key} must be at most ${SHORT_TEXT_MAX} characters.`));
    }
    if (errors.length) throw new UserErrorsException(errors);
    return inTransaction(this.dataSource, async (tx) => {
      const team = await this.teams.requireTeam(tx.manager, teamId, "input.teamId", true);
      if (team.kind !== TeamKind.SOCIAL) userError("input.teamId", "INVALID_STATE", "Only social rescue teams carry registration, party-organisation and disclosure records.");
      if (input.lastDisclosureOn && input.lastDisclosureOn > (await this.today(tx.manager))) {
        userError("input.lastDisclosureOn", "OUT_OF_RANGE", "lastDisclosureOn cannot be in the future.");
      }
      if (input.registrationNumber != null) team.registrationNumber = input.registrationNumber.trim() || null;
      if (input.registrationAuthority != null) team.registrationAuthority = input.registrationAuthority.trim() || null;
      if (input.partyOrganisation != null) team.partyOrganisation = input.partyOrganisation;
      if (input.lastDisclosureOn != null) team.lastDisclosureOn = input.lastDisclosureOn;
      return { team: await tx.manager.save(team) };
    });
  }

  private async today(manager: EntityManager): Promise<string> {
    const [{ today }] = await manager.query(`SELECT CURRENT_DATE::text AS today`);
    return today;
  }
}
