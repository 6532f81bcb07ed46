// What social teams (社会应急力量) owe the district: a local filing of each rescue action
// (救援行动属地备案), and their registration, party-organisation and disclosure records. The
// team's leader keeps them, or an administrator.
import type { DataSource } from "typeorm";
import { userError } from "../../core/graphql/errors";
import { paginate, parseGlobalId, type Connection, type PageArgs, type OrderTerm } from "../../core/graphql/relay";
import { InputErrors } from "../../core/mutation/input-errors";
import type { UnitOfWork } from "../../core/mutation/unit-of-work";
import { Region } from "../regions/region.entity";
import { RescueActionFiling } from "./filing.entity";
import { TEAM_MEMBERS_MAX } from "./member-fields";
import { TeamKind } from "./team.enums";
import type { RescueTeam } from "./team.entity";
import type { FileRescueActionInput, RescueActionFilingWhere, UpdateSocialTeamRecordInput } from "./team.inputs";
import { assertLeadsTeam, databaseToday, type TeamService } from "./team.service";
import { RescueActionFilingConnection } from "./team.types";
import { RESCUE_ACTION_FILING_ORDER, type RescueActionFilingOrderField } from "./team.orders";

const TEXT_MAX = 2000;
const SHORT_TEXT_MAX = 200;
/** Clocks of field devices drift; a start a few minutes "in the future" is still accepted. */
const CLOCK_SKEW_MS = 5 * 60_000;

export class SocialTeamService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly teams: TeamService,
  ) {}

  /** A social team's local filing of a rescue action: its leader, or an administrator. */
  async fileRescueAction(unit: UnitOfWork, input: FileRescueActionInput): Promise<{ filing: RescueActionFiling }> {
    const { actor } = unit;
    const teamId = parseGlobalId(input.teamId, "RescueTeam", "input.teamId");
    const regionId = parseGlobalId(input.regionId, "Region", "input.regionId");
    assertLeadsTeam(actor, teamId, "teams.what.fileRescueActions");
    const check = new InputErrors();
    const location = check.text(input.location, "input.location", SHORT_TEXT_MAX);
    const incident = check.text(input.incident, "input.incident", SHORT_TEXT_MAX);
    const outcome = check.text(input.outcome, "input.outcome", TEXT_MAX);
    const startedAt = new Date(input.startedAt);
    if (startedAt.getTime() > Date.now() + CLOCK_SKEW_MS) check.add("input.startedAt", "OUT_OF_RANGE", "teams.startedatCannotBeInThe");
    if (input.endedAt && new Date(input.endedAt).getTime() < startedAt.getTime()) check.add("input.endedAt", "OUT_OF_RANGE", "teams.endedatCannotBeBeforeStartedat");
    check.wholeNumber(input.membersSent, "input.membersSent", 1, TEAM_MEMBERS_MAX);
    check.throwIfAny();
    return unit.transaction(this.dataSource, async (tx) => {
      const team = await this.teams.requireTeam(tx.manager, teamId, "input.teamId");
      if (team.kind !== TeamKind.SOCIAL) userError("input.teamId", "INVALID_STATE", "teams.onlySocialRescueTeamsFile");
      const region = await tx.manager.findOneBy(Region, { id: regionId });
      if (!region) userError("input.regionId", "NOT_FOUND", "teams.thereIsNoSuchRegion");
      const active = await this.teams.activeMemberCount(tx.manager, teamId);
      if (input.membersSent > active) userError("input.membersSent", "OUT_OF_RANGE", "teams.memberssentExceedsTheTeamS", { membersSent: input.membersSent, active });
      const filing = await tx.manager.save(
        tx.manager.create(RescueActionFiling, {
          teamId,
          districtId: team.districtId,
          regionId,
          startedAt,
          endedAt: input.endedAt ? new Date(input.endedAt) : null,
          location,
          incident,
          membersSent: input.membersSent,
          outcome,
          filedBy: actor.name,
        }),
      );
      return { filing };
    });
  }

  async filings(where: RescueActionFilingWhere | null | undefined, page: PageArgs, orderBy?: OrderTerm<RescueActionFilingOrderField>[] | null): Promise<Connection<RescueActionFiling>> {
    const query = this.dataSource.getRepository(RescueActionFiling).createQueryBuilder("filing");
    if (where?.teamId) query.andWhere("filing.team_id = :teamId", { teamId: parseGlobalId(where.teamId, "RescueTeam", "where.teamId") });
    if (where?.regionId) {
      const prefix = `${await this.teams.regionPath(where.regionId, "where.regionId")}%`;
      query.andWhere("filing.region_id IN (SELECT sub.id FROM region sub WHERE sub.path LIKE :prefix)", { prefix });
    }
    if (where?.from) query.andWhere("filing.started_at >= :from", { from: new Date(where.from) });
    if (where?.to) query.andWhere("filing.started_at < :to", { to: new Date(where.to) });
    return paginate(query, RESCUE_ACTION_FILING_ORDER.sorting.resolve(orderBy), page, RescueActionFilingConnection);
  }

  /** Registration, party organisation and disclosure of a social team: its leader, or an administrator. */
  async updateSocialTeamRecord(unit: UnitOfWork, input: UpdateSocialTeamRecordInput): Promise<{ team: RescueTeam }> {
    const { actor } = unit;
    const teamId = parseGlobalId(input.teamId, "RescueTeam", "input.teamId");
    assertLeadsTeam(actor, teamId, "teams.what.updateRecords");
    const check = new InputErrors();
    // Left out or null: stays as it is; blank: cleared.
    const registrationNumber = input.registrationNumber == null ? undefined : check.optionalText(input.registrationNumber, "input.registrationNumber", SHORT_TEXT_MAX);
    const registrationAuthority = input.registrationAuthority == null ? undefined : check.optionalText(input.registrationAuthority, "input.registrationAuthority", SHORT_TEXT_MAX);
    check.throwIfAny();
    return unit.transaction(this.dataSource, async (tx) => {
      const team = await this.teams.requireTeam(tx.manager, teamId, "input.teamId", true);
      if (team.kind !== TeamKind.SOCIAL) userError("input.teamId", "INVALID_STATE", "teams.onlySocialRescueTeamsCarry");
      if (input.lastDisclosureOn && input.lastDisclosureOn > (await databaseToday(tx.manager))) {
        userError("input.lastDisclosureOn", "OUT_OF_RANGE", "teams.lastdisclosureonCannotBeInThe");
      }
      if (registrationNumber !== undefined) team.registrationNumber = registrationNumber;
      if (registrationAuthority !== undefined) team.registrationAuthority = registrationAuthority;
      if (input.partyOrganisation != null) team.partyOrganisation = input.partyOrganisation;
      if (input.lastDisclosureOn != null) team.lastDisclosureOn = input.lastDisclosureOn;
      return { team: await tx.manager.save(team) };
    });
  }
}
