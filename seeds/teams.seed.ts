// The district's rescue forces (plan 2021–2025): the fire and rescue team, 2 district
// comprehensive teams, one comprehensive team for each of the 40 township-level units
// (20 members each, 800 in all), one professional team per specialty, 4 social teams and
// 3 expert teams (seeds/data/rescue-teams.csv), with generated rosters, certificates,
// readiness history, drills, social teams' filings and the plan's targets.
//
// Deterministic (names, phones and ID numbers come from seededRandom(team code)), idempotent
// (teams by code, members by ID number, the rest only where a team has none yet) and
// set-based: each table is filled by one INSERT … SELECT FROM unnest(…).
import { message, type Message } from "../src/core/i18n/i18n";
import path from "node:path";
import type { EntityManager } from "typeorm";
import { Role } from "../src/core/access/auth";
import { idNumberCheckDigit } from "../src/modules/teams/member-fields";
import { insertDemoAccounts } from "./accounts.seed";
import { readCsv } from "./csv";
import type { SeedContext } from "./index";
import { integerBetween, pick, seededRandom } from "./random";

const DATA = path.join(__dirname, "data");
const TOWNSHIP_TEAM_MEMBERS = 20;
/** 开州区's administrative division code: the first six digits of locally issued ID numbers. */
const KAIZHOU_DIVISION_CODE = "500154";

const SURNAMES = "陈李王张刘杨黄周吴徐谭冉向彭熊邓何罗胡唐曾万余蒋程谢袁汪宋郑蔡邱秦傅付朱马高梁龚田廖".split("");
const GIVEN = "伟芳勇军杰磊强敏静丽涛明超华平刚林斌波辉鹏飞宇浩鑫峰建国志红春燕玲霞兵亮东晨阳琴丹娟欣俊凯文松海洪永成德祥".split("");

const SKILLS: Record<string, string[]> = {
  FIRE_RESCUE: ["灭火救援", "城市搜救", "水域救援", "绳索救援", "破拆救援", "危化品处置"],
  DISTRICT_COMPREHENSIVE: ["破拆救援", "绳索救援", "防汛抢险", "山地搜救", "急救", "无人机操作", "冲锋舟驾驶"],
  TOWNSHIP: ["群众转移", "防汛抢险", "森林灭火", "地灾巡查", "急救", "冲锋舟驾驶", "基础救援"],
  PROFESSIONAL: ["专业抢险", "设备操作", "急救", "现场警戒"],
  SOCIAL: ["山地搜救", "水域救援", "急救", "无线电通信", "心理疏导", "绳索救援"],
  EXPERT: ["风险研判", "技术指导", "现场评估"],
  MILITIA: ["防汛抢险", "群众转移", "山地搜救", "水域救援", "道路抢通", "森林灭火"],
  COMMUNITY_FIRE_STATION: ["初起火灾扑救", "疏散引导", "消防巡查", "急救"],
};

/** Certificate names by what members do; expiry dates are spread so some alerts show at once. */
const CERTIFICATES: Record<string, Array<{ name: string; issuer: string; years: number }>> = {
  FIRE_RESCUE: [{ name: "消防员职业资格证书", issuer: "应急管理部消防救援局", years: 5 }],
  DISTRICT_COMPREHENSIVE: [
    { name: "应急救援员（四级）", issuer: "重庆市职业技能鉴定中心", years: 4 },
    { name: "红十字救护员证", issuer: "开州区红十字会", years: 3 },
  ],
  TOWNSHIP: [
    { name: "应急救援员（五级）", issuer: "重庆市职业技能鉴定中心", years: 4 },
    { name: "红十字救护员证", issuer: "开州区红十字会", years: 3 },
  ],
  PROFESSIONAL: [{ name: "特种作业操作证", issuer: "重庆市应急管理局", years: 6 }],
  SOCIAL: [
    { name: "红十字救护员证", issuer: "开州区红十字会", years: 3 },
    { name: "业余无线电台操作证书", issuer: "重庆市无线电管理局", years: 5 },
  ],
  EXPERT: [{ name: "注册安全工程师", issuer: "应急管理部", years: 5 }],
  MILITIA: [{ name: "民兵应急训练合格证", issuer: "开州区人民武装部", years: 2 }],
  COMMUNITY_FIRE_STATION: [{ name: "消防设施操作员（五级）", issuer: "重庆市职业技能鉴定中心", years: 4 }],
};

const SOCIAL_RECORDS: Record<string, { registrationNumber: string; partyOrganisation: string; disclosedDaysAgo: number }> = {
  "KZ-SR-01": { registrationNumber: "52500154MJP1234567", partyOrganisation: "BRANCH", disclosedDaysAgo: 35 },
  "KZ-SR-02": { registrationNumber: "51500154MJP2345678", partyOrganisation: "JOINT_BRANCH", disclosedDaysAgo: 80 },
  "KZ-SR-03": { registrationNumber: "52500154MJP3456789", partyOrganisation: "PARTY_MEMBERS_ONLY", disclosedDaysAgo: 150 },
  "KZ-SR-04": { registrationNumber: "52500154MJP4567890", partyOrganisation: "NONE", disclosedDaysAgo: 400 },
};

/** Current readiness that is not "READY, reported a few hours ago", so dashboards have something to show. */
const NOT_READY: Record<string, { status: string; note: string }> = {
  "KZ-TT-T05": { status: "STANDBY", note: "8人参加区级培训，其余待命" },
  "KZ-TT-T12": { status: "RECOVERING", note: "山洪转移任务返回，休整装备" },
  "KZ-TT-X02": { status: "UNAVAILABLE", note: "队伍车辆维修，暂不具备出动条件" },
  "KZ-PT-04": { status: "STANDBY", note: "井下演练后待命" },
};
/** Teams whose latest report is older than the 24-hour freshness window (hours ago). */
const STALE_HOURS: Record<string, number> = { "KZ-TT-X03": 30, "KZ-TT-T20": 52, "KZ-SR-04": 75 };

interface TeamRow {
  code: string;
  name: string;
  kind: string;
  specialty: string | null;
  regionCode: string;
  members: number;
  employment: string;
  latitude: number;
  longitude: number;
  address: string | null;
  capabilities: string[];
  equipment: string[];
}

function list(text: string | undefined): string[] {
  return (text ?? "").split(";").map((item) => item.trim()).filter(Boolean);
}

/** Reference teams from the CSV plus one comprehensive team per township-level unit. */
export function rescueTeamRows(): TeamRow[] {
  const listed = readCsv(path.join(DATA, "rescue-teams.csv")).map<TeamRow>((row) => ({
    code: row.code,
    name: row.name,
    kind: row.kind,
    specialty: row.specialty || null,
    regionCode: row.region_code,
    members: Number(row.members),
    employment: row.employment,
    latitude: Number(row.latitude),
    longitude: Number(row.longitude),
    address: row.address || null,
    capabilities: list(row.capabilities),
    equipment: list(row.equipment),
  }));
  const townships = readCsv(path.join(DATA, "regions.csv")).filter((row) => row.level === "TOWNSHIP");
  const townshipTeams = townships.map<TeamRow>((township) => {
    const random = seededRandom(`team:${township.code}`);
    return {
      code: `KZ-TT-${township.code.slice(3)}`,
      name: `${township.name}综合应急救援队`,
      kind: "TOWNSHIP",
      specialty: null,
      regionCode: township.code,
      members: TOWNSHIP_TEAM_MEMBERS,
      // The plan staffs township teams by labour dispatch or with part-time grid workers.
      employment: random() < 0.5 ? "LABOUR_DISPATCH" : "GRID_WORKER",
      latitude: Number((Number(township.latitude) + (random() - 0.5) * 0.004).toFixed(6)),
      longitude: Number((Number(township.longitude) + (random() - 0.5) * 0.004).toFixed(6)),
      address: `${township.name}应急救援队驻地`,
      capabilities: ["群众转移", "先期处置", "防汛抢险"],
      equipment: ["救生衣 ×20", "应急照明 ×10", "油锯 ×2", "担架 ×4"],
    };
  });
  return [...listed, ...townshipTeams];
}

interface MemberRow {
  teamCode: string;
  name: string;
  role: string;
  skills: string;
  employment: string;
  phone: string;
  idNumber: string;
  joinedDaysAgo: number;
  active: boolean;
}

interface CertificateRow {
  idNumber: string;
  name: string;
  number: string;
  issuer: string;
  expiresInDays: number;
  years: number;
}

function memberRows(teams: TeamRow[]): { members: MemberRow[]; certificates: CertificateRow[] } {
  const members: MemberRow[] = [];
  const certificates: CertificateRow[] = [];
  const usedIdNumbers = new Set<string>();
  for (const team of teams) {
    const random = seededRandom(`members:${team.code}`);
    // Two former members per non-township team, so rosters show history (township teams stay at exactly 20).
    const former = team.kind === "TOWNSHIP" ? 0 : 2;
    for (let i = 0; i < team.members + former; i++) {
      const name = pick(random, SURNAMES) + pick(random, GIVEN) + (random() < 0.7 ? pick(random, GIVEN) : "");
      const birthYear = integerBetween(random, team.kind === "EXPERT" ? 1962 : 1972, team.kind === "EXPERT" ? 1988 : 2003);
      const birth = `${birthYear}${String(integerBetween(random, 1, 12)).padStart(2, "0")}${String(integerBetween(random, 1, 28)).padStart(2, "0")}`;
      let idNumber: string;
      do {
        const first17 = `${KAIZHOU_DIVISION_CODE}${birth}${String(integerBetween(random, 1, 999)).padStart(3, "0")}`;
        idNumber = first17 + idNumberCheckDigit(first17);
      } while (usedIdNumbers.has(idNumber));
      usedIdNumbers.add(idNumber);
      const skills = SKILLS[team.kind];
      const skillCount = integerBetween(random, 1, 3);
      const memberSkills = [...new Set(Array.from({ length: skillCount }, () => pick(random, skills)))];
      const active = i < team.members;
      members.push({
        teamCode: team.code,
        name,
        role: i === 0 ? "LEADER" : i <= (team.members >= 30 ? 2 : 1) ? "DEPUTY" : "MEMBER",
        skills: memberSkills.join(";"),
        // A few social-team volunteers' rows carry the team's mode; township teams mix dispatch and grid workers.
        employment: team.kind === "TOWNSHIP" && random() < 0.25 ? (team.employment === "GRID_WORKER" ? "LABOUR_DISPATCH" : "GRID_WORKER") : team.employment,
        phone: `1${pick(random, ["3", "5", "7", "8", "9"])}${String(integerBetween(random, 0, 999_999_999)).padStart(9, "0")}`,
        idNumber,
        joinedDaysAgo: integerBetween(random, 60, 1800),
        active,
      });
      const pool = CERTIFICATES[team.kind];
      const held = active ? integerBetween(random, 0, pool.length) : 0;
      for (let c = 0; c < held; c++) {
        const certificate = pool[c];
        // Mostly valid for a year or more; about one in ten expires within 30 days, one in twenty has expired.
        const roll = random();
        const expiresInDays = roll < 0.05 ? -integerBetween(random, 1, 90) : roll < 0.15 ? integerBetween(random, 0, 29) : integerBetween(random, 60, 1200);
        certificates.push({
          idNumber,
          name: certificate.name,
          number: `${team.code.replace(/-/g, "")}${String(i + 1).padStart(3, "0")}${c}${integerBetween(random, 1000, 9999)}`,
          issuer: certificate.issuer,
          expiresInDays,
          years: certificate.years,
        });
      }
    }
  }
  return { members, certificates };
}

interface ReportRow {
  teamCode: string;
  status: string;
  /** Available members = active members − this. */
  short: number;
  minutesAgo: number;
  note: string | null;
}

/** Two older reports per team and a current one; the array is oldest first so ids grow with time. */
function reportRows(teams: TeamRow[]): ReportRow[] {
  const reports: ReportRow[] = [];
  for (const age of [3, 2, 1]) {
    for (const team of teams) {
      const random = seededRandom(`readiness:${team.code}:${age}`);
      const current = age === 1;
      const notReady = current ? NOT_READY[team.code] : undefined;
      const staleHours = current ? STALE_HOURS[team.code] : undefined;
      const minutesAgo = current ? (staleHours ? staleHours * 60 + integerBetween(random, 0, 50) : integerBetween(random, 20, 20 * 60)) : age * 24 * 60 + integerBetween(random, 0, 600);
      const status = notReady?.status ?? (random() < 0.85 ? "READY" : "STANDBY");
      // UNAVAILABLE: nobody can go (the SQL floors available members at 0).
      const short = status === "UNAVAILABLE" ? 10_000 : status === "STANDBY" ? integerBetween(random, 3, 8) : integerBetween(random, 0, 3);
      reports.push({ teamCode: team.code, status, short, minutesAgo, note: notReady?.note ?? (status === "READY" ? "人员装备到位" : "部分队员外出，接令后集结") });
    }
  }
  return reports.sort((a, b) => b.minutesAgo - a.minutesAgo);
}

const DRILLS = [
  { daysAgo: 200, kind: "COMPREHENSIVE", scenario: "2025年开州区防汛抗旱综合应急演练：汉丰湖超警戒水位群众转移", result: "转移群众1200人次，指挥链路畅通；暴露乡镇队伍集结偏慢", teams: ["KZ-FR-01", "KZ-DC-01", "KZ-DC-02", "KZ-PT-02", "KZ-PT-03", "KZ-TT-S01", "KZ-TT-S02", "KZ-SR-01"] },
  { daysAgo: 120, kind: "DOUBLE_BLIND", scenario: "双盲演练：雪宝山林区夜间森林火情处置", result: "接警后42分钟到场，隔离带开设及时；通信盲区需补中继", teams: ["KZ-PT-01", "KZ-TT-T27", "KZ-SR-02", "KZ-SR-04"] },
  { daysAgo: 75, kind: "JOINT", scenario: "共训共练：城市内涝排水与地下空间救援", result: "三支队伍协同排涝，形成联合作业规程", teams: ["KZ-DC-02", "KZ-PT-02", "KZ-SR-01"] },
  { daysAgo: 40, kind: "JOINT", scenario: "危化品运输车辆泄漏联合处置演练", result: "侦检、洗消、交通管制流程闭环", teams: ["KZ-FR-01", "KZ-PT-05", "KZ-PT-08", "KZ-PT-10"] },
  { daysAgo: 12, kind: "TEAM", scenario: "汉丰街道综合应急救援队汛前拉练", result: "20人全员到位，冲锋舟操作考核合格", teams: ["KZ-TT-S01"] },
];

const FILINGS = [
  { team: "KZ-SR-01", daysAgo: 95, hours: 9, region: "KZ-S01", location: "汉丰湖东岸", incident: "游客落水搜救", members: 8, outcome: "救起1人，送医后脱险" },
  { team: "KZ-SR-01", daysAgo: 33, hours: 30, region: "KZ-T27", location: "雪宝山景区后山步道", incident: "驴友迷路搜救", members: 14, outcome: "找到被困3人，安全带出" },
  { team: "KZ-SR-02", daysAgo: 33, hours: 30, region: "KZ-T27", location: "雪宝山景区后山步道", incident: "驴友迷路搜救（通信保障）", members: 5, outcome: "架设临时中继，保障搜救通信" },
  { team: "KZ-SR-03", daysAgo: 18, hours: 6, region: "KZ-S02", location: "文峰街道安置点", incident: "暴雨转移群众医疗保障", members: 10, outcome: "处置轻伤12人次" },
  { team: "KZ-SR-04", daysAgo: 6, hours: 14, region: "KZ-T27", location: "雪宝山镇大垭口", incident: "登山者坠崖救援", members: 9, outcome: "协助消防救出1人" },
];

/** Returns the notice to print once when it creates the demo team-leader accounts. */
export async function seedTeams(context: SeedContext): Promise<Message[]> {
  const { manager } = context;
  const teams = rescueTeamRows();

  await manager.query(
    `INSERT INTO rescue_team (code, name, kind, specialty, region_id, district_id, base_latitude, base_longitude, base_address, capabilities, equipment,
                              registration_number, registration_authority, party_organisation, last_disclosure_on)
     SELECT input.code, input.name, input.kind, input.specialty, region.id, coalesce(region.district_id, region.id), input.latitude, input.longitude, input.address,
            string_to_array(input.capabilities, ';'), string_to_array(input.equipment, ';'),
            input.registration_number, CASE WHEN input.registration_number IS NOT NULL THEN '开州区民政局' END, input.party_organisation,
            CURRENT_DATE - input.disclosed_days_ago
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::float8[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::int[])
          WITH ORDINALITY AS input(code, name, kind, specialty, region_code, latitude, longitude, address, capabilities, equipment, registration_number, party_organisation, disclosed_days_ago, position)
     JOIN region ON region.code = input.region_code
     ORDER BY input.position
     ON CONFLICT (code) DO NOTHING`,
    [
      teams.map((t) => t.code),
      teams.map((t) => t.name),
      teams.map((t) => t.kind),
      teams.map((t) => t.specialty),
      teams.map((t) => t.regionCode),
      teams.map((t) => t.latitude),
      teams.map((t) => t.longitude),
      teams.map((t) => t.address),
      teams.map((t) => t.capabilities.join(";")),
      teams.map((t) => t.equipment.join(";")),
      teams.map((t) => SOCIAL_RECORDS[t.code]?.registrationNumber ?? null),
      teams.map((t) => SOCIAL_RECORDS[t.code]?.partyOrganisation ?? null),
      teams.map((t) => SOCIAL_RECORDS[t.code]?.disclosedDaysAgo ?? null),
    ],
  );

  const { members, certificates } = memberRows(teams);
  // Former members first, then the active roster, each in roster order, so ids follow joining order.
  await manager.query(
    `INSERT INTO team_member (team_id, district_id, name, role, skills, employment_mode, active, phone, id_number, joined_on, left_on)
     SELECT team.id, team.district_id, input.name, input.role, string_to_array(input.skills, ';'), input.employment, input.active, input.phone, input.id_number,
            CURRENT_DATE - input.joined_days_ago, CASE WHEN input.active THEN NULL ELSE CURRENT_DATE - input.joined_days_ago / 3 END
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[], $9::bool[])
          WITH ORDINALITY AS input(team_code, name, role, skills, employment, phone, id_number, joined_days_ago, active, position)
     JOIN rescue_team team ON team.code = input.team_code
     WHERE NOT EXISTS (SELECT 1 FROM team_member existing WHERE existing.id_number = input.id_number)
     ORDER BY input.active, input.position
     ON CONFLICT DO NOTHING`,
    [
      members.map((m) => m.teamCode),
      members.map((m) => m.name),
      members.map((m) => m.role),
      members.map((m) => m.skills),
      members.map((m) => m.employment),
      members.map((m) => m.phone),
      members.map((m) => m.idNumber),
      members.map((m) => m.joinedDaysAgo),
      members.map((m) => m.active),
    ],
  );

  await manager.query(
    `INSERT INTO member_certificate (member_id, name, number, issuer, issued_on, expires_on)
     SELECT member.id, input.name, input.number, input.issuer,
            CURRENT_DATE + input.expires_in_days - make_interval(years => input.years), CURRENT_DATE + input.expires_in_days
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::int[]) AS input(id_number, name, number, issuer, expires_in_days, years)
     JOIN team_member member ON member.id_number = input.id_number AND member.active
     WHERE NOT EXISTS (SELECT 1 FROM member_certificate existing WHERE existing.member_id = member.id)`,
    [
      certificates.map((c) => c.idNumber),
      certificates.map((c) => c.name),
      certificates.map((c) => c.number),
      certificates.map((c) => c.issuer),
      certificates.map((c) => c.expiresInDays),
      certificates.map((c) => c.years),
    ],
  );

  // Readiness history, reported by each team's leader; only for teams with no report yet.
  const reports = reportRows(teams);
  await manager.query(
    `WITH roster AS (
       SELECT team_id, count(*) FILTER (WHERE active)::int AS active_members,
              max(name) FILTER (WHERE role = 'LEADER' AND active) AS leader_name
       FROM team_member GROUP BY team_id
     )
     INSERT INTO team_readiness_report (team_id, district_id, status, available_members, active_members, note, source, reported_at, reporter_name)
     SELECT team.id, team.district_id, input.status, greatest(roster.active_members - input.short, 0), roster.active_members, input.note, 'REPORT',
            date_trunc('second', now()) - make_interval(mins => input.minutes_ago), coalesce(roster.leader_name, team.name)
     FROM unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::text[]) WITH ORDINALITY AS input(team_code, status, short, minutes_ago, note, position)
     JOIN rescue_team team ON team.code = input.team_code
     JOIN roster ON roster.team_id = team.id
     WHERE NOT EXISTS (SELECT 1 FROM team_readiness_report existing WHERE existing.team_id = team.id)
     ORDER BY input.position`,
    [reports.map((r) => r.teamCode), reports.map((r) => r.status), reports.map((r) => r.short), reports.map((r) => r.minutesAgo), reports.map((r) => r.note)],
  );
  // The team row carries its latest report, as updateTeamReadiness keeps it.
  await manager.query(
    `UPDATE rescue_team team SET readiness_status = latest.status, available_members = latest.available_members, readiness_reported_at = latest.reported_at
     FROM (SELECT DISTINCT ON (team_id) team_id, status, available_members, reported_at FROM team_readiness_report ORDER BY team_id, id DESC) latest
     WHERE latest.team_id = team.id AND team.readiness_reported_at IS NULL`,
  );

  await manager.query(
    `WITH input AS (
       SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS input(days_ago, kind, scenario, result, team_codes, position)
     ), district AS (SELECT id FROM region WHERE code = 'KZ'),
     inserted AS (
       INSERT INTO drill (district_id, held_on, kind, scenario, result, recorded_by)
       SELECT district.id, CURRENT_DATE - input.days_ago, input.kind, input.scenario, input.result, '区应急管理局'
       FROM input, district
       WHERE NOT EXISTS (SELECT 1 FROM drill WHERE drill.district_id = district.id)
       ORDER BY input.position
       RETURNING id, scenario
     )
     INSERT INTO drill_team (drill_id, team_id)
     SELECT inserted.id, team.id
     FROM inserted JOIN input ON input.scenario = inserted.scenario
     CROSS JOIN LATERAL unnest(string_to_array(input.team_codes, ';')) AS listed(team_code)
     JOIN rescue_team team ON team.code = listed.team_code`,
    [DRILLS.map((d) => d.daysAgo), DRILLS.map((d) => d.kind), DRILLS.map((d) => d.scenario), DRILLS.map((d) => d.result), DRILLS.map((d) => d.teams.join(";"))],
  );

  await manager.query(
    `INSERT INTO rescue_action_filing (team_id, district_id, region_id, started_at, ended_at, location, incident, members_sent, outcome, filed_by, filed_at)
     SELECT team.id, team.district_id, region.id,
            date_trunc('hour', now()) - make_interval(days => input.days_ago),
            date_trunc('hour', now()) - make_interval(days => input.days_ago) + make_interval(hours => input.hours),
            input.location, input.incident, input.members, input.outcome, team.name,
            -- Filed locally shortly after the action began (20 to 50 minutes, by position): deterministic.
            date_trunc('hour', now()) - make_interval(days => input.days_ago) + make_interval(mins => 20 + (input.position::int * 7) % 31)
     FROM unnest($1::text[], $2::int[], $3::int[], $4::text[], $5::text[], $6::text[], $7::int[], $8::text[])
          WITH ORDINALITY AS input(team_code, days_ago, hours, region_code, location, incident, members, outcome, position)
     JOIN rescue_team team ON team.code = input.team_code
     JOIN region ON region.code = input.region_code
     WHERE NOT EXISTS (SELECT 1 FROM rescue_action_filing existing WHERE existing.team_id = team.id)
     ORDER BY input.position`,
    [
      FILINGS.map((f) => f.team),
      FILINGS.map((f) => f.daysAgo),
      FILINGS.map((f) => f.hours),
      FILINGS.map((f) => f.region),
      FILINGS.map((f) => f.location),
      FILINGS.map((f) => f.incident),
      FILINGS.map((f) => f.members),
      FILINGS.map((f) => f.outcome),
    ],
  );

  // The plan's targets (开州区应急管理“十四五”规划): settings per district, changed with setForcePlanTargets.
  await manager.query(
    `INSERT INTO force_plan_target (district_id, township_teams, township_team_members, members_per_township_team, district_teams, district_team_min_members)
     SELECT id, 40, 800, 20, 2, 50 FROM region WHERE code = 'KZ'
     ON CONFLICT (district_id) DO NOTHING`,
  );

  if (!context.demoAccounts) return [];
  await seedLeaderAccounts(manager);
  return [message("seed.demoLeaders", { password: "kaizhou-demo" })];
}

/**
 * Demo TEAM_LEADER accounts: leader.<township code> (e.g. leader.kz-s01) for each township team
 * and leader.kz-sr-01 for 开州蓝天救援队, named after the team's active leader.
 */
async function seedLeaderAccounts(manager: EntityManager): Promise<void> {
  const leaders: Array<{ team_id: number; region_code: string; team_code: string; leader_name: string | null }> = await manager.query(
    `SELECT team.id AS team_id, region.code AS region_code, team.code AS team_code, leader.name AS leader_name
     FROM rescue_team team JOIN region ON region.id = team.region_id
     LEFT JOIN team_member leader ON leader.team_id = team.id AND leader.role = 'LEADER' AND leader.active
     WHERE team.kind = 'TOWNSHIP' OR team.code = 'KZ-SR-01'
     ORDER BY team.code`,
  );
  await insertDemoAccounts(
    manager,
    leaders.map((row) => ({
      username: `leader.${(row.team_code === "KZ-SR-01" ? row.team_code : row.region_code).toLowerCase()}`,
      displayName: row.leader_name ?? row.team_code,
      role: Role.TEAM_LEADER,
      teamId: row.team_id,
    })),
  );
}
