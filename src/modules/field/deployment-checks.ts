// Checks before a team goes (出动前检查), configured per team kind in deployment_check_rule:
// registration (social teams), party organisation, information disclosed within the period,
// readiness not stale, and — once the members going are named — their certificates and insurance.
// A failed WARNING needs the commander's acknowledgement (kept on the call-up or deployment and in
// the audit entry's input); a failed REFUSE rule keeps the team at home. Used by the call-ups here
// and by dispatch's deployTeam.
import type { EntityManager } from "typeorm";
import { userError } from "../../core/graphql/errors";
import { message, messageList, render, type Locale } from "../../core/i18n/i18n";
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
    const members = context.memberIds && context.memberIds.length ? await this.memberFacts(manager, context.memberIds) : null;
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
        return members.uncertified > 0 || missing.length ? { uncertified: members.uncertified, missing: missing.join("、") || "—" } : null;
      }
      case CheckCode.INSURANCE:
        return members && members.uninsured > 0 ? { uninsured: members.uninsured } : null;
      case CheckCode.NO_CALL_UP:
        return context.viaCallUp ? null : {};
    }
  }

  /** One statement: how many of the members going lack a valid certificate, valid insurance; their skills. */
  private async memberFacts(manager: EntityManager, memberIds: readonly number[]) {
    const [row] = await manager.query(
      `SELECT count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM member_certificate c WHERE c.member_id = m.id AND (c.expires_on IS NULL OR c.expires_on >= CURRENT_DATE)))::int AS uncertified,
              count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM member_insurance i WHERE i.member_id = m.id AND i.starts_on <= CURRENT_DATE AND i.expires_on >= CURRENT_DATE))::int AS uninsured,
              coalesce(array_agg(DISTINCT s.skill) FILTER (WHERE s.skill IS NOT NULL), '{}') AS skills
       FROM team_member m LEFT JOIN LATERAL unnest(m.skills) AS s(skill) ON true
       WHERE m.id = ANY($1::int[])`,
      [[...memberIds]],
    );
    return { uncertified: Number(row.uncertified), uninsured: Number(row.uninsured), skills: new Set<string>(row.skills) };
  }
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

export function checkMessage(result: Pick<CheckResultRow, "code" | "detail">) {
  return message(`field.check.${result.code}` as const, result.detail);
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
