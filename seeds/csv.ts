// Minimal CSV for the seed files we write ourselves (no quotes or commas inside fields).
import fs from "node:fs";

export function readCsv(file: string): Array<Record<string, string>> {
  const [header, ...lines] = fs.readFileSync(file, "utf8").replace(/^\uFEFF/, "").split(/\r?\n/).filter((line) => line.trim() !== "");
  const columns = header.split(",").map((c) => c.trim());
  return lines.map((line) => {
    const values = line.split(",");
    return Object.fromEntries(columns.map((column, i) => [column, (values[i] ?? "").trim()]));
  });
}

export function writeCsv(file: string, rows: Array<Record<string, string | number>>): void {
  const columns = Object.keys(rows[0]);
  const body = rows.map((row) => columns.map((c) => String(row[c])).join(","));
  fs.writeFileSync(file, [columns.join(","), ...body].join("\n") + "\n");
}
