// Reads of the rescue forces: teams, rosters, certificates. Every relation a GraphQL field
// needs has a batch method here (many teams or members in one statement) for the loaders.
import type { DataSource, EntityManager, SelectQueryBuilder } from "typeorm";
import type { Config } from "../../config";
import { Role, type Actor } from "../../core/access/auth";
import { badUserInput, forbidden, userError } from "../../core/graphql/errors";
import { inKeyOrder, rowsByCodes, rowsByIds } from "../../core/db/batch";
import { paginate, parseGlobalId, type Connection, type PageArgs, type OrderTerm } from "../../core/graphql/relay";
import { Region } from "../regions/region.entity";
import { likePattern } from "../regions/region.service";
import { CertificateStatus } from "./team.enums";
import { RescueTeam } from "./team.entity";
import type { CertificateAlertWhere, MemberFilter, RescueTeamWhere, TeamMemberWhere } from "./team.inputs";
import { MemberCertificate, TeamMember } from "./member.entity";
import { MemberCertificateConnection, RescueTeamConnection, RosterConflict, RosterConflictConnection, TeamMemberConnection } from "./team.types";
import { message, type MessageKey } from "../../core/i18n/i18n";
import { MEMBER_CERTIFICATE_ORDER, RESCUE_TEAM_ORDER, ROSTER_CONFLICT_ORDER, TEAM_MEMBER_ORDER, type MemberCertificateOrderField, type RescueTeamOrderField, type RosterConflictOrderField, type TeamMemberOrderField } from "./team.orders";

/** ADMIN, or the TEAM_LEADER of this very team (Actor.teamId); everyone else is FORBIDDEN. */
export function assertLeadsTeam(actor: Actor, teamId: number, what: MessageKey): void {
  if (actor.role === Role.ADMIN) return;
  if (actor.role === Role.TEAM_LEADER && actor.teamId === teamId) return;
  throw forbidden("teams.onlyThisTeamSLeader", { what: message(what) });
}

/** Today in the database's time zone, so dates agree with CURRENT_DATE in the module's queries. */
export async function databaseToday(manager: EntityManager): Promise<string> {
  const [{ today }] = await manager.query(`SELECT CURRENT_DATE::text AS today`);
  return today;
}

export class TeamService {
  constructor(
    readonly dataSource: DataSource,
    private readonly config: Pick<Config, "readinessFreshnessHours" | "certificateAlertDays">,
  ) {}

  get freshnessHours(): number {
    return this.config.readinessFreshnessHours;
  }

  get certificateAlertDays(): number {
    return this.config.certificateAlertDays;
  }

  /** Stale (战备状态过期): never reported, or the latest report is older than the freshness window. */
  isStale(team: Pick<RescueTeam, "readinessReportedAt">, now = new Date()): boolean {
    if (!team.readinessReportedAt) return true;
    return now.getTime() - new Date(team.readinessReportedAt).getTime() > this.freshnessHours * 3_600_000;
  }

  /** The materialised path of a region given by global id, for subtree filters (`path LIKE prefix%`). */
  async regionPath(globalId: string, field: string, manager: EntityManager = this.dataSource.manager): Promise<string> {
    const region = await manager.findOneBy(Region, { id: parseGlobalId(globalId, "Region", field) });
    if (!region) throw badUserInput(field, "teams.noSuchRegion");
    return region.path;
  }

  async list(where: RescueTeamWhere | null | undefined, page: PageArgs, orderBy?: OrderTerm<RescueTeamOrderField>[] | null): Promise<Connection<RescueTeam>> {
    const query = this.dataSource.getRepository(RescueTeam).createQueryBuilder("team");
    if (where?.kind) query.andWhere("team.kind = :kind", { kind: where.kind });
    if (where?.specialty) query.andWhere("team.specialty = :specialty", { specialty: where.specialty });
    if (where?.regionId) await this.withinRegion(query, "team.region_id", where.regionId, "where.regionId");
    if (where?.status) query.andWhere("team.readiness_status = :status", { status: where.status });
    if (where?.stale === true) {
      query.andWhere("(team.readiness_reported_at IS NULL OR team.readiness_reported_at < now() - make_interval(hours => :hours))", { hours: this.freshnessHours });
    } else if (where?.stale === false) {
      query.andWhere("team.readiness_reported_at >= now() - make_interval(hours => :hours)", { hours: this.freshnessHours });
    }
    if (where?.nameContains) query.andWhere("team.name ILIKE :name", { name: likePattern(where.nameContains) });
    return paginate(query, RESCUE_TEAM_ORDER.sorting.resolve(orderBy), page, RescueTeamConnection);
  }

  /** Limits a query to rows whose region column lies in the given region's subtree. */
  private async withinRegion<T extends object>(query: SelectQueryBuilder<T>, column: string, regionGlobalId: string, field: string): Promise<void> {
    const prefix = `${await this.regionPath(regionGlobalId, field)}%`;
    const parameter = `prefix_${column.replace(/\W/g, "_")}`;
    query.andWhere(`${column} IN (SELECT sub.id FROM region sub WHERE sub.path LIKE :${parameter})`, { [parameter]: prefix });
  }

  /** Teams by code (KZ-TT-S01 …), in the order asked, null where there is none. */
  byCodes(codes: readonly string[]): Promise<(RescueTeam | null)[]> {
    return rowsByCodes(this.dataSource, RescueTeam, codes);
  }

  byIds(ids: readonly number[]): Promise<(RescueTeam | null)[]> {
    return rowsByIds(this.dataSource, RescueTeam, ids);
  }

  membersByIds(ids: readonly number[]): Promise<(TeamMember | null)[]> {
    return rowsByIds(this.dataSource, TeamMember, ids);
  }

  /** Certificates by id, each tagged with its holder's team (for masking its number). */
  async certificatesByIds(ids: readonly number[]): Promise<(MemberCertificate | null)[]> {
    const certificates = this.withTeams(await this.certificateQuery().where("certificate.id = ANY(:ids)", { ids: [...ids] }).getRawAndEntities());
    return inKeyOrder(ids, certificates);
  }

  /** Active members per team, in one grouped statement. */
  async activeMemberCounts(teamIds: readonly number[]): Promise<number[]> {
    const rows: Array<{ team_id: number; count: number }> = await this.dataSource.query(
      `SELECT team_id, count(*)::int AS count FROM team_member WHERE team_id = ANY($1) AND active GROUP BY team_id`,
      [[...teamIds]],
    );
    const byTeam = new Map(rows.map((row) => [row.team_id, row.count]));
    return teamIds.map((id) => byTeam.get(id) ?? 0);
  }

  /** The active leader of each team (null if a team has none), in one statement. */
  async leaders(teamIds: readonly number[]): Promise<(TeamMember | null)[]> {
    const rows = await this.dataSource
      .getRepository(TeamMember)
      .createQueryBuilder("member")
      .where("member.team_id = ANY(:ids) AND member.role = 'LEADER' AND member.active", { ids: [...teamIds] })
      .getMany();
    const byTeam = new Map(rows.map((row) => [row.teamId, row]));
    return teamIds.map((id) => byTeam.get(id) ?? null);
  }

  /** One team's members, paged (used when paging past the first page). */
  async members(teamId: number, filter: MemberFilter | null | undefined, page: PageArgs, orderBy?: OrderTerm<TeamMemberOrderField>[] | null): Promise<Connection<TeamMember>> {
    const { sql, params } = this.memberFilterSql(filter, "member");
    const query = this.dataSource.getRepository(TeamMember).createQueryBuilder("member").where(`member.team_id = :teamId${sql}`, { ...params, teamId });
    return paginate(query, TEAM_MEMBER_ORDER.sorting.resolve(orderBy), page, TeamMemberConnection);
  }

  /** The conditions of a member filter on the members aliased `alias`, for the paged, the batched and the counting statements alike. */
  private memberFilterSql(filter: MemberFilter | null | undefined, alias: string): { sql: string; params: Record<string, unknown> } {
    const conditions: string[] = [];
    const params: Record<string, unknown> = {};
    conditions.push(`${alias}.active = :filterActive`);
    params.filterActive = filter?.active ?? true;
    if (filter?.role) {
      conditions.push(`${alias}.role = :filterRole`);
      params.filterRole = filter.role;
    }
    return { sql: conditions.map((c) => ` AND ${c}`).join(""), params };
  }

  /**
   * The first page of members for several teams in one statement: a window function numbers
   * each team's members, so a list of N teams asking for members costs one query, not N.
   */
  async memberFirstPages(teamIds: readonly number[], filter: MemberFilter | null | undefined, limit: number): Promise<Map<number, TeamMember[]>> {
    const { sql, params } = this.memberFilterSql(filter, "m");
    const rows = await this.dataSource
      .getRepository(TeamMember)
      .createQueryBuilder("member")
      .where(
        `member.id IN (SELECT numbered.id FROM (
           SELECT m.id, row_number() OVER (PARTITION BY m.team_id ORDER BY m.id) AS position
           FROM team_member m WHERE m.team_id = ANY(:teamIds)${sql}
         ) numbered WHERE numbered.position <= :limit)`,
        { ...params, teamIds: [...teamIds], limit },
      )
      .orderBy("member.id")
      .getMany();
    const result = new Map<number, TeamMember[]>(teamIds.map((id) => [id, []]));
    for (const member of rows) result.get(member.teamId)!.push(member);
    return result;
  }

  /** How many members match a filter, per team, in one grouped statement (asked only for totalCount). */
  async memberCounts(teamIds: readonly number[], filter: MemberFilter | null | undefined): Promise<Map<number, number>> {
    const { sql, params } = this.memberFilterSql(filter, "m");
    const rows = await this.dataSource
      .createQueryBuilder()
      .select("m.team_id", "team_id")
      .addSelect("count(*)::int", "count")
      .from(TeamMember, "m")
      .where(`m.team_id = ANY(:teamIds)${sql}`, { ...params, teamIds: [...teamIds] })
      .groupBy("m.team_id")
      .getRawMany<{ team_id: number; count: number }>();
    const byTeam = new Map<number, number>(teamIds.map((id) => [id, 0]));
    for (const row of rows) byTeam.set(row.team_id, row.count);
    return byTeam;
  }

  /** Members across teams (e.g. everyone with a skill in one township), paged. */
  async listMembers(where: TeamMemberWhere | null | undefined, page: PageArgs, orderBy?: OrderTerm<TeamMemberOrderField>[] | null): Promise<Connection<TeamMember>> {
    const query = this.dataSource.getRepository(TeamMember).createQueryBuilder("member");
    query.andWhere("member.active = :active", { active: where?.active ?? true });
    if (where?.teamId) query.andWhere("member.team_id = :teamId", { teamId: parseGlobalId(where.teamId, "RescueTeam", "where.teamId") });
    if (where?.regionId) {
      const prefix = `${await this.regionPath(where.regionId, "where.regionId")}%`;
      query.andWhere("member.team_id IN (SELECT t.id FROM rescue_team t JOIN region r ON r.id = t.region_id WHERE r.path LIKE :prefix)", { prefix });
    }
    if (where?.role) query.andWhere("member.role = :role", { role: where.role });
    if (where?.skill) query.andWhere(":skill = ANY(member.skills)", { skill: where.skill });
    if (where?.employmentMode) query.andWhere("member.employment_mode = :mode", { mode: where.employmentMode });
    return paginate(query, TEAM_MEMBER_ORDER.sorting.resolve(orderBy), page, TeamMemberConnection);
  }

  /** Flagged members (see RosterConflict) with the members they collide with: a page, then the counterparts in one statement. */
  async rosterConflicts(page: PageArgs, orderBy?: OrderTerm<RosterConflictOrderField>[] | null): Promise<Connection<RosterConflict>> {
    const query = this.dataSource.getRepository(TeamMember).createQueryBuilder("member").where("member.id_number_conflict_with IS NOT NULL");
    const flagged = await paginate(query, ROSTER_CONFLICT_ORDER.sorting.resolve(orderBy), page, TeamMemberConnection);
    const counterparts = await this.membersByIds(flagged.edges.map((edge) => edge.node.idNumberConflictWith!));
    const edges = flagged.edges.map((edge, i) => ({ node: this.conflictOf(edge.node, counterparts[i]!), cursor: edge.cursor }));
    return Object.assign(Object.create(RosterConflictConnection.prototype), { edges, pageInfo: flagged.pageInfo, countTotal: () => flagged.totalCount() });
  }

  conflictOf(member: TeamMember, conflictsWith: TeamMember): RosterConflict {
    return Object.assign(new RosterConflict(), { member, conflictsWith, since: member.idNumberConflictSince! });
  }

  /** Certificates of several members in one statement, each tagged with its holder's team. */
  async certificatesOfMembers(memberIds: readonly number[]): Promise<MemberCertificate[][]> {
    const rows = await this.certificateQuery().where("certificate.member_id = ANY(:ids)", { ids: [...memberIds] }).orderBy("certificate.id").getRawAndEntities();
    const grouped = new Map<number, MemberCertificate[]>(memberIds.map((id) => [id, []]));
    for (const certificate of this.withTeams(rows)) grouped.get(certificate.memberId)?.push(certificate);
    return memberIds.map((id) => grouped.get(id) ?? []);
  }

  /** Certificates of active members that expired or expire within the alert window, soonest first. */
  async certificateAlerts(where: CertificateAlertWhere | null | undefined, page: PageArgs, orderBy?: OrderTerm<MemberCertificateOrderField>[] | null): Promise<Connection<MemberCertificate>> {
    const query = this.certificateQuery()
      .where("holder.active")
      .andWhere("certificate.expires_on <= CURRENT_DATE + :days::int", { days: this.certificateAlertDays });
    if (where?.includeExpired === false) query.andWhere("certificate.expires_on >= CURRENT_DATE");
    if (where?.teamId) query.andWhere("holder.team_id = :teamId", { teamId: parseGlobalId(where.teamId, "RescueTeam", "where.teamId") });
    if (where?.regionId) {
      const prefix = `${await this.regionPath(where.regionId, "where.regionId")}%`;
      query.andWhere("holder.team_id IN (SELECT t.id FROM rescue_team t JOIN region r ON r.id = t.region_id WHERE r.path LIKE :prefix)", { prefix });
    }
    return paginate(query, MEMBER_CERTIFICATE_ORDER.sorting.resolve(orderBy), page, MemberCertificateConnection, (result) => this.withTeams(result));
  }

  private certificateQuery(): SelectQueryBuilder<MemberCertificate> {
    return this.dataSource
      .getRepository(MemberCertificate)
      .createQueryBuilder("certificate")
      .innerJoin(TeamMember, "holder", "holder.id = certificate.member_id")
      .addSelect("holder.team_id", "holder_team_id")
      // Judged by the database's date, like the alert list, so both agree around midnight.
      .addSelect(
        `CASE WHEN certificate.expires_on IS NULL THEN 'VALID' WHEN certificate.expires_on < CURRENT_DATE THEN 'EXPIRED'
              WHEN certificate.expires_on <= CURRENT_DATE + ${Number(this.certificateAlertDays)} THEN 'EXPIRING_SOON' ELSE 'VALID' END`,
        "certificate_status",
      );
  }

  private withTeams(result: { entities: MemberCertificate[]; raw: Array<Record<string, unknown>> }): MemberCertificate[] {
    const rawById = new Map(result.raw.map((row) => [row.certificate_id as number, row]));
    for (const certificate of result.entities) {
      certificate.teamId = rawById.get(certificate.id)?.holder_team_id as number;
      certificate.status = rawById.get(certificate.id)?.certificate_status as CertificateStatus;
    }
    return result.entities;
  }

  /** Loads a team or fails with NOT_FOUND naming the input field. */
  async requireTeam(manager: EntityManager, teamId: number, field: string, lock = false): Promise<RescueTeam> {
    const query = manager.createQueryBuilder(RescueTeam, "team").where("team.id = :teamId", { teamId });
    if (lock) query.setLock("pessimistic_write");
    const team = await query.getOne();
    if (!team) userError(field, "NOT_FOUND", "teams.thereIsNoSuchRescue");
    return team;
  }

  async activeMemberCount(manager: EntityManager, teamId: number): Promise<number> {
    const [{ count }] = await manager.query(`SELECT count(*)::int AS count FROM team_member WHERE team_id = $1 AND active`, [teamId]);
    return count;
  }
}

