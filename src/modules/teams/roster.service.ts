// Rosters (队员名册): a team's leader (or an administrator) keeps them current. Every change
// locks the team row first, so roster changes of one team run one after another and the
// "exactly one active leader" rule is checked against what is really there; the partial
// unique index UQ_team_member_active_leader refuses a second leader even so. A person is on
// one active roster at a time, without a team leader learning whose roster a number is on:
// id-numbers.ts.
import { In, type DataSource, type EntityManager } from "typeorm";
import type { Actor } from "../../core/access/auth";
import { userError } from "../../core/graphql/errors";
import { parseGlobalId } from "../../core/graphql/relay";
import type { Transaction } from "../../core/db/transaction";
import { InputErrors } from "../../core/mutation/input-errors";
import type { UnitOfWork } from "../../core/mutation/unit-of-work";
import { EmploymentMode, MemberRole } from "./team.enums";
import type { RescueTeam } from "./team.entity";
import type { AddTeamMemberInput, AppointTeamLeaderInput, CertificateInput, DeactivateTeamMemberInput, TransferTeamMemberInput, UpdateTeamMemberInput } from "./team.inputs";
import { checkIdNumber, conflictOnOtherTeam, holdersOf, lockIdNumbers, NO_CONFLICT, reconcileIdNumber, type IdNumberConflict, type IdNumberHolder } from "./id-numbers";
import { MemberCertificate, TeamMember } from "./member.entity";
import { checkCertificates, checkPersonFields, cleanSkills, idNumberOf } from "./member-fields";
import type { ReadinessService } from "./readiness.service";
import { assertLeadsTeam, databaseToday, type TeamService } from "./team.service";
import type { Message, MessageKey } from "../../core/i18n/i18n";

/** Turns a unique violation that slipped past the checks (a concurrent insert) into the UserError it stands for. */
function translateUniqueViolation(error: unknown): never {
  const driverError = (error as { driverError?: { code?: string; constraint?: string } }).driverError ?? (error as { code?: string; constraint?: string });
  if (driverError?.code === "23505") {
    if (driverError.constraint === "UQ_team_member_active_leader") userError("input.role", "DUPLICATE", "teams.theTeamAlreadyHasAn");
    if (driverError.constraint === "UQ_team_member_active_id_number") userError("input.idNumber", "DUPLICATE", "teams.aPersonWithThisId2");
  }
  throw error;
}

/**
 * One person of a roster import (a row of a sheet). Blank cells are null: a new member gets the
 * defaults (role MEMBER, joined today), an existing one keeps what is on the roster.
 */
export interface RosterImportEntry {
  name: string;
  role: MemberRole | null;
  employmentMode: EmploymentMode | null;
  phone: string | null;
  idNumber: string | null;
  skills: string[] | null;
  joinedOn: string | null;
  /** How messages name the entry, e.g. "row 12". */
  label: Message;
  /** Where a problem with one of the entry's fields is reported, e.g. `rows[12].手机号`. */
  field(name: "name" | "role" | "employmentMode" | "phone" | "idNumber" | "skills" | "joinedOn" | "team"): string;
}

export interface RosterImportResult {
  added: TeamMember[];
  updated: TeamMember[];
  unchanged: number;
}

export class RosterService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly teams: TeamService,
    private readonly readiness: ReadinessService,
  ) {}

  async addTeamMember(unit: UnitOfWork, input: AddTeamMemberInput): Promise<{ member: TeamMember }> {
    const teamId = parseGlobalId(input.teamId, "RescueTeam", "input.teamId");
    assertLeadsTeam(unit.actor, teamId, "teams.what.changeRoster");
    const check = new InputErrors();
    checkPersonFields(check, input, true);
    checkCertificates(check, input.certificates, "input.certificates");
    check.throwIfAny();
    return unit.transaction(this.dataSource, async (tx) => {
      const team = await this.teams.requireTeam(tx.manager, teamId, "input.teamId", true);
      const role = input.role ?? MemberRole.MEMBER;
      if (role === MemberRole.LEADER) await this.refuseSecondLeader(tx.manager, team.id, null);
      const idNumber = idNumberOf(input.idNumber);
      const conflict = idNumber ? await checkIdNumber(tx.manager, unit.actor, team.id, idNumber, null) : NO_CONFLICT;
      const member = await tx.manager
        .save(
          tx.manager.create(TeamMember, {
            teamId: team.id,
            districtId: team.districtId,
            name: input.name.trim(),
            role,
            skills: cleanSkills(input.skills ?? []),
            employmentMode: input.employmentMode,
            active: true,
            phone: input.phone?.trim() || null,
            idNumber,
            ...conflict,
            joinedOn: input.joinedOn ?? (await databaseToday(tx.manager)),
            leftOn: null,
          }),
        )
        .catch(translateUniqueViolation);
      if (input.certificates?.length) await this.replaceCertificates(tx.manager, member.id, input.certificates);
      return { member };
    }).catch(translateUniqueViolation);
  }

  async updateTeamMember(unit: UnitOfWork, input: UpdateTeamMemberInput): Promise<{ member: TeamMember }> {
    const memberId = parseGlobalId(input.memberId, "TeamMember", "input.memberId");
    const check = new InputErrors();
    checkPersonFields(check, input, false);
    checkCertificates(check, input.certificates, "input.certificates");
    check.throwIfAny();
    return unit.transaction(this.dataSource, async (tx) => {
      const { member } = await this.lockMember(tx.manager, unit.actor, memberId, "teams.what.changeRoster");
      if (!member.active) userError("input.memberId", "INVALID_STATE", "teams.formerMembersAreKeptFor");
      if (input.role && input.role !== member.role) {
        if (member.role === MemberRole.LEADER) {
          userError("input.role", "INVALID_STATE", "teams.thisMemberLeadsTheTeam");
        }
        if (input.role === MemberRole.LEADER) await this.refuseSecondLeader(tx.manager, member.teamId, member.id);
        member.role = input.role;
      }
      if (input.name) member.name = input.name.trim();
      if (input.skills) member.skills = cleanSkills(input.skills);
      if (input.employmentMode) member.employmentMode = input.employmentMode;
      if (input.phone !== undefined && input.phone !== null) member.phone = input.phone.trim() || null;
      const previousIdNumber = member.idNumber;
      const idNumber = idNumberOf(input.idNumber);
      const idNumberChanges = idNumber !== null && idNumber !== previousIdNumber;
      if (idNumberChanges) {
        await lockIdNumbers(tx.manager, previousIdNumber ? [previousIdNumber, idNumber] : [idNumber]);
        Object.assign(member, { idNumber }, await checkIdNumber(tx.manager, unit.actor, member.teamId, idNumber, member.id, false));
      }
      const saved = await tx.manager.save(member).catch(translateUniqueViolation);
      if (idNumberChanges && previousIdNumber) await reconcileIdNumber(tx.manager, previousIdNumber);
      if (input.certificates) await this.replaceCertificates(tx.manager, member.id, input.certificates);
      return { member: saved };
    }).catch(translateUniqueViolation);
  }

  async deactivateTeamMember(unit: UnitOfWork, input: DeactivateTeamMemberInput): Promise<{ member: TeamMember }> {
    const memberId = parseGlobalId(input.memberId, "TeamMember", "input.memberId");
    return unit.transaction(this.dataSource, async (tx) => {
      const { member, team } = await this.lockMember(tx.manager, unit.actor, memberId, "teams.what.changeRoster");
      if (!member.active) userError("input.memberId", "INVALID_STATE", "teams.theMemberIsAlreadyOff");
      if (member.role === MemberRole.LEADER) {
        userError("input.memberId", "INVALID_STATE", "teams.thisMemberLeadsTheTeam");
      }
      const today = await databaseToday(tx.manager);
      const leftOn = input.leftOn ?? today;
      if (leftOn > today || leftOn < member.joinedOn) {
        userError("input.leftOn", "OUT_OF_RANGE", "teams.leftonMustLieBetweenThe", { joinedOn: member.joinedOn });
      }
      if (member.idNumber) await lockIdNumbers(tx.manager, [member.idNumber]);
      member.active = false;
      member.leftOn = leftOn;
      // A former member conflicts with nobody; those flagged against them are put right below.
      Object.assign(member, NO_CONFLICT);
      const saved = await tx.manager.save(member);
      if (member.idNumber) await reconcileIdNumber(tx.manager, member.idNumber);
      await this.readiness.clampAvailable(tx.manager, team, await this.teams.activeMemberCount(tx.manager, team.id));
      return { member: saved };
    });
  }

  /** The source team's leader (or ADMIN) moves an active, non-leading member to another team. */
  async transferTeamMember(unit: UnitOfWork, input: TransferTeamMemberInput): Promise<{ member: TeamMember; fromTeam: RescueTeam }> {
    const memberId = parseGlobalId(input.memberId, "TeamMember", "input.memberId");
    const toTeamId = parseGlobalId(input.toTeamId, "RescueTeam", "input.toTeamId");
    return unit.transaction(this.dataSource, async (tx) => {
      const current = await tx.manager.findOneBy(TeamMember, { id: memberId });
      if (!current) userError("input.memberId", "NOT_FOUND", "teams.thereIsNoSuchTeam");
      assertLeadsTeam(unit.actor, current.teamId, "teams.what.moveMembersOff");
      if (current.teamId === toTeamId) userError("input.toTeamId", "INVALID_STATE", "teams.theMemberIsAlreadyOn");
      // Both team rows, lowest id first, so two opposite transfers cannot deadlock.
      const [first, second] = [current.teamId, toTeamId].sort((a, b) => a - b);
      const locked = new Map<number, RescueTeam>();
      for (const id of [first, second]) {
        locked.set(id, await this.teams.requireTeam(tx.manager, id, id === toTeamId ? "input.toTeamId" : "input.memberId", true));
      }
      const member = await this.relockMember(tx.manager, memberId, current.teamId);
      if (!member.active) userError("input.memberId", "INVALID_STATE", "teams.formerMembersCannotBeTransferred");
      if (member.role === MemberRole.LEADER) {
        userError("input.memberId", "INVALID_STATE", "teams.thisMemberLeadsTheTeam2");
      }
      const fromTeam = locked.get(current.teamId)!;
      const toTeam = locked.get(toTeamId)!;
      member.teamId = toTeam.id;
      member.districtId = toTeam.districtId;
      member.role = MemberRole.MEMBER;
      member.joinedOn = await databaseToday(tx.manager);
      const saved = await tx.manager.save(member);
      await this.readiness.clampAvailable(tx.manager, fromTeam, await this.teams.activeMemberCount(tx.manager, fromTeam.id));
      return { member: saved, fromTeam };
    });
  }

  /** Makes an active member of the team its leader; the former leader stays on as DEPUTY. */
  async appointTeamLeader(unit: UnitOfWork, input: AppointTeamLeaderInput): Promise<{ team: RescueTeam; leader: TeamMember; formerLeader: TeamMember | null }> {
    const teamId = parseGlobalId(input.teamId, "RescueTeam", "input.teamId");
    const memberId = parseGlobalId(input.memberId, "TeamMember", "input.memberId");
    assertLeadsTeam(unit.actor, teamId, "teams.what.appointLeader");
    return unit.transaction(this.dataSource, async (tx) => {
      const team = await this.teams.requireTeam(tx.manager, teamId, "input.teamId", true);
      const member = await tx.manager.createQueryBuilder(TeamMember, "member").where("member.id = :memberId", { memberId }).setLock("pessimistic_write").getOne();
      if (!member) userError("input.memberId", "NOT_FOUND", "teams.thereIsNoSuchTeam");
      if (member.teamId !== team.id) userError("input.memberId", "WRONG_TEAM", "teams.theMemberBelongsToAnother");
      if (!member.active) userError("input.memberId", "INVALID_STATE", "teams.anInactiveMemberCannotLead");
      if (member.role === MemberRole.LEADER) return { team, leader: member, formerLeader: null };
      const formerLeader = await tx.manager
        .createQueryBuilder(TeamMember, "member")
        .where("member.team_id = :teamId AND member.role = 'LEADER' AND member.active", { teamId: team.id })
        .setLock("pessimistic_write")
        .getOne();
      // Demote first: the partial unique index allows one active leader at any moment.
      if (formerLeader) {
        formerLeader.role = MemberRole.DEPUTY;
        await tx.manager.save(formerLeader);
      }
      member.role = MemberRole.LEADER;
      const leader = await tx.manager.save(member);
      return { team, leader, formerLeader };
    }).catch(translateUniqueViolation);
  }

  /**
   * A roster import for one team inside the caller's transaction (the roster sheet import,
   * modules/spreadsheets/member-import.service.ts).
   * Each entry is matched to an active member of the team by ID number, or else by name among
   * the members without an ID number on file (several such members of that name: AMBIGUOUS);
   * a match is updated, anything else is added. The roster rules are the same as for single
   * changes: one active leader (leadership changes only through appointTeamLeader, or when the
   * team has none), a person on one active roster at a time (on another team: refused naming it
   * for those who may know, saved flagged for a team leader, as in addTeamMember).
   * Members not in the import are left as they are. Every entry is checked first: on any
   * problem UserErrorsException lists them all and nothing is written.
   */
  async importRoster(tx: Transaction, actor: Actor, teamId: number, entries: readonly RosterImportEntry[]): Promise<RosterImportResult> {
    assertLeadsTeam(actor, teamId, "teams.what.changeRoster");
    const check = new InputErrors();
    for (const entry of entries) checkPersonFields(check, entry, true, (name) => entry.field(name));
    const team = await this.teams.requireTeam(tx.manager, teamId, entries[0]?.field("team") ?? "teamId", true);
    const members = await tx.manager
      .createQueryBuilder(TeamMember, "member")
      .where("member.team_id = :teamId AND member.active", { teamId })
      .orderBy("member.id")
      .setLock("pessimistic_write")
      .getMany();
    const idNumbers = entries.map((entry) => idNumberOf(entry.idNumber)).filter((id): id is string => id !== null);
    const onOtherTeam = new Map<string, IdNumberHolder>();
    if (idNumbers.length) {
      await lockIdNumbers(tx.manager, idNumbers);
      // The unflagged holder of each number comes first.
      for (const holder of await holdersOf(tx.manager, idNumbers, null)) {
        if (holder.team_id !== teamId && !onOtherTeam.has(holder.id_number)) onOtherTeam.set(holder.id_number, holder);
      }
    }
    const leader = members.find((member) => member.role === MemberRole.LEADER) ?? null;
    const today = await databaseToday(tx.manager);
    const matchedBy = new Map<number, RosterImportEntry>();
    const byIdNumber = new Map<string, RosterImportEntry>();
    let leaderEntry: RosterImportEntry | null = null;
    // conflict: null when the entry brings no ID number new to its member (the member's flag stays as it is).
    const changes: Array<{ entry: RosterImportEntry; member: TeamMember | null; conflict: IdNumberConflict | null }> = [];
    for (const entry of entries) {
      const name = entry.name.trim();
      const idNumber = idNumberOf(entry.idNumber);
      if (idNumber) {
        const first = byIdNumber.get(idNumber);
        if (first) {
          check.add(entry.field("idNumber"), "DUPLICATE", "teams.theSameIdNumberAs", { label: first.label });
          continue;
        }
        byIdNumber.set(idNumber, entry);
      }
      let member = idNumber ? (members.find((m) => m.idNumber === idNumber) ?? null) : null;
      if (!member) {
        const sameName = members.filter((m) => m.name === name && (!idNumber || m.idNumber === null));
        if (sameName.length > 1) {
          check.add(entry.field("name"), "AMBIGUOUS", "teams.membersNamedAreOnThe", { sameNameCount: sameName.length, name, teamName: team.name });
          continue;
        }
        member = sameName[0] ?? null;
      }
      if (member) {
        const first = matchedBy.get(member.id);
        if (first) {
          check.add(entry.field(idNumber ? "idNumber" : "name"), "DUPLICATE", "teams.thisIsTheSameMember", { label: first.label });
          continue;
        }
        matchedBy.set(member.id, entry);
      }
      // A number the matched member already has is theirs; a new one is checked against other teams.
      const outcome = idNumber && member?.idNumber !== idNumber ? conflictOnOtherTeam(actor, onOtherTeam.get(idNumber)) : null;
      if (outcome && "refusal" in outcome) {
        check.add(entry.field("idNumber"), "DUPLICATE", outcome.refusal.key, outcome.refusal.params);
        continue;
      }
      const role = entry.role ?? member?.role ?? MemberRole.MEMBER;
      if (member?.role === MemberRole.LEADER && role !== MemberRole.LEADER) {
        check.add(entry.field("role"), "INVALID_STATE", "teams.thisMemberLeadsTheTeam");
      } else if (role === MemberRole.LEADER) {
        if (leaderEntry) check.add(entry.field("role"), "DUPLICATE", "teams.aTeamHasOneLeader", { label: leaderEntry.label, name: team.name });
        else if (leader && leader.id !== member?.id) check.add(entry.field("role"), "DUPLICATE", "teams.alreadyHasAnActiveLeader", { name: team.name });
        leaderEntry ??= entry;
      }
      if (!member && !entry.employmentMode) check.add(entry.field("employmentMode"), "REQUIRED", "teams.aNewMemberNeedsThe");
      if (entry.joinedOn && entry.joinedOn > today) check.add(entry.field("joinedOn"), "OUT_OF_RANGE", "teams.theJoiningDateIsIn", { joinedOn: entry.joinedOn });
      changes.push({ entry, member, conflict: outcome });
    }
    check.throwIfAny();

    const added: Array<Partial<TeamMember>> = [];
    const updated: TeamMember[] = [];
    let unchanged = 0;
    for (const { entry, member, conflict } of changes) {
      const phone = entry.phone?.trim() || null;
      const idNumber = idNumberOf(entry.idNumber);
      const skills = entry.skills ? cleanSkills(entry.skills) : null;
      if (!member) {
        added.push({
          teamId: team.id,
          districtId: team.districtId,
          name: entry.name.trim(),
          role: entry.role ?? MemberRole.MEMBER,
          skills: skills ?? [],
          employmentMode: entry.employmentMode!,
          active: true,
          phone,
          idNumber,
          ...(conflict ?? NO_CONFLICT),
          joinedOn: entry.joinedOn ?? today,
          leftOn: null,
        });
        continue;
      }
      const next = {
        name: entry.name.trim(),
        role: entry.role ?? member.role,
        employmentMode: entry.employmentMode ?? member.employmentMode,
        phone: phone ?? member.phone,
        idNumber: idNumber ?? member.idNumber,
        skills: skills ?? member.skills,
        joinedOn: entry.joinedOn ?? member.joinedOn,
      };
      const same = (Object.keys(next) as Array<keyof typeof next>).every((key) => JSON.stringify(next[key]) === JSON.stringify(member[key]));
      if (same) {
        unchanged++;
        continue;
      }
      Object.assign(member, next, conflict ?? {});
      updated.push(await tx.manager.save(member).catch(translateUniqueViolation));
    }
    let addedMembers: TeamMember[] = [];
    if (added.length) {
      const result = await tx.manager.insert(TeamMember, added).catch(translateUniqueViolation);
      addedMembers = await tx.manager.find(TeamMember, { where: { id: In(result.identifiers.map((identifier) => identifier.id as number)) }, order: { id: "ASC" } });
    }
    return { added: addedMembers, updated, unchanged };
  }

  /**
   * Reads a member, checks the actor leads its team, then locks the team and the member (team
   * first, like every roster change) and re-reads it in case a concurrent transfer moved it.
   */
  private async lockMember(manager: EntityManager, actor: Actor, memberId: number, what: MessageKey): Promise<{ member: TeamMember; team: RescueTeam }> {
    const current = await manager.findOneBy(TeamMember, { id: memberId });
    if (!current) userError("input.memberId", "NOT_FOUND", "teams.thereIsNoSuchTeam");
    assertLeadsTeam(actor, current.teamId, what);
    const team = await this.teams.requireTeam(manager, current.teamId, "input.memberId", true);
    const member = await this.relockMember(manager, memberId, current.teamId);
    return { member, team };
  }

  private async relockMember(manager: EntityManager, memberId: number, expectedTeamId: number): Promise<TeamMember> {
    const member = await manager.createQueryBuilder(TeamMember, "member").where("member.id = :memberId", { memberId }).setLock("pessimistic_write").getOne();
    if (!member || member.teamId !== expectedTeamId) {
      userError("input.memberId", "INVALID_STATE", "teams.theMemberWasMovedTo");
    }
    return member;
  }

  private async refuseSecondLeader(manager: EntityManager, teamId: number, exceptMemberId: number | null): Promise<void> {
    const [leader] = await manager.query(`SELECT id FROM team_member WHERE team_id = $1 AND role = 'LEADER' AND active AND id <> $2`, [teamId, exceptMemberId ?? 0]);
    if (leader) userError("input.role", "DUPLICATE", "teams.theTeamAlreadyHasAn2");
  }

  private async replaceCertificates(manager: EntityManager, memberId: number, certificates: CertificateInput[]): Promise<void> {
    await manager.delete(MemberCertificate, { memberId });
    if (!certificates.length) return;
    await manager.insert(
      MemberCertificate,
      certificates.map((certificate) => ({
        memberId,
        name: certificate.name.trim(),
        number: certificate.number?.trim() || null,
        issuer: certificate.issuer?.trim() || null,
        issuedOn: certificate.issuedOn ?? null,
        expiresOn: certificate.expiresOn ?? null,
      })),
    );
  }
}
