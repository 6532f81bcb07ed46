// The rules every string, id and date a client sends must keep, in one table. Each input field
// of the schema (and each argument of a root field) gets its rule by the field's name, with
// overrides for one input type; everything else is a single line of at most 200 characters.
// core/graphql/input-check.ts applies the rules to every query, mutation and subscription before it runs;
// the audit log (modules/audit) reads from them which values are personal data, so that it
// stores them masked, and secrets and files not at all.
//
// The rules are the outer bounds: no control characters (a NUL is something PostgreSQL's text
// cannot even hold), no bidirectional overrides (they make a name display as another), sane
// lengths, ids the service could have handed out, dates of this era. The services still check
// what only they can (a mobile number for a member, an ID number's check digit, a date not
// before another).
import {
  getNullableType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLInputType,
  type GraphQLSchema,
} from "graphql";
import { message, type Message, type MessageKey } from "../i18n/i18n";
import { KEY_PATTERN } from "../mutation/idempotency";
import { fromGlobalId } from "./relay";

/** What a personal value becomes in the audit log. */
export type PersonalData = "name" | "phone" | "idNumber" | "secret" | "file";

export interface StringRule {
  readonly kind: "string";
  /** What the rule is for, as the rule table names it (tests list them). */
  readonly name: string;
  /** Leading and trailing white space is removed before the other checks (and from the value the resolver gets). */
  readonly trim: boolean;
  /** Which control characters may appear: none, line breaks and tabs (free text), or white space of any kind (base64 files). */
  readonly controls: "none" | "lineBreaksAndTabs" | "whiteSpace";
  /** Bidirectional overrides (U+202A–U+202E, U+2066–U+2069) are refused, except in passwords. */
  readonly bidiOverrides: "refused" | "allowed";
  /** Longest value, in characters (code points) … */
  readonly maxChars?: number;
  /** … or in UTF-8 bytes. */
  readonly maxBytes?: number;
  readonly format?: { readonly pattern: RegExp; readonly says: MessageKey };
  /** A blank value is refused, or (where the field's description says so) means "clear it". */
  readonly blank: "refused" | "clears";
  readonly personal?: PersonalData;
}

export interface IdRule {
  readonly kind: "id";
  readonly name: "global id";
}

export interface DateRule {
  readonly kind: "date";
  readonly name: "date" | "past date";
  /** The field describes something that has happened: not later than now (one day of clock skew allowed). */
  readonly past: boolean;
}

export type InputRule = StringRule | IdRule | DateRule;

/** Where a field's rule came from: the review of the table starts with the fields left to the default. */
export type RuleSource = "type and field" | "field name" | "name ending" | "default" | "scalar";

// ---------------------------------------------------------------- the rules

const singleLine = { kind: "string", trim: true, controls: "none", bidiOverrides: "refused", blank: "refused" } as const;

const MAX_LINE_CHARS = 200;
export const MAX_TEXT_CHARS = 2000;
const MAX_NAME_CHARS = 50;
export const MAX_CODE_CHARS = 64;
/** bcrypt reads 72 bytes; a sign-in may check up to 1024 (modules/accounts/passwords.ts), new passwords are held to 72 there. */
const MAX_PASSWORD_BYTES = 1024;

const LINE: StringRule = { ...singleLine, name: "line", maxChars: MAX_LINE_CHARS };
const ADDRESS: StringRule = { ...singleLine, name: "address", maxChars: 300 };
const FILENAME: StringRule = { ...singleLine, name: "file name", maxChars: 255 };
const FREE_TEXT: StringRule = { ...singleLine, name: "free text", controls: "lineBreaksAndTabs", maxChars: MAX_TEXT_CHARS };
const PERSON_NAME: StringRule = { ...singleLine, name: "person's name", maxChars: MAX_NAME_CHARS, personal: "name" };
const CODE: StringRule = {
  ...singleLine,
  name: "code",
  maxChars: MAX_CODE_CHARS,
  format: { pattern: /^[\p{L}\p{N}._\-·/:#()（）+]+$/u, says: "rule.format.code" },
};
const PHONE: StringRule = {
  ...singleLine,
  name: "phone",
  maxChars: 20,
  format: {
    // Mainland mobile numbers (as members' phones must be), or a landline with its area code.
    pattern: /^(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/,
    says: "rule.format.phone",
  },
  personal: "phone",
};
const ID_NUMBER: StringRule = {
  ...singleLine,
  name: "resident ID number",
  maxChars: 18,
  // The check digit is the service's to check (InputErrors.idNumber, core/mutation/id-number.ts), with its other checks.
  format: { pattern: /^\d{17}[\dXx]$/, says: "rule.format.idNumber" },
  personal: "idNumber",
};
const PASSWORD: StringRule = { kind: "string", name: "password", trim: false, controls: "none", bidiOverrides: "allowed", maxBytes: MAX_PASSWORD_BYTES, blank: "refused", personal: "secret" };
const FILE: StringRule = {
  // Bounded by REQUEST_BODY_LIMIT_BYTES before the request is even parsed; the sheet import bounds the decoded file.
  kind: "string",
  name: "file (base64)",
  trim: false,
  controls: "whiteSpace",
  bidiOverrides: "refused",
  blank: "refused",
  personal: "file",
};
const CURSOR: StringRule = {
  ...singleLine,
  name: "cursor",
  trim: false,
  maxChars: 2000,
  format: { pattern: /^[A-Za-z0-9_+/=-]+$/, says: "rule.format.cursor" },
};
const IDEMPOTENCY_KEY: StringRule = {
  ...singleLine,
  name: "idempotency key",
  trim: false,
  maxChars: 100,
  // The idempotency plugin claims only keys of this form; a request with another is refused here.
  format: { pattern: KEY_PATTERN, says: "rule.format.idempotencyKey" },
};

/**
 * A GraphQL document a data endpoint saves (modules/data-endpoints): many lines, up to 8,000
 * characters — the shipped ones have about 1,000; GRAPHQL_MAX_TOKENS bounds it further.
 */
const GRAPHQL_DOCUMENT: StringRule = { ...singleLine, name: "GraphQL document", trim: false, controls: "lineBreaksAndTabs", maxChars: 8000 };

const GLOBAL_ID: IdRule = { kind: "id", name: "global id" };
const DATE: DateRule = { kind: "date", name: "date", past: false };
const PAST_DATE: DateRule = { kind: "date", name: "past date", past: true };

/** Rules of one input type's field, before any by name. */
const BY_TYPE_AND_FIELD: Record<string, StringRule | DateRule> = {
  // A member's name is a person's; other inputs' `name` is a site's, an item's, a certificate's, a key's.
  "AddTeamMemberInput.name": PERSON_NAME,
  "UpdateTeamMemberInput.name": PERSON_NAME,
  "RecordDrillInput.date": PAST_DATE,
  // A data endpoint's name is its URL's: the service holds it to lower-case letters, digits and hyphens.
  "RegisterDataEndpointInput.name": CODE,
  "Query.dataEndpoint.name": CODE,
  "RegisterDataEndpointInput.document": GRAPHQL_DOCUMENT,
  "UpdateDataEndpointInput.document": GRAPHQL_DOCUMENT,
  // Forces in the field (modules/field): a policy number is personal, kept out of the audit entry.
  "RecordMemberInsuranceInput.policyNumber": { ...singleLine, name: "insurance policy number", maxChars: 100, personal: "secret" },
  "CallUpTeamInput.task": FREE_TEXT,
  "AssignDeploymentTaskInput.task": FREE_TEXT,
  "ReportSituationInput.urgentNeeds": FREE_TEXT,
  "ReportSituationInput.asOf": PAST_DATE,
};

/** Rules by the field's (or argument's) name. */
const BY_FIELD_NAME: Record<string, StringRule | DateRule> = {
  password: PASSWORD,
  currentPassword: PASSWORD,
  newPassword: PASSWORD,
  idempotencyKey: IDEMPOTENCY_KEY,
  content: FILE,
  after: CURSOR,
  before: CURSOR,

  phone: PHONE,
  idNumber: ID_NUMBER,
  displayName: PERSON_NAME,
  custodianName: PERSON_NAME,
  contactName: PERSON_NAME,
  receiverName: PERSON_NAME,
  requesterName: PERSON_NAME,
  driverName: PERSON_NAME,
  commanderName: PERSON_NAME,
  approvedBy: PERSON_NAME,
  verbalOrderBy: PERSON_NAME,
  managerName: PERSON_NAME,
  headName: PERSON_NAME,
  ownerName: PERSON_NAME, // a requisitioned or registered resource's private owner (modules/transport)

  note: FREE_TEXT,
  description: FREE_TEXT,
  reason: FREE_TEXT,
  scenario: FREE_TEXT,
  result: FREE_TEXT,
  outcome: FREE_TEXT,
  source: FREE_TEXT,

  code: CODE,
  username: CODE,
  batchNumber: CODE,
  vehiclePlate: CODE,
  agreementNumber: CODE,
  registrationNumber: CODE,
  greenChannelPass: CODE,
  passNumber: CODE,

  address: ADDRESS,
  filename: FILENAME,

  productionDate: PAST_DATE,
  joinedOn: PAST_DATE,
  leftOn: PAST_DATE,
  issuedOn: PAST_DATE,
  lastDisclosureOn: PAST_DATE,
  occurredAt: PAST_DATE,
  startedAt: PAST_DATE,
  endedAt: PAST_DATE,
};

/** Rules by how the name ends, after those by the whole name. */
const BY_NAME_ENDING: Array<[RegExp, StringRule]> = [
  [/Phone$/, PHONE], // custodianPhone, contactPhone, receiverPhone, driverPhone
  [/Code$/, CODE], // creditCode, and the filters by code (regionCode, siteCode)
  [/Codes$/, CODE], // itemCodes
  [/Prefix$/, CODE], // codePrefix
];

/**
 * Fields where an empty string means "clear it", as their descriptions say: everywhere else a
 * blank value is refused (leave the field out instead).
 */
const BLANK_CLEARS = new Set([
  "UpdateStorageSiteInput.custodianName",
  "UpdateStorageSiteInput.custodianPhone",
  "UpdateSupplyItemInput.specification",
  "UpdateReservePartnerInput.creditCode",
  "UpdateReservePartnerInput.contactName",
  "UpdateReservePartnerInput.contactPhone",
  "UpdateDispatchOrderInput.note",
  "UpdateTeamMemberInput.phone",
  "UpdateSocialTeamRecordInput.registrationNumber",
  "UpdateSocialTeamRecordInput.registrationAuthority",
  "UpdateDataEndpointInput.description",
  "UpdateShelterInput.managerName",
  "UpdateShelterInput.managerPhone",
]);

/** The fields of the table whose blank value clears them (for the test that their descriptions say so). */
export const FIELDS_CLEARED_BY_BLANK: ReadonlySet<string> = BLANK_CLEARS;

/**
 * The rule of one input field or argument: `owner` is the input type's name (for a root
 * field's argument, e.g. `Query.storageSite`), `scalar` the name of its scalar type. Null for
 * a scalar with no rule (Int, Float, Boolean) — and for one the table does not know,
 * which the schema check refuses at start-up.
 */
export function ruleFor(owner: string, field: string, scalar: string): { rule: InputRule; source: RuleSource } | null {
  if (scalar === "ID") return { rule: GLOBAL_ID, source: "scalar" };
  if (scalar !== "String" && scalar !== "LocalDate" && scalar !== "DateTimeISO") return null;
  const wanted = scalar === "String" ? "string" : "date";
  const pick = (rule: StringRule | DateRule | undefined) => (rule?.kind === wanted ? rule : undefined);
  const typed = pick(BY_TYPE_AND_FIELD[`${owner}.${field}`]);
  const named = typed ? undefined : pick(BY_FIELD_NAME[field]);
  const ending = typed || named || wanted !== "string" ? undefined : BY_NAME_ENDING.find(([pattern]) => pattern.test(field))?.[1];
  const found = typed ?? named ?? ending;
  const rule = found ?? (wanted === "string" ? LINE : DATE);
  const source: RuleSource = typed ? "type and field" : named ? "field name" : ending ? "name ending" : "default";
  if (rule.kind === "string" && BLANK_CLEARS.has(`${owner}.${field}`)) return { rule: { ...rule, blank: "clears" }, source };
  return { rule, source };
}

/** Scalars that carry no rule: GraphQL itself keeps them to their type. */
const UNCHECKED_SCALARS = new Set(["Int", "Float", "Boolean"]);

/** Fails when an input field or argument has a scalar the table has no rule for (a new scalar needs one). */
export function assertEveryInputHasARule(schema: GraphQLSchema): void {
  const missing = inputLeaves(schema).filter((leaf) => !UNCHECKED_SCALARS.has(leaf.scalar) && !ruleFor(leaf.owner, leaf.field, leaf.scalar));
  if (missing.length) throw new Error(`core/graphql/input-rules.ts has no rule for: ${missing.map((leaf) => `${leaf.owner}.${leaf.field} (${leaf.scalar})`).join(", ")}`);
}

export interface InputLeaf {
  /** The input type, or `Query.<field>` / `Mutation.<field>` / `Subscription.<field>` for a root field's argument. */
  owner: string;
  field: string;
  scalar: string;
  /** The root fields it is reached from, e.g. `Mutation.addTeamMember`. */
  reachedFrom: string[];
}

/** Every scalar input field and argument (enums aside) of the schema's queries, mutations and subscriptions, each once. */
export function inputLeaves(schema: GraphQLSchema): InputLeaf[] {
  const leaves = new Map<string, InputLeaf>();
  const visit = (owner: string, input: GraphQLArgument | GraphQLInputField, root: string, seen: Set<string>) => {
    let type = getNullableType(input.type) as GraphQLInputType;
    while (isListType(type)) type = getNullableType(type.ofType) as GraphQLInputType;
    if (isInputObjectType(type)) {
      if (seen.has(type.name)) return;
      seen.add(type.name);
      for (const field of Object.values(type.getFields())) visit(type.name, field, root, seen);
      return;
    }
    if (!isScalarType(type)) return;
    const key = `${owner}.${input.name}`;
    const leaf = leaves.get(key) ?? { owner, field: input.name, scalar: type.name, reachedFrom: [] };
    if (!leaf.reachedFrom.includes(root)) leaf.reachedFrom.push(root);
    leaves.set(key, leaf);
  };
  for (const rootType of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    for (const field of Object.values(rootType?.getFields() ?? {})) {
      const root = `${rootType!.name}.${field.name}`;
      for (const arg of field.args) visit(root, arg, root, new Set());
    }
  }
  return [...leaves.values()];
}

// ---------------------------------------------------------------- walking a value with its type

/** Called for every value that has a rule; `required` when its type is non-null. */
export type LeafMapper = (rule: InputRule, value: unknown, path: string, required: boolean) => unknown;

/**
 * Rebuilds a root field's arguments along their GraphQL input types (nested inputs and lists
 * included), passing every value that has a rule to `leaf` and keeping what it returns. Values
 * that do not fit the type — the audit log reads the arguments of requests that failed
 * validation too — are passed to `misfit`.
 */
export function mapArguments(
  rootTypeName: string,
  field: GraphQLField<unknown, unknown>,
  args: Record<string, unknown>,
  leaf: LeafMapper,
  misfit: (value: unknown, path: string) => unknown = (value) => value,
): Record<string, unknown> {
  const owner = `${rootTypeName}.${field.name}`;
  const definitions = new Map(field.args.map((arg) => [arg.name, arg]));
  const mapped: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(args)) {
    const definition = definitions.get(name);
    mapped[name] = definition ? mapValue(definition.type, value, owner, name, name, leaf, misfit) : misfit(value, name);
  }
  return mapped;
}

function mapValue(type: GraphQLInputType, value: unknown, owner: string, fieldName: string, path: string, leaf: LeafMapper, misfit: (value: unknown, path: string) => unknown): unknown {
  if (value === null || value === undefined) return value;
  const nullable = getNullableType(type) as GraphQLInputType;
  if (isListType(nullable)) {
    const itemType = nullable.ofType as GraphQLInputType;
    // A single value where a list is expected is a list of one, as GraphQL coerces it.
    return Array.isArray(value) ? value.map((item, i) => mapValue(itemType, item, owner, fieldName, `${path}[${i}]`, leaf, misfit)) : mapValue(itemType, value, owner, fieldName, path, leaf, misfit);
  }
  if (isInputObjectType(nullable)) {
    if (typeof value !== "object" || Array.isArray(value)) return misfit(value, path);
    const fields = nullable.getFields();
    const mapped: Record<string, unknown> = {};
    for (const [name, item] of Object.entries(value)) {
      const definition = fields[name];
      mapped[name] = definition ? mapValue(definition.type, item, nullable.name, name, `${path}.${name}`, leaf, misfit) : misfit(item, `${path}.${name}`);
    }
    return mapped;
  }
  if (isScalarType(nullable)) {
    const found = ruleFor(owner, fieldName, nullable.name);
    return found ? leaf(found.rule, value, path, isNonNullType(type)) : value;
  }
  return value; // an enum value
}

// ---------------------------------------------------------------- checking one value

export type InputProblemCode = "CONTROL_CHARACTER" | "TOO_LONG" | "BLANK" | "INVALID_FORMAT" | "OUT_OF_RANGE" | "INVALID_ID";

export interface InputProblem {
  field: string;
  code: InputProblemCode;
  /** Which rule's message says it (core/i18n), with its values, but not the field: "must not be blank". */
  said: Message;
}

const BIDI_OVERRIDE = /[\u202A-\u202E\u2066-\u2069]/;
const CONTROLS = {
  none: /[\p{Cc}\u2028\u2029]/u,
  lineBreaksAndTabs: /[^\P{Cc}\t\n\r]/u,
  whiteSpace: /[^\P{Cc}\t\n\r\f\v]/u,
} as const;

function codePoint(text: string, index: number): string {
  return `U+${text.codePointAt(index)!.toString(16).toUpperCase().padStart(4, "0")}`;
}

/** Checks a string against its rule; the value the resolver gets (trimmed where the rule trims), or the problem. */
export function checkString(rule: StringRule, value: string, field: string, required: boolean): { value: string } | { problem: InputProblem } {
  const control = CONTROLS[rule.controls].exec(value);
  if (control) {
    const key = rule.controls === "none" ? "rule.noControls" : "rule.noControlsButLineBreaks";
    return { problem: { field, code: "CONTROL_CHARACTER", said: message(key, { codePoint: codePoint(value, control.index), position: control.index + 1 }) } };
  }
  const bidi = rule.bidiOverrides === "refused" ? BIDI_OVERRIDE.exec(value) : null;
  if (bidi) return { problem: { field, code: "CONTROL_CHARACTER", said: message("rule.noBidi", { codePoint: codePoint(value, bidi.index), position: bidi.index + 1 }) } };
  const text = rule.trim ? value.trim() : value;
  if (text.trim() === "") {
    if (rule.blank === "clears") return { value: "" };
    return { problem: { field, code: "BLANK", said: message(required ? "rule.blank" : "rule.blankLeaveOut") } };
  }
  if (rule.maxChars !== undefined) {
    const chars = [...text].length;
    if (chars > rule.maxChars) return { problem: { field, code: "TOO_LONG", said: message("rule.tooLongChars", { max: rule.maxChars, actual: chars }) } };
  }
  if (rule.maxBytes !== undefined) {
    const bytes = Buffer.byteLength(text, "utf8");
    if (bytes > rule.maxBytes) return { problem: { field, code: "TOO_LONG", said: message("rule.tooLongBytes", { max: rule.maxBytes, actual: bytes }) } };
  }
  if (rule.format && !rule.format.pattern.test(text)) return { problem: { field, code: "INVALID_FORMAT", said: message("rule.format", { format: message(rule.format.says) }) } };
  return { value: text };
}

/** Global ids the service hands out: a type it has, and a number a PostgreSQL integer key can hold (relay.ts). */
export function checkId(value: string, field: string, typeNames: ReadonlySet<string>): InputProblem | null {
  const parsed = fromGlobalId(value);
  if (parsed && typeNames.has(parsed.typeName)) return null;
  return { field, code: "INVALID_ID", said: message("rule.invalidId") };
}

const EARLIEST_DATE = "1900-01-01";
const LATEST_DATE = "2099-12-31";
const EARLIEST_MS = Date.parse(`${EARLIEST_DATE}T00:00:00Z`);
const AFTER_LATEST_MS = Date.parse(`${LATEST_DATE}T00:00:00Z`) + 86_400_000;
/** How far in the future a "past" value may lie: clocks disagree, and the district's day starts 8 hours before UTC's. */
const CLOCK_SKEW_MS = 86_400_000;

/** A LocalDate (YYYY-MM-DD, checked by its scalar) or a DateTimeISO (a Date). */
export function checkDate(rule: DateRule, value: string | Date, field: string): InputProblem | null {
  const isDay = typeof value === "string";
  const ms = isDay ? Date.parse(`${value}T00:00:00Z`) : value.getTime();
  if (!(ms >= EARLIEST_MS && ms < AFTER_LATEST_MS)) {
    return { field, code: "OUT_OF_RANGE", said: message("rule.dateRange", { earliest: EARLIEST_DATE, latest: LATEST_DATE }) };
  }
  const latest = Date.now() + CLOCK_SKEW_MS;
  const tooLate = isDay ? value > new Date(latest).toISOString().slice(0, 10) : ms > latest;
  if (rule.past && tooLate) return { field, code: "OUT_OF_RANGE", said: message("rule.pastDate") };
  return null;
}

/** The type names of the schema's global ids: every object type with an `id: ID` field. */
export function globalIdTypeNames(schema: GraphQLSchema): Set<string> {
  const names = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith("__")) continue;
    const id = type.getFields().id;
    if (id && String(getNullableType(id.type)) === "ID") names.add(type.name);
  }
  return names;
}
