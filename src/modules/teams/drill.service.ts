// Drills (演练、共训共练): recorded once held, by a commander or, for their own team's drill,
// its leader; listed per team.
import type { DataSource } from "typeorm";
import { Role } from "../../core/access/auth";
import { forbidden, userError } from "../../core/graphql/errors";
import { paginate, parseGlobalId, type Connection, type PageArgs, type OrderTerm } from "../../core/graphql/relay";
import { InputErrors } from "../../core/mutation/input-errors";
import type { UnitOfWork } from "../../core/mutation/unit-of-work";
import { Drill, DrillTeam } from "./drill.entity";
import { DrillKind } from "./team.enums";
import { RescueTeam } from "./team.entity";
import type { DrillWhere, RecordDrillInput } from "./team.inputs";
import { databaseToday } from "./team.service";
import { DrillConnection } from "./team.types";
import { DRILL_ORDER, type DrillOrderField } from "./team.orders";

const TEXT_MAX = 2000;
const TEAMS_MAX = 100;

export class DrillService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * ADMIN and COMMANDER record any drill; a TEAM_LEADER records their own team's TEAM drill
   * (a drill of that team alone). Everyone else is FORBIDDEN.
   */
  async recordDrill(unit: UnitOfWork, input: RecordDrillInput): Promise<{ drill: Drill }> {
    const { actor } = unit;
    const teamIds = input.teamIds.map((id, i) => parseGlobalId(id, "RescueTeam", `input.teamIds[${i}]`));
    const check = new InputErrors();
    if (teamIds.length === 0) check.add("input.teamIds", "REQUIRED", "teams.nameAtLeastOneTeam");
    if (teamIds.length > TEAMS_MAX) check.add("input.teamIds", "OUT_OF_RANGE", "teams.atMostTeams", { teamsMax: TEAMS_MAX });
    teamIds.forEach((id, i) => {
      if (teamIds.indexOf(id) !== i) check.add(`input.teamIds[${i}]`, "DUPLICATE", "teams.eachTeamAtMostOnce");
    });
    const scenario = check.text(input.scenario, "input.scenario", TEXT_MAX);
    const result = check.text(input.result, "input.result", TEXT_MAX);
    check.throwIfAny();
    if (actor.role === Role.TEAM_LEADER) {
      const ownTeamDrill = input.kind === DrillKind.TEAM && teamIds.length === 1 && teamIds[0] === actor.teamId;
      if (!ownTeamDrill) throw forbidden("teams.aTeamLeaderRecordsOnly");
    } else if (actor.role !== Role.ADMIN && actor.role !== Role.COMMANDER) {
      throw forbidden("teams.onlyCommandersAdministratorsAndFor");
    }
    return unit.transaction(this.dataSource, async (tx) => {
      if (input.date > (await databaseToday(tx.manager))) userError("input.date", "OUT_OF_RANGE", "teams.aDrillIsRecordedOnce");
      const teams = await tx.manager.createQueryBuilder(RescueTeam, "team").where("team.id = ANY(:teamIds)", { teamIds }).getMany();
      const found = new Map(teams.map((team) => [team.id, team]));
      const missing = new InputErrors();
      teamIds.forEach((id, i) => {
        if (!found.has(id)) missing.add(`input.teamIds[${i}]`, "NOT_FOUND", "teams.thereIsNoSuchRescue");
      });
      missing.throwIfAny();
      const drill = await tx.manager.save(
        tx.manager.create(Drill, {
          districtId: found.get(teamIds[0])!.districtId,
          heldOn: input.date,
          kind: input.kind,
          scenario,
          result,
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

  async drills(where: DrillWhere | null | undefined, page: PageArgs, orderBy?: OrderTerm<DrillOrderField>[] | null): Promise<Connection<Drill>> {
    const query = this.dataSource.getRepository(Drill).createQueryBuilder("drill");
    if (where?.kind) query.andWhere("drill.kind = :kind", { kind: where.kind });
    if (where?.from) query.andWhere("drill.held_on >= :from", { from: where.from });
    if (where?.to) query.andWhere("drill.held_on <= :to", { to: where.to });
    if (where?.teamId) {
      const teamId = parseGlobalId(where.teamId, "RescueTeam", "where.teamId");
      query.andWhere("EXISTS (SELECT 1 FROM drill_team dt WHERE dt.drill_id = drill.id AND dt.team_id = :teamId)", { teamId });
    }
    return paginate(query, DRILL_ORDER.sorting.resolve(orderBy), page, DrillConnection);
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
}
