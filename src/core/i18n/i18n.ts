// Every message a person reads — UserErrors, top-level errors, socket close reasons, the command
// line's output and import problems, the explorer's labels — is a key of one catalogue
// (zh-CN.ts, en.ts) with its parameters, rendered in the reader's language in one place: the
// front door's error masking (core/http/front-door.ts) for top-level errors, UserError.message's
// field resolver for payload errors, the command line's printer for its output. Code that finds
// a problem says which message it is (`message(key, params)`), never its words.
//
// Chinese (zh-CN) is the default: the service is the bureau's, and its staff read Chinese.
// English is given on request: `Accept-Language: en` over HTTP (and on the WebSocket upgrade,
// or `language` in connection_init), `--lang en` or the locale environment on the command line.
// Codes (`INSUFFICIENT_STOCK`, `FORBIDDEN`) and field paths are the same in every language:
// programs read those, never the words.
//
// i18next does the rendering (interpolation of `{{name}}`); the catalogue is flat, its keys
// dotted by area (`stock.insufficient`), so neither `.` nor `:` is a separator.
import i18next from "i18next";
import Negotiator from "negotiator";
import { en } from "./en";
import { zhCN, type MessageKey } from "./zh-CN";

export type { MessageKey } from "./zh-CN";

export const LOCALES = ["zh-CN", "en"] as const;
export type Locale = (typeof LOCALES)[number];
/** What a request without a preference gets unless DEFAULT_LOCALE says otherwise. */
export const FALLBACK_LOCALE: Locale = "zh-CN";

/** A parameter: a value shown as it is (null as "null", as a template would), a message of its own, or a list of them (rendered in the same language). */
export type MessageParam = string | number | boolean | null | undefined | Message | MessageList | PerLocale;

/**
 * A value already said in each language — a vocabulary word kept elsewhere (e.g. the Chinese
 * words of enum values in spreadsheets/labels.ts) beside the value programs read.
 */
export interface PerLocale {
  readonly perLocale: Readonly<Record<Locale, string>>;
}

export function perLocale(values: Readonly<Record<Locale, string>>): PerLocale {
  return { perLocale: values };
}

/**
 * Several values in one parameter, joined as the language joins them ("；" or "; ", "、" or ", ",
 * "和" or " and "; "or" as graphql-js says a choice: `"a" or "b"`, `"a", "b", or "c"`, Chinese `"a"、"b" 或 "c"`).
 */
export interface MessageList {
  readonly items: ReadonlyArray<string | number | Message>;
  readonly joiner: "semicolon" | "comma" | "and" | "or";
}

export function messageList(items: ReadonlyArray<string | number | Message>, joiner: MessageList["joiner"] = "semicolon"): MessageList {
  return { items, joiner };
}
export type MessageParams = Readonly<Record<string, MessageParam>>;

/** A message as code says it: which one, and the values it names. */
export interface Message {
  readonly key: MessageKey;
  readonly params?: MessageParams;
}

export function message(key: MessageKey, params?: MessageParams): Message {
  return params ? { key, params } : { key };
}

export function isMessage(value: unknown): value is Message {
  return typeof value === "object" && value !== null && typeof (value as Message).key === "string" && (value as Message).key in zhCN;
}

export const CATALOGUES: Readonly<Record<Locale, Readonly<Record<MessageKey, string>>>> = { "zh-CN": zhCN, en };

const engine = i18next.createInstance();
void engine.init({
  initAsync: false,
  resources: { "zh-CN": { translation: zhCN }, en: { translation: en } },
  lng: FALLBACK_LOCALE,
  fallbackLng: false,
  supportedLngs: [...LOCALES],
  load: "currentOnly",
  keySeparator: false,
  nsSeparator: false,
  // Messages are text (JSON, a terminal, a socket's close reason), never HTML.
  interpolation: { escapeValue: false },
  returnNull: false,
});

/** The message's words in this language. */
export function render(locale: Locale, said: Message): string {
  const values: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(said.params ?? {})) values[name] = renderParam(locale, value);
  return engine.t(said.key, { ...values, lng: locale });
}

function renderParam(locale: Locale, value: MessageParam): string | number {
  if (typeof value === "number" || typeof value === "string") return value;
  if (value === null || typeof value !== "object") return String(value);
  if ("perLocale" in value) return value.perLocale[locale];
  if ("items" in value) {
    const items = value.items.map((item) => String(renderParam(locale, item)));
    if (value.joiner !== "or") return items.join(engine.t(`list.${value.joiner}`, { lng: locale }));
    // A choice: "a or b" between two, "a, b, or c" among more (the last one's separator differs).
    if (items.length < 3) return items.join(engine.t("list.or.two", { lng: locale }));
    return items.slice(0, -1).join(engine.t("list.comma", { lng: locale })) + engine.t("list.or.last", { lng: locale }) + items[items.length - 1];
  }
  return render(locale, value);
}

/** One of the supported locales, given as `zh-CN`, `zh`, `en`, `en-US` … (case-insensitive); null for anything else. */
export function supportedLocale(value: string | null | undefined): Locale | null {
  const tag = value?.trim().toLowerCase().replace(/_/g, "-");
  if (!tag) return null;
  if (tag === "zh" || tag.startsWith("zh-")) return "zh-CN";
  if (tag === "en" || tag.startsWith("en-")) return "en";
  return null;
}

/**
 * The language of a request from its Accept-Language header (quality values respected, `zh`,
 * `zh-Hans`, `en-US` matched by their language): the supported one the client prefers most, or
 * the default when it names none of them (or sends no header).
 */
export function negotiateLocale(acceptLanguage: string | readonly string[] | undefined, defaultLocale: Locale): Locale {
  const header = typeof acceptLanguage === "string" ? acceptLanguage : acceptLanguage?.join(", ");
  if (!header?.trim()) return defaultLocale;
  // Negotiator reads the header (its quality values and order); supportedLocale maps each tag to ours.
  const tags = new Negotiator({ headers: { "accept-language": header } }).languages();
  for (const tag of tags) {
    if (tag === "*") return defaultLocale;
    const locale = supportedLocale(tag);
    if (locale) return locale;
  }
  return defaultLocale;
}

/**
 * The language of what the process itself says outside any request: the service's start-up,
 * shutdown and log lines and its configuration errors (DEFAULT_LOCALE), a command's output and
 * problems (its --lang or locale environment, scripts/cli-language.ts, which sets it).
 */
let processLanguage: Locale | null = null;

export function processLocale(): Locale {
  return processLanguage ?? LOCALES.find((locale) => locale.toLowerCase() === process.env.DEFAULT_LOCALE?.trim().toLowerCase()) ?? FALLBACK_LOCALE;
}

export function setProcessLocale(locale: Locale): void {
  processLanguage = locale;
}

/** A catalogue message in the process's language (processLocale). */
export function sayHere(key: MessageKey, params?: MessageParams): string {
  return render(processLocale(), message(key, params));
}

/**
 * An error whose words are a catalogue message: `said` for a printer that renders it in its
 * reader's language, `message` rendered in the process's language when it was made.
 */
export class LocalizedProblem extends Error {
  constructor(readonly said: Message) {
    super(render(processLocale(), said));
  }

  /** Its words in this language. */
  text(locale: Locale): string {
    return render(locale, this.said);
  }
}
