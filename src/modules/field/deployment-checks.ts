// Checks before a team goes (出动前检查), configured per team kind in deployment_check_rule:
// registration (social teams), party organisation, information disclosed within the period,
// readiness not stale, and — once the members going are named — their certificates and insurance.
// A failed WARNING needs the commander's acknowledgement (kept on the call-up or deployment and in
// the audit entry's input); a failed REFUSE rule keeps the team at home. Used by the call-ups here
// and by dispatch's deployTeam.
import type { EntityManager } from "typeorm";
import { userError } from "../../core/graphql/errors";
import { message, messageList, render, type Locale, type Message } from "../../core/i18n/i18n";
import { PARTY_ORGANISATION_WORDS } from "../spreadsheets/labels";
import { localTime, word } from "./field-labels";
import type { RescueTeam } from "../teams/team.entity";
import { TeamKind } from "../teams/team.enums";
import type { TeamService } from "../teams/team.service";
import { CheckResult, DeploymentCheckRule, type CheckResultRow } from "./call-up.entity";
import { CheckCode, CheckSeverity } from "./field.enums";

const DEFAULT_DISCLOSURE_DAYS = 365;

export interface CheckContext {
  skills: readonly string[];
  /** The members going; null before they are named (then member checks wait). */
  memberIds: readonly number[] | null;
  /** False for deployTeam: NO_CALL_UP applies. */
  viaCallUp: boolean;
}

/** The default rules, seeded (seeds/field.seed.ts) and documented in the README. */
export const DEFAULT_CHECK_RULES: ReadonlyArray<{ teamKind: TeamKind; checkCode: CheckCode; severity: CheckSeverity; skill?: string; maxAgeDays?: number }> = [
  { teamKind: TeamKind.SOCIAL, checkCode: CheckCode.REGISTRATION, severity: CheckSeverity.REFUSE },
  { teamKind: TeamKind.SOCIAL, checkCode: CheckCode.PARTY_ORGANISATION, severity: CheckSeverity.WARNING },
  { teamKind: TeamKind.SOCIAL, checkCode: CheckCode.DISCLOSURE, severity: CheckSeverity.WARNING, maxAgeDays: DEFAULT_DISCLOSURE_DAYS },
  { teamKind: TeamKind.SOCIAL, checkCode: CheckCode.READINESS, severity: CheckSeverity.WARNING },
  { teamKind: TeamKind.SOCIAL, checkCode: CheckCode.CERTIFICATES, severity: CheckSeverity.WARNING },
  { teamKind: TeamKind.SOCIAL, checkCode: CheckCode.INSURANCE, severity: CheckSeverity.WARNING },
  { teamKind: TeamKind.SOCIAL, checkCode: CheckCode.INSURANCE, severity: CheckSeverity.REFUSE, skill: "水域救援" },
  { teamKind: TeamKind.SOCIAL, checkCode: CheckCode.NO_CALL_UP, severity: CheckSeverity.WARNING },
  { teamKind: TeamKind.MILITIA, checkCode: CheckCode.INSURANCE, severity: CheckSeverity.WARNING },
  { teamKind: TeamKind.MILITIA, checkCode: CheckCode.INSURANCE, severity: CheckSeverity.REFUSE, skill: "水域救援" },
  { teamKind: TeamKind.COMMUNITY_FIRE_STATION, checkCode: CheckCode.INSURANCE, severity: CheckSeverity.WARNING },
];

export class DeploymentChecks {
  constructor(readonly teams: TeamService) {}

  async rulesFor(manager: EntityManager, kind: string): Promise<DeploymentCheckRule[]> {
    return manager.getRepository(DeploymentCheckRule).find({ where: { teamKind: kind }, order: { id: "ASC" } });
  }

  /** The failed checks, in check order; each check once, at the gravest severity of the rules that apply. */
  async evaluate(manager: EntityManager, team: RescueTeam, context: CheckContext): Promise<CheckResultRow[]> {
    const rules = (await this.rulesFor(manager, team.kind)).filter((rule) => rule.skill === "" || context.skills.includes(rule.skill));
    const byCode = new Map<CheckCode, DeploymentCheckRule>();
    for (const rule of rules) {
      const held = byCode.get(rule.checkCode);
      if (!held || (held.severity === CheckSeverity.WARNING && rule.severity === CheckSeverity.REFUSE)) byCode.set(rule.checkCode, rule);
    }
    const members = context.memberIds && context.memberIds.length ? await this.memberFacts(manager, context.memberIds, context.skills) : null;
    const results: CheckResultRow[] = [];
    for (const code of Object.values(CheckCode)) {
      const rule = byCode.get(code);
      if (!rule) continue;
      const detail = await this.failure(manager, code, rule, team, context, members);
      if (detail) results.push({ code, severity: rule.severity, detail });
    }
    return results;
  }

  private async failure(
    manager: EntityManager,
    code: CheckCode,
    rule: DeploymentCheckRule,
    team: RescueTeam,
    context: CheckContext,
    members: { uncertified: number; uninsured: number; skills: Set<string> } | null,
  ): Promise<Record<string, string | number> | null> {
    switch (code) {
      case CheckCode.REGISTRATION:
        return team.registrationNumber ? null : {};
      case CheckCode.PARTY_ORGANISATION:
        return team.partyOrganisation && team.partyOrganisation !== "NONE" ? null : { status: team.partyOrganisation ?? "—" };
      case CheckCode.DISCLOSURE: {
        const days = rule.maxAgeDays ?? DEFAULT_DISCLOSURE_DAYS;
        if (!team.lastDisclosureOn) return { days, last: "—" };
        const [{ age }] = await manager.query(`SELECT (CURRENT_DATE - $1::date)::int AS age`, [team.lastDisclosureOn]);
        return age > days ? { days, last: team.lastDisclosureOn } : null;
      }
      case CheckCode.READINESS:
        return this.teams.isStale(team) ? { hours: this.teams.freshnessHours, last: team.readinessReportedAt ? new Date(team.readinessReportedAt).toISOString() : "—" } : null;
      case CheckCode.CERTIFICATES: {
        if (!members) return null;
        const missing = context.skills.filter((skill) => !members.skills.has(skill));
        return members.uncertified > 0 || missing.length ? { uncertified: members.uncertified, missing: missing.join("、") } : null;
      }
      case CheckCode.INSURANCE:
        return members && members.uninsured > 0 ? { uninsured: members.uninsured } : null;
      case CheckCode.NO_CALL_UP:
        return context.viaCallUp ? null : {};
    }
  }

  /**
   * One statement over the members going (each counted once): how many hold no valid certificate
   * for the task's skills (any valid certificate when the task names none), how many no valid
   * insurance, and which of the skills some member going holds a valid certificate for.
   */
  private async memberFacts(manager: EntityManager, memberIds: readonly number[], skills: readonly string[]) {
    const need = skills.flatMap((skill) => certificateWordsFor(skill).map((word) => [skill, word] as const));
    const [row] = await manager.query(
      `WITH need(skill, word) AS (SELECT * FROM unnest($2::text[], $3::text[])),
            certified AS (
              SELECT c.member_id, n.skill
              FROM member_certificate c LEFT JOIN need n ON position(n.word IN c.name) > 0
              WHERE c.member_id = ANY($1::int[]) AND (c.expires_on IS NULL OR c.expires_on >= CURRENT_DATE)
                AND (n.skill IS NOT NULL OR cardinality($2::text[]) = 0))
       SELECT count(DISTINCT m.id) FILTER (WHERE NOT EXISTS (SELECT 1 FROM certified WHERE certified.member_id = m.id))::int AS uncertified,
              count(DISTINCT m.id) FILTER (WHERE NOT EXISTS (SELECT 1 FROM member_insurance i WHERE i.member_id = m.id AND i.starts_on <= CURRENT_DATE AND i.expires_on >= CURRENT_DATE))::int AS uninsured,
              coalesce((SELECT array_agg(DISTINCT skill) FROM certified WHERE skill IS NOT NULL), '{}') AS covered
       FROM team_member m
       WHERE m.id = ANY($1::int[])`,
      [[...memberIds], need.map(([skill]) => skill), need.map(([, word]) => word)],
    );
    return { uncertified: Number(row.uncertified), uninsured: Number(row.uninsured), skills: new Set<string>(row.covered) };
  }
}

/**
 * Certificates name no skill: a certificate shows a skill when its name contains the skill itself
 * (水域救援员证 for 水域救援) or one of these words (红十字救护员证 for 急救). Decision recorded in the README.
 */
export const SKILL_CERTIFICATE_WORDS: Readonly<Record<string, readonly string[]>> = {
  急救: ["救护员", "急救"],
  无线电通信: ["无线电"],
  水域救援: ["水上救援", "潜水", "救生员"],
  冲锋舟驾驶: ["船舶驾驶", "冲锋舟"],
  灭火救援: ["消防员"],
  初起火灾扑救: ["消防"],
  消防巡查: ["消防"],
  疏散引导: ["消防"],
  设备操作: ["特种作业"],
  专业抢险: ["特种作业"],
  风险研判: ["注册安全工程师"],
  技术指导: ["注册安全工程师"],
  现场评估: ["注册安全工程师"],
  防汛抢险: ["应急救援员", "民兵应急"],
  群众转移: ["应急救援员", "民兵应急"],
  山地搜救: ["应急救援员", "民兵应急"],
  道路抢通: ["民兵应急"],
  森林灭火: ["应急救援员", "民兵应急"],
};

export function certificateWordsFor(skill: string): string[] {
  return [skill, ...(SKILL_CERTIFICATE_WORDS[skill] ?? [])];
}

/** Refuses on a failed REFUSE rule; then refuses while a warning is not acknowledged, naming them all. */
export function enforceChecks(results: readonly CheckResultRow[], acknowledged: readonly string[], field: string, acknowledgeField: string): void {
  const refused = results.filter((result) => result.severity === CheckSeverity.REFUSE);
  if (refused.length) userError(field, "CHECK_REFUSED", "field.checksRefuse", { checks: messageList(refused.map((r) => checkMessage(r))) });
  const open = unacknowledged(results, acknowledged);
  if (open.length) userError(acknowledgeField, "UNACKNOWLEDGED_WARNINGS", "field.checksWarn", { codes: open.map((r) => r.code).join(", "), checks: messageList(open.map((r) => checkMessage(r))) });
}

export function unacknowledged(results: readonly CheckResultRow[], acknowledged: readonly string[]): CheckResultRow[] {
  return results.filter((result) => result.severity === CheckSeverity.WARNING && !acknowledged.includes(result.code));
}

/**
 * A failed check in words: enum values through their Chinese words, instants in the district's
 * local time (stored details keep the raw values, so rows stored earlier read the same way).
 */
export function checkMessage(result: Pick<CheckResultRow, "code" | "detail">): Message {
  const detail = result.detail;
  switch (result.code) {
    case CheckCode.PARTY_ORGANISATION:
      return message("field.check.PARTY_ORGANISATION", { status: word(PARTY_ORGANISATION_WORDS, detail.status === "—" ? null : String(detail.status ?? "")) });
    case CheckCode.READINESS:
      return message("field.check.READINESS", { hours: detail.hours, last: localTime(detail.last === undefined ? null : String(detail.last)) });
    case CheckCode.CERTIFICATES: {
      // "—" is how rows stored before this rule said "none missing".
      const missing = detail.missing && detail.missing !== "—" ? String(detail.missing) : "";
      const uncertified = Number(detail.uncertified ?? 0);
      if (!missing) return message("field.check.CERTIFICATES", { uncertified });
      return uncertified > 0 ? message("field.check.CERTIFICATES.both", { uncertified, missing }) : message("field.check.CERTIFICATES.missing", { missing });
    }
    default:
      return message(`field.check.${result.code}` as const, detail);
  }
}

/** The GraphQL shape of stored results, in the reader's language. */
export function checkResultsFor(locale: Locale, results: readonly CheckResultRow[] | null | undefined, acknowledged: readonly string[]): CheckResult[] {
  return (results ?? []).map((result) => Object.assign(new CheckResult(), {
    code: result.code,
    severity: result.severity,
    message: render(locale, checkMessage(result)),
    acknowledged: result.severity === CheckSeverity.WARNING && acknowledged.includes(result.code),
  }));
}
