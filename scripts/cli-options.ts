// How `npm run import` and `npm run export` read their command line. Every value is checked here,
// before a database is opened, so a typo is a usage error (exit code 2) that names the option and
// its rule — never a database error about a timestamp nobody typed.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { isSupplyItemCode } from "../src/modules/reserves/reserves.service";
import { message, messageList } from "../src/core/i18n/i18n";
import { say } from "./cli-language";

/** Wrong arguments: printed as they are, exit code 2. */
export class UsageError extends Error {}

type OptionsConfig = NonNullable<ParseArgsConfig["options"]>;

/** Positionals and options as node's parseArgs reads them; its own refusals (unknown option, missing value) become usage errors with the usage text. */
export function readCommandLine<T extends OptionsConfig>(options: T, usage: string, args: string[] = process.argv.slice(2)) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS_")) throw new UsageError(`${(error as Error).message}\n${usage}`);
    throw error;
  }
}

/** One of an enum's values, in any case. */
export function oneOf<T extends string>(values: Record<string, T>, given: string | undefined, option: string): T | undefined {
  if (given === undefined) return undefined;
  const value = given.trim().toUpperCase() as T;
  if (!Object.values(values).includes(value)) throw new UsageError(say("cli.option.oneOf", { option, values: messageList(Object.values(values), "comma"), given }));
  return value;
}

/** A code, or several separated by commas: at least one, none empty. */
export function codeList(given: string | undefined, option: string): string[] | undefined {
  if (given === undefined) return undefined;
  const list = given.split(/[,，]/).map((code) => code.trim());
  if (list.some((code) => !code)) throw new UsageError(say("cli.option.codeList", { option, given }));
  return list;
}

/** One code (no commas). */
export function oneCode(given: string | undefined, option: string): string | undefined {
  const list = codeList(given, option);
  if (list && list.length > 1) throw new UsageError(say("cli.option.oneCode", { option, given }));
  return list?.[0];
}

/** A GB/T 38565-2020 supply item code: 7 digits. */
export function itemCode(given: string | undefined, option: string): string | undefined {
  const value = oneCode(given, option);
  if (value !== undefined && !isSupplyItemCode(value)) throw new UsageError(say("cli.option.itemCode", { option, given }));
  return value;
}

/** A whole number from min to max. */
export function wholeNumber(given: string | undefined, option: string, min: number, max: number): number | undefined {
  if (given === undefined) return undefined;
  const value = /^\s*\d+\s*$/.test(given) ? Number(given) : NaN;
  if (!(value >= min && value <= max)) throw new UsageError(say("cli.option.wholeNumber", { option, min, max, given }));
  return value;
}

const DISTRICT_OFFSET = "+08:00";
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** Whether year-month-day is a day of the calendar (no 2026-13-01, no 2026-02-30). */
function isCalendarDay(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * A day of the district's calendar or an ISO time. `2026-01-31` is that day in the district
 * (UTC+8): from its start, or — for the end of a range, `edge: "end"` — up to the next day's
 * start, so both days of a range are included. A time without an offset is district time too.
 */
export function dayOrTime(given: string | undefined, option: string, edge: "start" | "end"): Date | undefined {
  if (given === undefined) return undefined;
  const text = given.trim();
  const rule = say("cli.option.dayOrTime", { option, given });
  const day = DAY.exec(text);
  if (day) {
    const [year, month, date] = day.slice(1).map(Number);
    if (!isCalendarDay(year, month, date)) throw new UsageError(say("cli.option.noSuch", { rule, what: message("cli.option.noSuchDay") }));
    return new Date(Date.UTC(year, month - 1, date + (edge === "end" ? 1 : 0)) - 8 * 3_600_000);
  }
  const time = TIME.exec(text);
  if (!time) throw new UsageError(rule);
  const [year, month, date, hour, minute, second = 0] = time.slice(1, 7).map((part) => (part === undefined ? undefined : Number(part))) as number[];
  if (!isCalendarDay(year, month, date) || hour > 23 || minute > 59 || second > 59) throw new UsageError(say("cli.option.noSuch", { rule, what: message("cli.option.noSuchTime") }));
  const offset = time[8] ? time[8].toUpperCase().replace(/^([+-]\d{2})(\d{2})$/, "$1:$2") : DISTRICT_OFFSET;
  const iso = `${time.slice(1, 4).join("-")}T${time[4]}:${time[5]}:${time[6] ?? "00"}${time[7] ?? ""}${offset}`;
  const parsed = new Date(iso);
  if (Number.isNaN(parsed.getTime()) || (offset !== "Z" && Number(offset.slice(1, 3)) > 14)) throw new UsageError(say("cli.option.noSuch", { rule, what: message("cli.option.noSuchOffset") }));
  return parsed;
}

/** A range that is not empty: `from` before `to` (as dayOrTime read them), when both are given. */
export function orderedRange(range: { from?: Date; to?: Date }, given: { from?: string; to?: string }, options: { from: string; to: string }): void {
  if (range.from && range.to && range.from.getTime() >= range.to.getTime()) {
    throw new UsageError(say("cli.option.order", { from: options.from, to: options.to, givenFrom: given.from, givenTo: given.to }));
  }
}
