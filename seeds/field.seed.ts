// Forces in the field (modules/field), generated deterministically: the default pre-deployment check
// rules per team kind, and members' insurance. Insurance is derived from each active member's ID
// number (hashtext, no random numbers): about 1 in 10 uninsured, 1 in 10 with a lapsed policy, the
// rest covered for the year around today. Idempotent: members with any policy are left alone.
import type { EntityManager } from "typeorm";
import { DEFAULT_CHECK_RULES } from "../src/modules/field/deployment-checks";

export async function seedField(manager: EntityManager): Promise<void> {
  await manager.query(
    `INSERT INTO deployment_check_rule (team_kind, check_code, severity, skill, max_age_days, updated_by)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::text[])
     ON CONFLICT (team_kind, check_code, skill) DO NOTHING`,
    [
      DEFAULT_CHECK_RULES.map((r) => r.teamKind),
      DEFAULT_CHECK_RULES.map((r) => r.checkCode),
      DEFAULT_CHECK_RULES.map((r) => r.severity),
      DEFAULT_CHECK_RULES.map((r) => r.skill ?? ""),
      DEFAULT_CHECK_RULES.map((r) => r.maxAgeDays ?? null),
      DEFAULT_CHECK_RULES.map(() => "seed"),
    ],
  );
  await manager.query(
    `INSERT INTO member_insurance (member_id, insurer, product, policy_number, starts_on, expires_on, recorded_by)
     SELECT m.id, '中国人民财产保险开州支公司', '团体意外伤害险',
            'PICC' || lpad((abs(hashtext(m.id_number)) % 100000000)::text, 8, '0'),
            CASE WHEN abs(hashtext(m.id_number)) % 10 = 1 THEN CURRENT_DATE - 400 ELSE CURRENT_DATE - 180 END,
            CASE WHEN abs(hashtext(m.id_number)) % 10 = 1 THEN CURRENT_DATE - 35 ELSE CURRENT_DATE + 185 END,
            'seed'
     FROM team_member m
     WHERE m.active AND m.id_number IS NOT NULL AND abs(hashtext(m.id_number)) % 10 <> 0
       AND NOT EXISTS (SELECT 1 FROM member_insurance i WHERE i.member_id = m.id)
     ORDER BY m.id`,
  );
}
