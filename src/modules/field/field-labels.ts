// What the field module's messages name, in the reader's language: an enum value as the Chinese
// word staff use (spreadsheets/labels.ts, the one list of those words) or the value itself in
// English; an instant as the district's wall-clock time (Asia/Shanghai, YYYY-MM-DD HH:mm).
import { message, perLocale, type Message, type PerLocale } from "../../core/i18n/i18n";
import { districtDateTime } from "../spreadsheets/sheet-file";

/** A value as its Chinese word in Chinese, as itself (what programs read) in English. */
export function word<E extends string>(words: Record<E, string>, value: E | string | null | undefined): PerLocale | string {
  if (value === null || value === undefined || value === "") return "—";
  const zh = (words as Record<string, string>)[value];
  return zh ? perLocale({ "zh-CN": zh, en: value }) : value;
}

/** An instant (or its ISO text) as the district's local time, "2026-12-06 06:33". */
export function localTime(instant: Date | string | null | undefined): Message | string {
  if (instant === null || instant === undefined || instant === "—") return "—";
  const at = new Date(instant);
  if (Number.isNaN(at.getTime())) return String(instant);
  return message("field.localTime", { time: districtDateTime(at).slice(0, 16) });
}
