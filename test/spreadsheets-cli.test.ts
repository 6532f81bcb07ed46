// npm run export / npm run import as an operator runs them on the server: spawned processes on a
// test database. An exported sheet imports back with nothing booked (progress shown for a big
// file), an edited count is booked and listed, a bad sheet lists every bad row and writes
// nothing (exit 1), and a roster exported and imported again changes nothing.
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import ExcelJS from "exceljs";
import { Client } from "pg";
import { tempDir } from "./support/cluster";
import { createTestDatabase, type TestDatabase } from "./support/database";
import { spawnService } from "./support/service-process";

jest.setTimeout(180_000);

const ROOT = path.join(__dirname, "..");
let database: TestDatabase;
let work: string;

beforeAll(async () => {
  database = await createTestDatabase();
  work = tempDir("kaizhou-sheets");
});
afterAll(async () => {
  await database.drop();
  fs.rmSync(work, { recursive: true, force: true });
});

/** The command of `npm run <script>` (package.json), without npm in between; relative paths from `work` as npm's INIT_CWD. */
function run(script: "import" | "export", args: string[], env: Record<string, string> = { DATABASE_URL: database.url }): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
  expect(pkg.scripts[script]).toBe(`exec node --enable-source-maps -r ./scripts/register.js scripts/${script}.ts`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--enable-source-maps", "-r", "./scripts/register.js", `scripts/${script}.ts`, ...args], {
      cwd: ROOT,
      // Its assertions read the English output: the operator's locale says English (the Chinese default is test/i18n.test.ts's).
      env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: "warn", INIT_CWD: work, LANG: "en_US.UTF-8", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

async function query<T = any>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: database.url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

const movementCount = async () => Number((await query(`SELECT count(*) AS n FROM stock_movement`))[0].n);

it("exports the township points' stock and imports it back with nothing booked, showing progress", async () => {
  const exported = await run("export", ["stock", "--tier", "TOWNSHIP_POINT", "--out", "points.xlsx"]);
  expect(exported.stderr).toBe("");
  expect(exported.status).toBe(0);
  const [{ n: expected }] = await query(`SELECT count(*)::int AS n FROM stock_batch b JOIN storage_site s ON s.id = b.site_id WHERE s.tier = 'TOWNSHIP_POINT' AND b.on_hand > 0`);
  expect(expected).toBeGreaterThan(1000);
  expect(exported.stdout).toContain(`Wrote ${expected.toLocaleString("en")} rows to points.xlsx`);
  expect(fs.existsSync(path.join(work, "points.xlsx"))).toBe(true);

  const before = await movementCount();
  const imported = await run("import", ["stock", "points.xlsx"]);
  expect(imported.stderr).toBe("");
  expect(imported.status).toBe(0);
  const total = expected.toLocaleString("en");
  expect(imported.stdout).toContain(`rows validated: 1,000 / ${total}`);
  expect(imported.stdout).toContain(`rows validated: ${total} / ${total}`);
  expect(imported.stdout).toContain(`rows written: ${total} / ${total}`);
  expect(imported.stdout).toContain(`Done: ${total} batches counted at 40 sites; all matched the books`);
  expect(await movementCount()).toBe(before);
});

it("books an edited count as an adjustment and lists it; a sheet with bad rows lists every one and writes nothing", async () => {
  const exported = await run("export", ["stock", "--site", "KZ-S02-P", "--format", "csv", "--out", "s02.csv"]);
  expect(exported.status).toBe(0);
  const file = path.join(work, "s02.csv");
  const content = fs.readFileSync(file);
  expect([...content.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = content.subarray(3).toString("utf8").trimEnd().split("\r\n");
  const first = lines[1].split(",");
  const [siteCode, itemCode, batchNumber, onHand] = [first[0], first[3], first[7], Number(first[11])];
  expect(siteCode).toBe("KZ-S02-P");

  // A bad sheet: row 3 has a fraction, row 4 an unknown site, and the good row 2 is not booked either.
  const bad = [lines[0], lines[1].replace(`,${onHand},`, `,${onHand - 2},`), lines[2].replace(/,(\d+),(\d+),(\d+),/, ",7.5,$2,$3,"), lines[3].replace("KZ-S02-P", "KZ-S99-P")].join("\r\n");
  fs.writeFileSync(path.join(work, "bad.csv"), bad);
  const before = await movementCount();
  const refused = await run("import", ["stock", "bad.csv"]);
  expect(refused.status).toBe(1);
  expect(refused.stderr).toContain("bad.csv: 2 problems; nothing was written.");
  expect(refused.stderr).toMatch(/row 3, 数量: OUT_OF_RANGE — 数量 must be a whole number, got "7\.5"/);
  expect(refused.stderr).toMatch(/row 4, 站点编码: NOT_FOUND — there is no storage site KZ-S99-P/);
  expect(await movementCount()).toBe(before);

  fs.writeFileSync(path.join(work, "edited.csv"), [lines[0], lines[1].replace(`,${onHand},`, `,${onHand - 2},`)].join("\r\n"));
  const booked = await run("import", ["stock", "edited.csv", "--note", "汛前盘点"]);
  expect(booked.stderr).toBe("");
  expect(booked.status).toBe(0);
  expect(booked.stdout).toContain("1 differed from the books and were booked as COUNT_ADJUSTMENT");
  expect(booked.stdout).toContain(`batch ${batchNumber}: ${onHand} → ${onHand - 2} (-2)`);
  const [movement] = await query(
    `SELECT m.quantity, m.note, m.recorded_by FROM stock_movement m JOIN stock_batch b ON b.id = m.batch_id JOIN supply_item i ON i.id = m.item_id
     WHERE m.kind = 'COUNT_ADJUSTMENT' AND b.batch_number = $1 AND i.code = $2`,
    [batchNumber, itemCode],
  );
  expect(movement).toEqual({ quantity: -2, note: "汛前盘点", recorded_by: expect.stringMatching(/^命令行 /) });
  // Both commands are in the audit log like API mutations, as the same operator. The booked
  // sheet's entry was written by the import's own transaction (the adjustment's), so no crash
  // between the two can leave the count without its entry; it names the adjustment it booked.
  const audit = await query(
    `SELECT outcome, error_code, actor_kind, actor_id, actor_name, role, target_ids, input_summary, xmin::text AS xid FROM audit_entry WHERE operation = 'importStockCount' ORDER BY id`,
  );
  const [refusedEntry, bookedEntry] = audit.slice(-2);
  const operator = { actor_kind: "ACCOUNT", actor_id: 0, actor_name: expect.stringMatching(/^命令行 /), role: "ADMIN" };
  expect(refusedEntry).toMatchObject({ outcome: "REJECTED", error_code: "OUT_OF_RANGE", ...operator, target_ids: [] });
  expect(bookedEntry).toMatchObject({ outcome: "SUCCEEDED", error_code: null, ...operator });
  const edited = fs.readFileSync(path.join(work, "edited.csv"));
  expect(bookedEntry.input_summary).toEqual({ via: "command line", filename: "edited.csv", content: { bytes: edited.length, sha256: crypto.createHash("sha256").update(edited).digest("hex") } });
  const [adjustment] = await query(
    `SELECT m.id, m.xmin::text AS xid FROM stock_movement m JOIN stock_batch b ON b.id = m.batch_id WHERE m.kind = 'COUNT_ADJUSTMENT' AND b.batch_number = $1 ORDER BY m.id DESC LIMIT 1`,
    [batchNumber],
  );
  expect(bookedEntry.xid).toBe(adjustment.xid);
  expect(bookedEntry.target_ids).toEqual([Buffer.from(`StockMovement:${adjustment.id}`).toString("base64")]);
});

it("refuses a sheet exported before another count was booked, naming both numbers; --force books it and the audit log says so", async () => {
  const exported = await run("export", ["stock", "--site", "KZ-S04-P", "--format", "csv", "--out", "s04-first.csv"]);
  expect(exported.status).toBe(0);
  const lines = fs.readFileSync(path.join(work, "s04-first.csv")).subarray(3).toString("utf8").trimEnd().split("\r\n");
  expect(lines[0].split(",").slice(11, 13)).toEqual(["数量", "账面数量"]);
  const first = lines[1].split(",");
  const [batchNumber, onHand] = [first[7], Number(first[11])];
  expect(Number(first[12])).toBe(onHand);

  // A second count, exported and booked after the first sheet went out: 3 units fewer.
  fs.writeFileSync(path.join(work, "s04-second.csv"), [lines[0], lines[1].replace(`,${onHand},${onHand},`, `,${onHand - 3},${onHand},`)].join("\r\n"));
  expect((await run("import", ["stock", "s04-second.csv"])).status).toBe(0);

  const before = await movementCount();
  const stale = await run("import", ["stock", "s04-first.csv"]);
  expect(stale.status).toBe(1);
  expect(stale.stderr).toContain("s04-first.csv: 1 problem; nothing was written.");
  expect(stale.stderr).toContain(`row 2, 账面数量: STALE_SHEET — the sheet says ${onHand} of batch ${batchNumber} on the books, the books now say ${onHand - 3}`);
  expect(await movementCount()).toBe(before);

  const forced = await run("import", ["stock", "s04-first.csv", "--force"]);
  expect(forced.stderr).toBe("");
  expect(forced.status).toBe(0);
  expect(forced.stdout).toContain(`batch ${batchNumber}: ${onHand - 3} → ${onHand} (+3)`);
  const audit = await query(`SELECT outcome, error_code, input_summary FROM audit_entry WHERE operation = 'importStockCount' ORDER BY id`);
  expect(audit.slice(-2).map((entry) => [entry.outcome, entry.error_code, entry.input_summary.force])).toEqual([
    ["REJECTED", "STALE_SHEET", undefined],
    ["SUCCEEDED", null, true],
  ]);

  const misplaced = await run("import", ["members", "roster.xlsx", "--force"]);
  expect(misplaced.status).toBe(2);
  expect(misplaced.stderr).toContain("--force applies to a stocktake sheet (stock) only");
});

it("exports a team's roster with personal data in full, and importing it again changes nothing", async () => {
  const exported = await run("export", ["teams", "--team", "KZ-TT-S03", "--out", "roster.xlsx"]);
  expect(exported.status).toBe(0);
  expect(exported.stdout).toContain("Wrote 20 rows to roster.xlsx");
  expect(exported.stdout).toContain("personal data");
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path.join(work, "roster.xlsx"));
  const sheet = workbook.worksheets[0];
  expect((sheet.getRow(3).values as unknown[]).slice(1)).toEqual(["队伍编码", "队伍名称", "队伍类别", "姓名", "角色", "手机号", "身份证号", "用工方式", "技能", "入队日期"]);
  expect(sheet.getRow(4).getCell(7).value).toMatch(/^\d{17}[\dX]$/);

  const before = await query(`SELECT * FROM team_member ORDER BY id`);
  const imported = await run("import", ["members", "roster.xlsx"]);
  expect(imported.stderr).toBe("");
  expect(imported.status).toBe(0);
  expect(imported.stdout).toContain("Done: 20 rows for 1 team: 0 added, 0 updated, 20 unchanged.");
  expect(await query(`SELECT * FROM team_member ORDER BY id`)).toEqual(before);
  // The audit entry, written with the import's COMMIT, names the file by its size and digest (a
  // roster's rows never reach the log) and the members it added or changed: none here.
  const [entry] = await query(`SELECT input_summary, target_ids, outcome FROM audit_entry WHERE operation = 'importTeamMembers' ORDER BY id DESC LIMIT 1`);
  const file = fs.readFileSync(path.join(work, "roster.xlsx"));
  expect(entry).toEqual({
    input_summary: { via: "command line", filename: "roster.xlsx", content: { bytes: file.length, sha256: crypto.createHash("sha256").update(file).digest("hex") } },
    target_ids: [],
    outcome: "SUCCEEDED",
  });
});

it("exports the travel-time table of a place and imports it back, an edited minute marked surveyed (实测)", async () => {
  const exported = await run("export", ["routes", "--place", "KZ-S01", "--format", "csv", "--out", "routes-s01.csv"]);
  expect(exported.stderr).toBe("");
  expect(exported.status).toBe(0);
  const lines = fs.readFileSync(path.join(work, "routes-s01.csv")).subarray(3).toString("utf8").trimEnd().split("\r\n");
  expect(exported.stdout).toContain(`Wrote ${lines.length - 1} rows to routes-s01.csv`);
  expect(lines.slice(1).every((line) => line.includes("KZ-S01,"))).toBe(true);

  const unchanged = await run("import", ["routes", "routes-s01.csv"]);
  expect(unchanged.stderr).toBe("");
  expect(unchanged.stdout).toContain(`Done: ${lines.length - 1} rows: 0 links added, 0 changed, ${lines.length - 1} unchanged.`);

  const road = lines.findIndex((line, i) => i > 0 && line.includes(",公路,"));
  const cells = lines[road].split(",");
  cells[5] = String(Number(cells[5]) + 4);
  fs.writeFileSync(path.join(work, "routes-edited.csv"), [lines[0], cells.join(",")].join("\r\n"));
  const edited = await run("import", ["routes", "routes-edited.csv"]);
  expect(edited.status).toBe(0);
  expect(edited.stdout).toContain("Done: 1 rows: 0 links added, 1 changed, 0 unchanged.");
  const [link] = await query(
    `SELECT l.minutes, l.basis, l.updated_by FROM travel_link l JOIN route_node a ON a.id = l.from_node_id JOIN route_node b ON b.id = l.to_node_id
     JOIN region ra ON ra.id = a.region_id LEFT JOIN region rb ON rb.id = b.region_id LEFT JOIN storage_site sb ON sb.id = b.site_id
     WHERE l.mode = 'ROAD' AND ra.code = $1 AND coalesce(rb.code, sb.code) = $2`,
    [cells[0], cells[2]],
  );
  expect(link).toEqual({ minutes: Number(cells[5]), basis: "SURVEYED", updated_by: expect.stringMatching(/^命令行 /) });
  expect(await query(`SELECT outcome FROM audit_entry WHERE operation = 'importTravelTimes' ORDER BY id`)).toEqual([{ outcome: "SUCCEEDED" }, { outcome: "SUCCEEDED" }]);
});

it("works on the embedded database under DATA_DIR, beside the running service and without it", async () => {
  const dataDir = path.join(tempDir("kaizhou-sheets-embedded"), "data");
  const service = spawnService({ DATA_DIR: dataDir });
  try {
    await service.ready();
    const exported = await run("export", ["stock", "--site", "KZ-S01-P", "--out", "embedded.csv"], { DATA_DIR: dataDir });
    expect(exported.stderr).toBe("");
    expect(exported.status).toBe(0);
    expect(exported.stdout).toMatch(/Wrote \d+ rows to embedded\.csv/);
    const beside = await run("import", ["stock", "embedded.csv"], { DATA_DIR: dataDir });
    expect(beside.stderr).toBe("");
    expect(beside.stdout).toContain("all matched the books");
    service.child.kill("SIGTERM");
    expect(await service.exited()).toBe(0);
    // The service is gone: the command starts the embedded server for its own run.
    const alone = await run("import", ["stock", "embedded.csv"], { DATA_DIR: dataDir });
    expect(alone.stderr).toBe("");
    expect(alone.status).toBe(0);
    expect(alone.stdout).toContain("all matched the books");
  } finally {
    if (service.child.exitCode === null) service.child.kill("SIGKILL");
    fs.rmSync(path.dirname(dataDir), { recursive: true, force: true });
  }
});

it("explains how to call it when the arguments are wrong", async () => {
  const usage = await run("import", ["stocks", "x.xlsx"]);
  expect(usage.status).toBe(2);
  expect(usage.stderr).toContain("npm run import -- stock <file.xlsx|file.csv>");
  const missing = await run("import", ["stock", "missing.xlsx"]);
  expect(missing.status).toBe(2);
  expect(missing.stderr).toContain("No such file: missing.xlsx");
  const badSite = await run("export", ["stock", "--site", "KZ-NOWHERE"]);
  expect(badSite.status).toBe(2);
  expect(badSite.stderr).toContain("--site KZ-NOWHERE: no storage site or region has this code");
});

it("refuses every malformed option before it opens a database, naming the option and its rule (exit 2)", async () => {
  // Nothing listens on port 1: a check made after connecting would fail there with exit 1.
  const unreachable = { DATABASE_URL: "postgres://kaizhou@127.0.0.1:1/kaizhou" };
  const cases: Array<[script: "import" | "export", args: string[], message: string]> = [
    ["export", ["ledger", "--from", "2026-13-01"], `--from must be a day (2026-01-31) or a time (2026-01-31T08:00:00+08:00), not "2026-13-01": there is no such day`],
    ["export", ["ledger", "--to", "2026-02-30"], `--to must be a day (2026-01-31) or a time (2026-01-31T08:00:00+08:00), not "2026-02-30": there is no such day`],
    ["export", ["ledger", "--from", "12"], `--from must be a day (2026-01-31) or a time (2026-01-31T08:00:00+08:00), not "12"`],
    ["export", ["ledger", "--from", "2026-01-31T24:30"], `not "2026-01-31T24:30": there is no such time`],
    ["export", ["ledger", "--from", "2026-02-01", "--to", "2026-01-31"], `--from must come before --to, not "2026-02-01" and "2026-01-31"`],
    ["export", ["ledger", "--from"], "Option '--from <value>' argument missing"],
    ["export", ["stock", "--from", "2026-01-01"], "--from does not apply to stock: it takes --site, --item, --tier, --category, --region"],
    ["export", ["stock", "--category", "4"], `--category must be a whole number from 1 to 3, not "4"`],
    ["export", ["stock", "--item", "10101"], `--item must be a 7-digit GB/T 38565-2020 item code (e.g. 1010101), not "10101"`],
    ["export", ["stock", "--site", "KZ-S01,"], `--site must be a code or codes separated by commas (KZ-S01,KZ-S02), not "KZ-S01,"`],
    ["export", ["teams", "--region", "KZ-S01,KZ-S02"], `--region takes one code, not "KZ-S01,KZ-S02"`],
    ["export", ["stock", "--tier", "township"], `--tier must be one of DISTRICT_DEPOT, TOWNSHIP_POINT, VILLAGE_ROOM, SHELTER, not "township"`],
    ["export", ["ledger", "--kind", "GIFT"], `--kind must be one of`],
    ["export", ["teams", "--team-kind", "ARMY"], `--team-kind must be one of`],
    ["export", ["stock", "--format", "pdf"], `--format must be one of XLSX, CSV, not "pdf"`],
    ["export", ["stock", "--stie", "KZ-S01"], "Unknown option '--stie'"],
    ["import", ["stock", "points.xlsx", "--format", "xls"], `--format must be one of XLSX, CSV, not "xls"`],
    ["import", ["members", "roster.xlsx", "--note", "汛前"], "--note applies to stock"],
    ["import", ["routes", "routes.xlsx", "--note", "汛前"], "--note applies to stock: a travel-time import writes no ledger entry"],
    ["export", ["routes", "--site", "KZ-S01"], "--site does not apply to routes: it takes --place"],
    ["export", ["routes", "--place", "KZ-S01,KZ-S02"], `--place takes one code, not "KZ-S01,KZ-S02"`],
    ["import", ["stock", "points.xlsx", "--notes", "汛前"], "Unknown option '--notes'"],
  ];
  for (const [script, args, message] of cases) {
    const result = await run(script, args, unreachable);
    expect({ args, status: result.status, stderr: result.stderr }).toEqual({ args, status: 2, stderr: expect.stringContaining(message) });
    expect(result.stderr).not.toMatch(/failed|invalid input syntax|ECONNREFUSED/);
  }
});

it("exports the ledger of district days, both included, and of an ISO time on", async () => {
  const [{ day, next }] = await query(
    `SELECT to_char(min(occurred_at AT TIME ZONE 'Asia/Shanghai'), 'YYYY-MM-DD') AS day,
            to_char(min(occurred_at AT TIME ZONE 'Asia/Shanghai') + interval '1 day', 'YYYY-MM-DD') AS next
     FROM stock_movement m JOIN storage_site s ON s.id = m.site_id WHERE s.code = 'KZ-S02-P'`,
  );
  const countBetween = async (from: string, to: string) =>
    Number(
      (
        await query(
          `SELECT count(*) AS n FROM stock_movement m JOIN storage_site s ON s.id = m.site_id
           WHERE s.code = 'KZ-S02-P' AND m.occurred_at >= $1::timestamptz AND m.occurred_at < $2::timestamptz`,
          [from, to],
        )
      )[0].n,
    );
  const twoDays = await countBetween(`${day}T00:00:00+08:00`, `${next}T24:00:00+08:00`);
  expect(twoDays).toBeGreaterThan(0);
  const exported = await run("export", ["ledger", "--site", "KZ-S02-P", "--from", day, "--to", next, "--out", "ledger.csv"]);
  expect(exported.stderr).toBe("");
  expect(exported.status).toBe(0);
  expect(exported.stdout).toContain(`Wrote ${twoDays.toLocaleString("en")} rows to ledger.csv`);

  const sinceNoon = await countBetween(`${day}T12:00:00+08:00`, "infinity");
  const fromTime = await run("export", ["ledger", "--site", "KZ-S02-P", "--from", `${day}T12:00`, "--out", "ledger-noon.csv"]);
  expect(fromTime.status).toBe(0);
  expect(fromTime.stdout).toContain(`Wrote ${sinceNoon.toLocaleString("en")} rows to ledger-noon.csv`);
});
