// Rosters (队员名册): a team's leader (or an administrator) keeps them current. Every change
// locks the team row first, so roster changes of one team run one after another and the
// "exactly one active leader" rule is checked against what is really there; the partial
// unique index UQ_team_member_active_leader refuses a second leader even so.
//
// A person is on one active roster at a time, but the answer to "is this ID number on another
// team's roster?" must not reach a team leader: with it, one sheet of candidate numbers finds
// out any masked number and whose member it is. So for a team leader a number on another team
// is saved like any other, the member flagged (id_number_conflict_with) for the district to
// resolve (rosterConflicts); those who see every team's personal data get the refusal naming
// the team. Checks of one number are serialized by an advisory lock on it, taken after the
// team row, so two leaders adding the same number at once are one holder and one conflict.
import { In, type DataSource, type EntityManager } from "typeorm";
import type { Actor } from "../../core/access/auth";
import { maySeePersonalData } from "../../core/access/personal-data";
import { UserError, UserErrorsException, userError } from "../../core/graphql/errors";
import { parseGlobalId } from "../../core/graphql/relay";
import { inTransaction, type Transaction } from "../../core/db/transaction";
import { EmploymentMode, MemberRole } from "./team.enums";
import type { RescueTeam } from "./team.entity";
import type { AddTeamMemberInput, AppointTeamLeaderInput, CertificateInput, DeactivateTeamMemberInput, TransferTeamMemberInput, UpdateTeamMemberInput } from "./team.inputs";
import { MemberCertificate, TeamMember } from "./member.entity";
import type { ReadinessService } from "./readiness.service";
import { assertLeadsTeam, type TeamService } from "./team.service";

const NAME_MAX = 50;
const SKILL_MAX = 30;
const SKILLS_MAX = 20;
const CERTIFICATES_MAX = 20;
const TEXT_MAX = 100;

/** GB 11643-1999 check digit of an 18-character resident ID number. */
export function idNumberCheckDigit(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((total, digit, i) => total + Number(digit) * weights[i], 0);
  return "10X98765432"[sum % 11];
}

export function isValidIdNumber(value: string): boolean {
  return /^\d{17}[\dX]$/.test(value) && idNumberCheckDigit(value.slice(0, 17)) === value[17];
}

/** Mainland mobile numbers: 11 digits starting 13–19. */
export function isValidPhone(value: string): boolean {
  return /^1[3-9]\d{9}$/.test(value);
}

interface MemberFields {
  name?: string | null;
  skills?: string[] | null;
  phone?: string | null;
  idNumber?: string | null;
  certificates?: CertificateInput[] | null;
}

/** Checks the free-form fields of a member, collecting every problem so the user fixes them in one go. */
export function memberFieldErrors(input: MemberFields, nameRequired: boolean, field: (name: string) => string = (name) => `input.${name}`): UserError[] {
  const errors: UserError[] = [];
  if (input.name !== undefined && input.name !== null) {
    const name = input.name.trim();
    if (!name) errors.push(new UserError(field("name"), "REQUIRED", "name must not be empty."));
    else if ([...name].length > NAME_MAX) errors.push(new UserError(field("name"), "OUT_OF_RANGE", `name must be at most ${NAME_MAX} characters.`));
  } else if (nameRequired) {
    errors.push(new UserError(field("name"), "REQUIRED", "name is required."));
  }
  if (input.phone && !isValidPhone(input.phone.trim())) {
    errors.push(new UserError(field("phone"), "INVALID_FORMAT", "phone must be an 11-digit mobile number, e.g. 13812345678."));
  }
  if (input.idNumber && !isValidIdNumber(input.idNumber.trim().toUpperCase())) {
    errors.push(new UserError(field("idNumber"), "INVALID_FORMAT", "idNumber must be an 18-character resident ID number with a valid check digit."));
  }
  if (input.skills) {
    if (input.skills.length > SKILLS_MAX) errors.push(new UserError(field("skills"), "OUT_OF_RANGE", `at most ${SKILLS_MAX} skills.`));
    input.skills.forEach((skill, i) => {
      const text = skill.trim();
      if (!text || [...text].length > SKILL_MAX) errors.push(new UserError(field(`skills[${i}]`), "OUT_OF_RANGE", `each skill must have 1 to ${SKILL_MAX} characters.`));
    });
  }
  if (input.certificates) {
    if (input.certificates.length > CERTIFICATES_MAX) errors.push(new UserError(field("certificates"), "OUT_OF_RANGE", `at most ${CERTIFICATES_MAX} certificates.`));
    input.certificates.forEach((certificate, i) => {
      const prefix = field(`certificates[${i}]`);
      if (!certificate.name?.trim()) errors.push(new UserError(`${prefix}.name`, "REQUIRED", "a certificate needs a name."));
      for (const key of ["name", "number", "issuer"] as const) {
        if ((certificate[key]?.length ?? 0) > TEXT_MAX) errors.push(new UserError(`${prefix}.${key}`, "OUT_OF_RANGE", `${key} must be at most ${TEXT_MAX} characters.`));
      }
      if (certificate.issuedOn && certificate.expiresOn && certificate.expiresOn < certificate.issuedOn) {
        errors.push(new UserError(`${prefix}.expiresOn`, "OUT_OF_RANGE", "a certificate cannot expire before it was issued."));
      }
    });
  }
  return errors;
}

function throwIfAny(errors: UserError[]): void {
  if (errors.length) throw new UserErrorsException(errors);
}

function cleanSkills(skills: string[]): string[] {
  return [...new Set(skills.map((skill) => skill.trim()))];
}

/** pg_advisory_xact_lock(ID_NUMBER_LOCK, hashtext(number)): the two-key space, apart from the migration lock's one key. */
const ID_NUMBER_LOCK = 0x69646e72; // "idnr"

/** An active member holding an ID number, as the conflict check reads it. */
interface IdNumberHolder {
  id: number;
  team_id: number;
  id_number: string;
  team_name: string;
  team_code: string;
  /** The database's now(), the time a conflict found here is recorded at. */
  checked_at: Date;
}

/** The conflict a member is saved with: none, or the other team's member holding the number. */
interface IdNumberConflict {
  idNumberConflictWith: number | null;
  idNumberConflictSince: Date | null;
}

const NO_CONFLICT: IdNumberConflict = { idNumberConflictWith: null, idNumberConflictSince: null };

/** Whether the actor may be told which team holds an ID number: those who see every team's personal data. */
function mayLearnHolder(actor: Actor): boolean {
  return maySeePersonalData(actor, null);
}

function holderRefusal(holder: IdNumberHolder): string {
  return `This person is on the active roster of ${holder.team_name} (${holder.team_code}); transfer them with transferTeamMember.`;
}

/**
 * What saving a number does that `holder`, a member of another team, may already have: none,
 * no conflict; one, the refusal naming its team for an actor who may learn that, and for a team
 * leader the conflict to record, the answer otherwise the same as if nobody held it.
 */
function conflictOnOtherTeam(actor: Actor, holder: IdNumberHolder | undefined): { refusal: string } | IdNumberConflict {
  if (!holder) return NO_CONFLICT;
  if (mayLearnHolder(actor)) return { refusal: holderRefusal(holder) };
  return { idNumberConflictWith: holder.id, idNumberConflictSince: holder.checked_at };
}

/** Turns a unique violation that slipped past the checks (a concurrent insert) into the UserError it stands for. */
function translateUniqueViolation(error: unknown): never {
  const driverError = (error as { driverError?: { code?: string; constraint?: string } }).driverError ?? (error as { code?: string; constraint?: string });
  if (driverError?.code === "23505") {
    if (driverError.constraint === "UQ_team_member_active_leader") userError("input.role", "DUPLICATE", "The team already has an active leader.");
    if (driverError.constraint === "UQ_team_member_active_id_number") userError("input.idNumber", "DUPLICATE", "A person with this ID number is already on an active roster.");
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
  label: string;
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

  async addTeamMember(actor: Actor, input: AddTeamMemberInput): Promise<{ member: TeamMember }> {
    const teamId = parseGlobalId(input.teamId, "RescueTeam", "input.teamId");
    assertLeadsTeam(actor, teamId, "change this team's roster");
    throwIfAny(memberFieldErrors(input, true));
    return inTransaction(this.dataSource, async (tx) => {
      const team = await this.teams.requireTeam(tx.manager, teamId, "input.teamId", true);
      const role = input.role ?? MemberRole.MEMBER;
      if (role === MemberRole.LEADER) await this.refuseSecondLeader(tx.manager, team.id, null);
      const idNumber = input.idNumber?.trim().toUpperCase() || null;
      const conflict = idNumber ? await this.checkIdNumber(tx.manager, actor, team.id, idNumber, null) : NO_CONFLICT;
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
            joinedOn: input.joinedOn ?? (await this.today(tx.manager)),
            leftOn: null,
          }),
        )
        .catch(translateUniqueViolation);
      if (input.certificates?.length) await this.replaceCertificates(tx.manager, member.id, input.certificates);
      return { member };
    }).catch(translateUniqueViolation);
  }

  async updateTeamMember(actor: Actor, input: UpdateTeamMemberInput): Promise<{ member: TeamMember }> {
    const memberId = parseGlobalId(input.memberId, "TeamMember", "input.memberId");
    throwIfAny(memberFieldErrors(input, false));
    return inTransaction(this.dataSource, async (tx) => {
      const { member } = await this.lockMember(tx.manager, actor, memberId, "change this team's roster");
      if (!member.active) userError("input.memberId", "INVALID_STATE", "Former members are kept for history and cannot be changed.");
      if (input.role && input.role !== member.role) {
        if (member.role === MemberRole.LEADER) {
          userError("input.role", "INVALID_STATE", "This member leads the team: appoint another leader with appointTeamLeader first.");
        }
        if (input.role === MemberRole.LEADER) await this.refuseSecondLeader(tx.manager, member.teamId, member.id);
        member.role = input.role;
      }
      if (input.name) member.name = input.name.trim();
      if (input.skills) member.skills = cleanSkills(input.skills);
      if (input.employmentMode) member.employmentMode = input.employmentMode;
      if (input.phone !== undefined && input.phone !== null) member.phone = input.phone.trim() || null;
      const previousIdNumber = member.idNumber;
      const idNumber = input.idNumber?.trim().toUpperCase() || null;
      const idNumberChanges = idNumber !== null && idNumber !== previousIdNumber;
      if (idNumberChanges) {
        await this.lockIdNumbers(tx.manager, previousIdNumber ? [previousIdNumber, idNumber] : [idNumber]);
        Object.assign(member, { idNumber }, await this.checkIdNumber(tx.manager, actor, member.teamId, idNumber, member.id, false));
      }
      const saved = await tx.manager.save(member).catch(translateUniqueViolation);
      if (idNumberChanges && previousIdNumber) await this.reconcileIdNumber(tx.manager, previousIdNumber);
      if (input.certificates) await this.replaceCertificates(tx.manager, member.id, input.certificates);
      return { member: saved };
    }).catch(translateUniqueViolation);
  }

  async deactivateTeamMember(actor: Actor, input: DeactivateTeamMemberInput): Promise<{ member: TeamMember }> {
    const memberId = parseGlobalId(input.memberId, "TeamMember", "input.memberId");
    return inTransaction(this.dataSource, async (tx) => {
      const { member, team } = await this.lockMember(tx.manager, actor, memberId, "change this team's roster");
      if (!member.active) userError("input.memberId", "INVALID_STATE", "The member is already off the active roster.");
      if (member.role === MemberRole.LEADER) {
        userError("input.memberId", "INVALID_STATE", "This member leads the team: appoint another leader with appointTeamLeader first.");
      }
      const today = await this.today(tx.manager);
      const leftOn = input.leftOn ?? today;
      if (leftOn > today || leftOn < member.joinedOn) {
        userError("input.leftOn", "OUT_OF_RANGE", `leftOn must lie between the joining date ${member.joinedOn} and today.`);
      }
      if (member.idNumber) await this.lockIdNumbers(tx.manager, [member.idNumber]);
      member.active = false;
      member.leftOn = leftOn;
      // A former member conflicts with nobody; those flagged against them are put right below.
      Object.assign(member, NO_CONFLICT);
      const saved = await tx.manager.save(member);
      if (member.idNumber) await this.reconcileIdNumber(tx.manager, member.idNumber);
      await this.readiness.clampAvailable(tx.manager, team, await this.teams.activeMemberCount(tx.manager, team.id));
      return { member: saved };
    });
  }

  /** The source team's leader (or ADMIN) moves an active, non-leading member to another team. */
  async transferTeamMember(actor: Actor, input: TransferTeamMemberInput): Promise<{ member: TeamMember; fromTeam: RescueTeam }> {
    const memberId = parseGlobalId(input.memberId, "TeamMember", "input.memberId");
    const toTeamId = parseGlobalId(input.toTeamId, "RescueTeam", "input.toTeamId");
    return inTransaction(this.dataSource, async (tx) => {
      const current = await tx.manager.findOneBy(TeamMember, { id: memberId });
      if (!current) userError("input.memberId", "NOT_FOUND", "There is no such team member.");
      assertLeadsTeam(actor, current.teamId, "move members off this team's roster");
      if (current.teamId === toTeamId) userError("input.toTeamId", "INVALID_STATE", "The member is already on this team.");
      // Both team rows, lowest id first, so two opposite transfers cannot deadlock.
      const [first, second] = [current.teamId, toTeamId].sort((a, b) => a - b);
      const locked = new Map<number, RescueTeam>();
      for (const id of [first, second]) {
        locked.set(id, await this.teams.requireTeam(tx.manager, id, id === toTeamId ? "input.toTeamId" : "input.memberId", true));
      }
      const member = await this.relockMember(tx.manager, memberId, current.teamId);
      if (!member.active) userError("input.memberId", "INVALID_STATE", "Former members cannot be transferred.");
      if (member.role === MemberRole.LEADER) {
        userError("input.memberId", "INVALID_STATE", "This member leads the team: appoint another leader with appointTeamLeader before transferring them.");
      }
      const fromTeam = locked.get(current.teamId)!;
      const toTeam = locked.get(toTeamId)!;
      member.teamId = toTeam.id;
      member.districtId = toTeam.districtId;
      member.role = MemberRole.MEMBER;
      member.joinedOn = await this.today(tx.manager);
      const saved = await tx.manager.save(member);
      await this.readiness.clampAvailable(tx.manager, fromTeam, await this.teams.activeMemberCount(tx.manager, fromTeam.id));
      return { member: saved, fromTeam };
    });
  }

  /** Makes an active member of the team its leader; the former leader stays on as DEPUTY. */
  async appointTeamLeader(actor: Actor, input: AppointTeamLeaderInput): Promise<{ team: RescueTeam; leader: TeamMember; formerLeader: TeamMember | null }> {
    const teamId = parseGlobalId(input.teamId, "RescueTeam", "input.teamId");
    const memberId = parseGlobalId(input.memberId, "TeamMember", "input.memberId");
    assertLeadsTeam(actor, teamId, "appoint this team's leader");
    return inTransaction(this.dataSource, async (tx) => {
      const team = await this.teams.requireTeam(tx.manager, teamId, "input.teamId", true);
      const member = await tx.manager.createQueryBuilder(TeamMember, "member").where("member.id = :memberId", { memberId }).setLock("pessimistic_write").getOne();
      if (!member) userError("input.memberId", "NOT_FOUND", "There is no such team member.");
      if (member.teamId !== team.id) userError("input.memberId", "WRONG_TEAM", "The member belongs to another team; transfer them to this team first.");
      if (!member.active) userError("input.memberId", "INVALID_STATE", "An inactive member cannot lead the team.");
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
   * A roster import for one team inside the caller's transaction (sheet imports, issue 8).
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
    assertLeadsTeam(actor, teamId, "change this team's roster");
    const errors: UserError[] = [];
    for (const entry of entries) {
      errors.push(...memberFieldErrors({ name: entry.name, phone: entry.phone, idNumber: entry.idNumber, skills: entry.skills }, true, (name) => entry.field(name.replace(/\[\d+\]$/, "") as "name")));
    }
    const team = await this.teams.requireTeam(tx.manager, teamId, entries[0]?.field("team") ?? "teamId", true);
    const members = await tx.manager
      .createQueryBuilder(TeamMember, "member")
      .where("member.team_id = :teamId AND member.active", { teamId })
      .orderBy("member.id")
      .setLock("pessimistic_write")
      .getMany();
    const idNumbers = entries.map((entry) => entry.idNumber?.trim().toUpperCase()).filter((id): id is string => !!id);
    const onOtherTeam = new Map<string, IdNumberHolder>();
    if (idNumbers.length) {
      await this.lockIdNumbers(tx.manager, idNumbers);
      // The unflagged holder of each number comes first.
      for (const holder of await this.holdersOf(tx.manager, idNumbers, null)) {
        if (holder.team_id !== teamId && !onOtherTeam.has(holder.id_number)) onOtherTeam.set(holder.id_number, holder);
      }
    }
    const leader = members.find((member) => member.role === MemberRole.LEADER) ?? null;
    const today = await this.today(tx.manager);
    const matchedBy = new Map<number, RosterImportEntry>();
    const byIdNumber = new Map<string, RosterImportEntry>();
    let leaderEntry: RosterImportEntry | null = null;
    // conflict: null when the entry brings no ID number new to its member (the member's flag stays as it is).
    const changes: Array<{ entry: RosterImportEntry; member: TeamMember | null; conflict: IdNumberConflict | null }> = [];
    for (const entry of entries) {
      const name = entry.name.trim();
      const idNumber = entry.idNumber?.trim().toUpperCase() || null;
      if (idNumber) {
        const first = byIdNumber.get(idNumber);
        if (first) {
          errors.push(new UserError(entry.field("idNumber"), "DUPLICATE", `The same ID number as ${first.label}.`));
          continue;
        }
        byIdNumber.set(idNumber, entry);
      }
      let member = idNumber ? (members.find((m) => m.idNumber === idNumber) ?? null) : null;
      if (!member) {
        const sameName = members.filter((m) => m.name === name && (!idNumber || m.idNumber === null));
        if (sameName.length > 1) {
          errors.push(new UserError(entry.field("name"), "AMBIGUOUS", `${sameName.length} members named ${name} are on the roster of ${team.name}; give the ID number (身份证号) to say which.`));
          continue;
        }
        member = sameName[0] ?? null;
      }
      if (member) {
        const first = matchedBy.get(member.id);
        if (first) {
          errors.push(new UserError(entry.field(idNumber ? "idNumber" : "name"), "DUPLICATE", `This is the same member as ${first.label}.`));
          continue;
        }
        matchedBy.set(member.id, entry);
      }
      // A number the matched member already has is theirs; a new one is checked against other teams.
      const outcome = idNumber && member?.idNumber !== idNumber ? conflictOnOtherTeam(actor, onOtherTeam.get(idNumber)) : null;
      if (outcome && "refusal" in outcome) {
        errors.push(new UserError(entry.field("idNumber"), "DUPLICATE", outcome.refusal));
        continue;
      }
      const role = entry.role ?? member?.role ?? MemberRole.MEMBER;
      if (member?.role === MemberRole.LEADER && role !== MemberRole.LEADER) {
        errors.push(new UserError(entry.field("role"), "INVALID_STATE", "This member leads the team: appoint another leader with appointTeamLeader first."));
      } else if (role === MemberRole.LEADER) {
        if (leaderEntry) errors.push(new UserError(entry.field("role"), "DUPLICATE", `A team has one leader; ${leaderEntry.label} already names the leader of ${team.name}.`));
        else if (leader && leader.id !== member?.id) errors.push(new UserError(entry.field("role"), "DUPLICATE", `${team.name} already has an active leader; appoint a new one with appointTeamLeader.`));
        leaderEntry ??= entry;
      }
      if (!member && !entry.employmentMode) errors.push(new UserError(entry.field("employmentMode"), "REQUIRED", "A new member needs the employment mode (用工方式)."));
      if (entry.joinedOn && entry.joinedOn > today) errors.push(new UserError(entry.field("joinedOn"), "OUT_OF_RANGE", `The joining date ${entry.joinedOn} is in the future.`));
      changes.push({ entry, member, conflict: outcome });
    }
    throwIfAny(errors);

    const added: Array<Partial<TeamMember>> = [];
    const updated: TeamMember[] = [];
    let unchanged = 0;
    for (const { entry, member, conflict } of changes) {
      const phone = entry.phone?.trim() || null;
      const idNumber = entry.idNumber?.trim().toUpperCase() || null;
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
  private async lockMember(manager: EntityManager, actor: Actor, memberId: number, what: string): Promise<{ member: TeamMember; team: RescueTeam }> {
    const current = await manager.findOneBy(TeamMember, { id: memberId });
    if (!current) userError("input.memberId", "NOT_FOUND", "There is no such team member.");
    assertLeadsTeam(actor, current.teamId, what);
    const team = await this.teams.requireTeam(manager, current.teamId, "input.memberId", true);
    const member = await this.relockMember(manager, memberId, current.teamId);
    return { member, team };
  }

  private async relockMember(manager: EntityManager, memberId: number, expectedTeamId: number): Promise<TeamMember> {
    const member = await manager.createQueryBuilder(TeamMember, "member").where("member.id = :memberId", { memberId }).setLock("pessimistic_write").getOne();
    if (!member || member.teamId !== expectedTeamId) {
      userError("input.memberId", "INVALID_STATE", "The member was moved to another team meanwhile; reload and try again.");
    }
    return member;
  }

  private async refuseSecondLeader(manager: EntityManager, teamId: number, exceptMemberId: number | null): Promise<void> {
    const [leader] = await manager.query(`SELECT id FROM team_member WHERE team_id = $1 AND role = 'LEADER' AND active AND id <> $2`, [teamId, exceptMemberId ?? 0]);
    if (leader) userError("input.role", "DUPLICATE", "The team already has an active leader; appoint a new one with appointTeamLeader.");
  }

  /**
   * Locks `idNumber` (unless the caller holds its lock already) and decides what saving it on
   * team `teamId` does: held on that very team, refused (its leader sees that roster anyway);
   * held elsewhere, see conflictOnOtherTeam. Runs the same statements whatever it finds.
   */
  private async checkIdNumber(manager: EntityManager, actor: Actor, teamId: number, idNumber: string, exceptMemberId: number | null, lock = true): Promise<IdNumberConflict> {
    if (lock) await this.lockIdNumbers(manager, [idNumber]);
    const holders = await this.holdersOf(manager, [idNumber], exceptMemberId);
    if (holders.some((holder) => holder.team_id === teamId)) userError("input.idNumber", "DUPLICATE", "A person with this ID number is already on this team's roster.");
    const outcome = conflictOnOtherTeam(actor, holders[0]);
    if ("refusal" in outcome) userError("input.idNumber", "DUPLICATE", outcome.refusal);
    return outcome;
  }

  /** Transaction-scoped locks on ID numbers, taken in key order so two transactions never wait for each other crosswise. */
  private async lockIdNumbers(manager: EntityManager, idNumbers: readonly string[]): Promise<void> {
    await manager.query(
      `SELECT count(pg_advisory_xact_lock(${ID_NUMBER_LOCK}, key))::int AS locked FROM (SELECT DISTINCT hashtext(n) AS key FROM unnest($1::text[]) n ORDER BY key) keys`,
      [[...idNumbers]],
    );
  }

  /** Active members holding these ID numbers (but `exceptMemberId`), per number the unflagged holder first. */
  private holdersOf(manager: EntityManager, idNumbers: readonly string[], exceptMemberId: number | null): Promise<IdNumberHolder[]> {
    return manager.query(
      `SELECT m.id, m.team_id, m.id_number, t.name AS team_name, t.code AS team_code, now() AS checked_at
       FROM team_member m JOIN rescue_team t ON t.id = m.team_id
       WHERE m.active AND m.id_number = ANY($1::text[]) AND m.id <> $2
       ORDER BY m.id_number, m.id_number_conflict_with IS NOT NULL, m.id`,
      [[...idNumbers], exceptMemberId ?? 0],
    );
  }

  /**
   * After a member stopped holding `idNumber` (left the roster, or had the number corrected), in
   * the same transaction and under the number's lock: the records still holding it are put right.
   * The unflagged holder stays; without one, the earliest flagged record becomes the holder and
   * its flag clears; the others point at it, keeping the time their conflict was first recorded.
   * One statement whether or not anything changes.
   */
  private async reconcileIdNumber(manager: EntityManager, idNumber: string): Promise<void> {
    await manager.query(
      `WITH holder AS (
         SELECT id FROM team_member WHERE active AND id_number = $1 ORDER BY id_number_conflict_with IS NOT NULL, id LIMIT 1
       )
       UPDATE team_member m
       SET id_number_conflict_with = nullif(holder.id, m.id),
           id_number_conflict_since = CASE WHEN holder.id = m.id THEN NULL ELSE coalesce(m.id_number_conflict_since, now()) END
       FROM holder
       WHERE m.active AND m.id_number = $1 AND m.id_number_conflict_with IS DISTINCT FROM nullif(holder.id, m.id)`,
      [idNumber],
    );
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

  /** Today in the database's time zone, so dates agree with CURRENT_DATE in queries. */
  private async today(manager: EntityManager): Promise<string> {
    const [{ today }] = await manager.query(`SELECT CURRENT_DATE::text AS today`);
    return today;
  }
}
