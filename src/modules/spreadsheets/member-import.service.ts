// A roster from a sheet (队员名册导入): each row is one person on one team. Rows are checked
// first; each team's rows then go through the roster service's importRoster (the same rules as
// single roster changes, checked against the locked roster), team by team in one transaction.
// Any problem anywhere rolls the whole transaction back: the whole sheet or nothing.
import type { DataSource } from "typeorm";
import { UserErrorsException } from "../../core/graphql/errors";
import { InputErrors } from "../../core/mutation/input-errors";
import type { UnitOfWork } from "../../core/mutation/unit-of-work";
import type { TeamMember } from "../teams/member.entity";
import { checkPersonFields } from "../teams/member-fields";
import type { RosterImportEntry, RosterService } from "../teams/roster.service";
import { assertLeadsTeam } from "../teams/team.service";
import { dateValue, MEMBER_COLUMNS, MEMBER_INFO_HEADERS, textValue } from "./columns";
import { EMPLOYMENT_MODE_WORDS, enumFromWord, MEMBER_ROLE_WORDS } from "./labels";
import { openSheet, progressReporter, rowReader, throwRowErrors, type ImportOptions, type ImportSource } from "./sheet-import";
import { message } from "../../core/i18n/i18n";

type MemberColumn = (typeof MEMBER_COLUMNS)[number]["key"];

export interface MemberImportResult {
  sheetName: string;
  rows: number;
  teams: number;
  added: TeamMember[];
  updated: TeamMember[];
  /** Rows that matched a member whose details were already the same. */
  unchanged: number;
  ignoredColumns: string[];
}

interface MemberRow {
  rowNumber: number;
  teamCode: string;
  entry: RosterImportEntry;
}

/** Skills in one cell: 水域救援、绳索救援 / 急救, 搜救 / 急救；驾驶 */
function splitSkills(text: string): string[] {
  return text
    .split(/[、,，;；/|\n]+/)
    .map((skill) => skill.trim())
    .filter(Boolean);
}

export class MemberImportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly roster: RosterService,
  ) {}

  async importMembers(unit: UnitOfWork, source: ImportSource, options: ImportOptions = {}): Promise<MemberImportResult> {
    const { sheetName, match, rows } = await openSheet(source, MEMBER_COLUMNS, MEMBER_INFO_HEADERS);
    const check = new InputErrors();
    const members: MemberRow[] = [];
    const firstRowOfIdNumber = new Map<string, number>();
    const validated = progressReporter(options, "validated", rows.length);
    rows.forEach((row, i) => {
      const read = rowReader(match, row);
      const before = check.errors.length;
      const header = (key: MemberColumn) => match.columns.get(key)?.header ?? key;
      const teamCode = textValue(read.cell("teamCode"));
      if (!teamCode) check.add(read.field("teamCode"), "REQUIRED", "spreadsheets.isEmpty", { header: header("teamCode") });
      const name = textValue(read.cell("name"));
      if (!name) check.add(read.field("name"), "REQUIRED", "spreadsheets.isEmpty", { header: header("name") });
      const roleText = textValue(read.cell("role"));
      const role = roleText ? enumFromWord(MEMBER_ROLE_WORDS, roleText) : null;
      if (roleText && !role) check.add(read.field("role"), "INVALID_VALUE", "spreadsheets.isNotARoleUse", { roleText });
      const modeText = textValue(read.cell("employmentMode"));
      const employmentMode = modeText ? enumFromWord(EMPLOYMENT_MODE_WORDS, modeText) : null;
      if (modeText && !employmentMode) check.add(read.field("employmentMode"), "INVALID_VALUE", "spreadsheets.isNotAnEmploymentMode", { modeText });
      const joined = dateValue(read.cell("joinedOn"));
      if ("problem" in joined) check.add(read.field("joinedOn"), "INVALID_FORMAT", "spreadsheets.cellProblem", { header: header("joinedOn"), problem: joined.problem });
      // Phones and ID numbers arrive as numbers from Excel cells; spaces and dashes are how people write them.
      const phone = textValue(read.cell("phone"))?.replace(/[\s-]/g, "") ?? null;
      const idNumber = textValue(read.cell("idNumber"))?.replace(/\s/g, "").toUpperCase() ?? null;
      if (typeof read.cell("idNumber") === "number" && idNumber && idNumber.length > 15) {
        check.add(read.field("idNumber"), "INVALID_FORMAT", "spreadsheets.excelStoredThisIdNumber");
      } else if (idNumber) {
        const first = firstRowOfIdNumber.get(idNumber);
        if (first !== undefined) check.add(read.field("idNumber"), "DUPLICATE", "spreadsheets.theSameIdNumberAs", { first });
        else firstRowOfIdNumber.set(idNumber, row.rowNumber);
      }
      const skillsText = textValue(read.cell("skills"));
      const skills = skillsText ? splitSkills(skillsText) : null;
      if (name) checkPersonFields(check, { name, phone, idNumber, skills }, true, (key) => read.field(key));
      if (check.errors.length === before) {
        members.push({
          rowNumber: row.rowNumber,
          teamCode: teamCode!,
          entry: {
            name: name!,
            role,
            employmentMode,
            phone,
            idNumber,
            skills,
            joinedOn: (joined as { value: string | null }).value,
            label: message("spreadsheets.row", { row: row.rowNumber }),
            field: (key) => read.field(key === "team" ? "teamCode" : key),
          },
        });
      }
      validated(i + 1);
    });

    const result = await unit.transaction(this.dataSource, async (tx) => {
      // A fresh list per attempt: unit.transaction retries the work after a deadlock or a
      // serialization failure, and problems found by a rolled-back attempt must not stay.
      const problems = new InputErrors();
      problems.addAll(check.errors);
      const codes = [...new Set(members.map((member) => member.teamCode.toUpperCase()))];
      const teamRows: Array<{ id: number; code: string }> = await tx.manager.query(`SELECT id, code FROM rescue_team WHERE upper(code) = ANY($1::text[])`, [codes]);
      const teams = new Map(teamRows.map((team) => [team.code.toUpperCase(), team.id]));
      const byTeam = new Map<number, RosterImportEntry[]>();
      for (const member of members) {
        const teamId = teams.get(member.teamCode.toUpperCase());
        if (teamId === undefined) {
          problems.add(member.entry.field("team"), "NOT_FOUND", "spreadsheets.thereIsNoRescueTeam", { teamCode: member.teamCode });
          continue;
        }
        byTeam.set(teamId, [...(byTeam.get(teamId) ?? []), member.entry]);
      }
      // Who may change which roster is decided before any row is reported: a leader's sheet with another team's rows is refused.
      for (const teamId of byTeam.keys()) assertLeadsTeam(unit.actor, teamId, "teams.what.changeRoster");

      const added: TeamMember[] = [];
      const updated: TeamMember[] = [];
      let unchanged = 0;
      // Rows already known to be bad: the remaining rows are still checked against the rosters
      // (every problem in one go), but nothing will be committed, so no "written" progress.
      const written = progressReporter(problems.errors.length ? {} : options, "written", members.length);
      let done = 0;
      // Ascending team id, so two imports over the same teams lock them in the same order.
      for (const teamId of [...byTeam.keys()].sort((a, b) => a - b)) {
        const entries = byTeam.get(teamId)!;
        try {
          const outcome = await this.roster.importRoster(tx, unit.actor, teamId, entries);
          added.push(...outcome.added);
          updated.push(...outcome.updated);
          unchanged += outcome.unchanged;
        } catch (error) {
          if (!(error instanceof UserErrorsException)) throw error;
          problems.addAll(error.errors);
        }
        done += entries.length;
        written(done);
      }
      throwRowErrors(problems.errors);
      return { teams: byTeam.size, added, updated, unchanged };
    });
    return { sheetName, rows: rows.length, ignoredColumns: match.ignored, ...result };
  }
}
