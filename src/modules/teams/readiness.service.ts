// Readiness (战备状态): leaders report, every report is kept, the team row carries the latest
// for cheap filters, and subscribers hear about each change after it commits.
//
// Team deployments (modules/dispatch/team-deployment.service.ts) deploy and release teams
// inside their own transaction with:
//   markDeployed(tx, teamId, headcount, actor, options?)  → { team, report }
//   markReleased(tx, teamId, actor, options?)             → { team, report }
// Both lock the team row (SELECT … FOR UPDATE), write a readiness report and publish the
// change through tx.afterCommit, so a rolled-back deployment leaves no trace and no event.
import { word } from "../field/field-labels";
import { READINESS_STATUS_WORDS } from "../spreadsheets/labels";
import { filter, pipe } from "@graphql-yoga/subscription";
import type { DataSource, EntityManager } from "typeorm";
import type { Actor } from "../../core/access/auth";
import { badUserInput, userError } from "../../core/graphql/errors";
import type { EventBus } from "../../core/live/pubsub";
import { paginate, parseGlobalId, type Connection, type PageArgs, type OrderTerm } from "../../core/graphql/relay";
import type { Transaction } from "../../core/db/transaction";
import { InputErrors } from "../../core/mutation/input-errors";
import type { UnitOfWork } from "../../core/mutation/unit-of-work";
import { ReadinessSource, ReadinessStatus } from "./team.enums";
import { RescueTeam } from "./team.entity";
import type { TeamReadinessChangedWhere, UpdateTeamReadinessInput } from "./team.inputs";
import { TEAM_MEMBERS_MAX } from "./member-fields";
import { ReadinessReport } from "./readiness.entity";
import { assertLeadsTeam, type TeamService } from "./team.service";
import { ReadinessReportConnection } from "./team.types";
import { message } from "../../core/i18n/i18n";
import { READINESS_REPORT_ORDER, type ReadinessReportOrderField } from "./team.orders";

export const TEAM_READINESS_CHANGED = "TEAM_READINESS_CHANGED";

/**
 * What travels over the event bus (JSON through Redis): snapshots of the team and the report,
 * so a thousand subscribers render the change without a thousand database reads.
 */
export interface TeamReadinessEvent {
  team: Record<string, unknown>;
  report: Record<string, unknown>;
  previousStatus: ReadinessStatus | null;
  /** Materialised path of the team's home region, for the subscription's region filter. */
  regionPath: string;
}

export interface ReadinessChange {
  team: RescueTeam;
  report: ReadinessReport;
}

const NOTE_MAX = 500;

export class ReadinessService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventBus,
    private readonly teams: TeamService,
  ) {}

  /** A leader's report. TEAM_LEADER of that team only (ADMIN too); others are FORBIDDEN. */
  async updateTeamReadiness(unit: UnitOfWork, input: UpdateTeamReadinessInput): Promise<ReadinessChange> {
    const teamId = parseGlobalId(input.teamId, "RescueTeam", "input.teamId");
    assertLeadsTeam(unit.actor, teamId, "teams.what.reportReadiness");
    const check = new InputErrors();
    check.wholeNumber(input.availableMembers, "input.availableMembers", 0, TEAM_MEMBERS_MAX);
    const note = check.optionalText(input.note, "input.note", NOTE_MAX) ?? null;
    check.throwIfAny();
    return unit.transaction(this.dataSource, async (tx) => {
      const team = await this.teams.requireTeam(tx.manager, teamId, "input.teamId", true);
      const active = await this.teams.activeMemberCount(tx.manager, teamId);
      // Members out with a dispatch deployment are neither available nor reportable by the leader.
      if (input.availableMembers > active - team.deployedMembers) {
        userError(
          "input.availableMembers",
          "OUT_OF_RANGE",
          "teams.availablemembersExceedsTheTeamS", { availableMembers: input.availableMembers, active, value: team.deployedMembers ? message("teams.lessDeployed", { deployed: team.deployedMembers }) : "" },
        );
      }
      if (team.deployedMembers > 0 && input.status !== ReadinessStatus.DEPLOYED) {
        userError("input.status", "INVALID_STATE", "teams.membersAreOutOnA", { deployedMembers: team.deployedMembers });
      }
      // DEPLOYED belongs to deployTeam: a team reported DEPLOYED without a deployment could be
      // neither deployed (it is "already out") nor released (there is nothing to end).
      if (team.deployedMembers === 0 && input.status === ReadinessStatus.DEPLOYED) {
        userError("input.status", "INVALID_STATE", "teams.isNotOutOnA", { name: team.name });
      }
      return this.record(tx, team, active, { status: input.status, availableMembers: input.availableMembers, note, source: ReadinessSource.REPORT }, unit.actor);
    });
  }

  /**
   * For a team deployment, inside the caller's transaction: sends `headcount` members of the
   * team. Locks the team row; refuses (UserError, the caller's transaction rolls back) a team
   * already DEPLOYED (INVALID_STATE) or a headcount above the available members
   * (INSUFFICIENT_MEMBERS). Records a DEPLOYED report (source DEPLOYMENT) with the remaining
   * available members, and publishes teamReadinessChanged after the caller commits.
   * `options.field` names the input field for errors (default "teamId").
   */
  async markDeployed(tx: Transaction, teamId: number, headcount: number, actor: Actor, options: { note?: string | null; field?: string; headcountField?: string } = {}): Promise<ReadinessChange> {
    const field = options.field ?? "teamId";
    const headcountField = options.headcountField ?? "headcount";
    const check = new InputErrors();
    check.wholeNumber(headcount, headcountField, 1, TEAM_MEMBERS_MAX);
    check.throwIfAny();
    const team = await this.teams.requireTeam(tx.manager, teamId, field, true);
    // Out on a deployment is what deployedMembers records; a DEPLOYED status without one (a
    // leader's report from before such reports were refused) must not keep the team from going.
    if (team.deployedMembers > 0) {
      userError(field, "INVALID_STATE", "teams.isAlreadyDeployedReleaseIt", { name: team.name });
    }
    if (headcount > team.availableMembers) {
      userError(headcountField, "INSUFFICIENT_MEMBERS", "teams.hasMembersAvailableFewerThan", { name: team.name, availableMembers: team.availableMembers, headcount });
    }
    const active = await this.teams.activeMemberCount(tx.manager, teamId);
    team.deployedMembers = headcount;
    return this.record(
      tx,
      team,
      active,
      { status: ReadinessStatus.DEPLOYED, availableMembers: Math.min(team.availableMembers - headcount, active - headcount), note: options.note ?? `出动 ${headcount} 人`, source: ReadinessSource.DEPLOYMENT },
      actor,
    );
  }

  /**
   * For a team deployment, inside the caller's transaction: the team comes back. Locks the
   * team row; refuses a team that is not DEPLOYED (INVALID_STATE). Records a RECOVERING report
   * (source RELEASE) with the deployed members available again (never more than the active
   * roster), and publishes after the caller commits.
   */
  async markReleased(tx: Transaction, teamId: number, actor: Actor, options: { note?: string | null; field?: string } = {}): Promise<ReadinessChange> {
    const field = options.field ?? "teamId";
    const team = await this.teams.requireTeam(tx.manager, teamId, field, true);
    if (team.readinessStatus !== ReadinessStatus.DEPLOYED) {
      userError(field, "INVALID_STATE", "teams.isNotDeployedItIs", { name: team.name, value: team.readinessStatus ? word(READINESS_STATUS_WORDS, team.readinessStatus) : message("teams.notReported") });
    }
    const active = await this.teams.activeMemberCount(tx.manager, teamId);
    const returning = team.deployedMembers;
    team.deployedMembers = 0;
    return this.record(
      tx,
      team,
      active,
      { status: ReadinessStatus.RECOVERING, availableMembers: Math.min(active, team.availableMembers + returning), note: options.note ?? "撤回休整", source: ReadinessSource.RELEASE },
      actor,
    );
  }

  /**
   * Keeps the team's current figure within its active roster after a roster change (inside the
   * roster transaction, team row already locked). The report history stays as reported.
   */
  async clampAvailable(manager: EntityManager, team: RescueTeam, active: number): Promise<void> {
    const limit = Math.max(0, active - team.deployedMembers);
    if (team.availableMembers > limit) {
      team.availableMembers = limit;
      await manager.update(RescueTeam, { id: team.id }, { availableMembers: limit });
    }
  }

  /** Writes the report, moves the team's current readiness, and queues the event. Team row locked by the caller. */
  private async record(
    tx: Transaction,
    team: RescueTeam,
    activeMembers: number,
    report: { status: ReadinessStatus; availableMembers: number; note: string | null; source: ReadinessSource },
    actor: Actor,
  ): Promise<ReadinessChange> {
    const previousStatus = team.readinessStatus;
    const saved = await tx.manager.save(
      tx.manager.create(ReadinessReport, {
        teamId: team.id,
        districtId: team.districtId,
        status: report.status,
        availableMembers: report.availableMembers,
        activeMembers,
        note: report.note,
        source: report.source,
        reporterKind: actor.kind,
        reporterId: actor.id,
        reporterName: actor.name,
      }),
    );
    // The report's time is the database's now() (the column default, read back by save()), not this server's clock.
    const reportedAt = saved.reportedAt;
    await tx.manager.update(
      RescueTeam,
      { id: team.id },
      { readinessStatus: report.status, availableMembers: report.availableMembers, deployedMembers: team.deployedMembers, readinessReportedAt: reportedAt },
    );
    Object.assign(team, { readinessStatus: report.status, availableMembers: report.availableMembers, readinessReportedAt: reportedAt });
    const [{ path: regionPath }] = await tx.manager.query(`SELECT path FROM region WHERE id = $1`, [team.regionId]);
    const event: TeamReadinessEvent = { team: { ...team }, report: { ...saved }, previousStatus, regionPath };
    tx.afterCommit(() => this.events.publish(TEAM_READINESS_CHANGED, event));
    return { team, report: saved };
  }

  /** Rebuilds entities from an event that may have crossed Redis as JSON. */
  changeFromEvent(event: TeamReadinessEvent): ReadinessChange & { previousStatus: ReadinessStatus | null } {
    const team = Object.assign(new RescueTeam(), event.team);
    for (const key of ["readinessReportedAt", "createdAt", "updatedAt"] as const) {
      const value = team[key];
      if (value) team[key] = new Date(value) as never;
    }
    const report = Object.assign(new ReadinessReport(), event.report);
    report.reportedAt = new Date(report.reportedAt);
    return { team, report, previousStatus: event.previousStatus };
  }

  /**
   * The event stream for `teamReadinessChanged`, filtered by region (subtree), kind and status.
   * The region is resolved once, when the client subscribes, so a bad id fails the subscription.
   */
  async subscribe(where: TeamReadinessChangedWhere | null | undefined): Promise<AsyncIterable<TeamReadinessEvent>> {
    let regionMarker: string | null = null;
    if (where?.regionId) {
      const regionId = parseGlobalId(where.regionId, "Region", "where.regionId");
      const [region] = await this.dataSource.query(`SELECT id FROM region WHERE id = $1`, [regionId]);
      if (!region) throw badUserInput("where.regionId", "teams.noSuchRegion");
      regionMarker = `/${regionId}/`;
    }
    const kind = where?.kind ?? null;
    const status = where?.status ?? null;
    return pipe(
      this.events.subscribe(TEAM_READINESS_CHANGED) as AsyncIterable<TeamReadinessEvent>,
      filter((event: TeamReadinessEvent) => {
        if (regionMarker && !event.regionPath.includes(regionMarker)) return false;
        if (kind && event.team.kind !== kind) return false;
        if (status && event.report.status !== status) return false;
        return true;
      }),
    );
  }

  // ---------- history ----------

  /** One team's reports, newest first (keyset on id, which grows with time). */
  async history(teamId: number, page: PageArgs, orderBy?: OrderTerm<ReadinessReportOrderField>[] | null): Promise<Connection<ReadinessReport>> {
    const query = this.dataSource.getRepository(ReadinessReport).createQueryBuilder("report").where("report.team_id = :teamId", { teamId });
    return paginate(query, READINESS_REPORT_ORDER.sorting.resolve(orderBy), page, ReadinessReportConnection);
  }

  /** The newest `limit` reports of several teams in one statement (window function per team). */
  async historyFirstPages(teamIds: readonly number[], limit: number): Promise<Map<number, ReadinessReport[]>> {
    const rows = await this.dataSource
      .getRepository(ReadinessReport)
      .createQueryBuilder("report")
      .where(
        `report.id IN (SELECT numbered.id FROM (
           SELECT r.id, row_number() OVER (PARTITION BY r.team_id ORDER BY r.id DESC) AS position
           FROM team_readiness_report r WHERE r.team_id = ANY(:teamIds)
         ) numbered WHERE numbered.position <= :limit)`,
        { teamIds: [...teamIds], limit },
      )
      .orderBy("report.id", "DESC")
      .getMany();
    const result = new Map<number, ReadinessReport[]>(teamIds.map((id) => [id, []]));
    for (const report of rows) result.get(report.teamId)!.push(report);
    return result;
  }

  async historyCounts(teamIds: readonly number[]): Promise<number[]> {
    const rows: Array<{ team_id: number; count: number }> = await this.dataSource.query(
      `SELECT team_id, count(*)::int AS count FROM team_readiness_report WHERE team_id = ANY($1) GROUP BY team_id`,
      [[...teamIds]],
    );
    const byTeam = new Map(rows.map((row) => [row.team_id, row.count]));
    return teamIds.map((id) => byTeam.get(id) ?? 0);
  }
}
