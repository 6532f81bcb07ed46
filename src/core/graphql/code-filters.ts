// Filters by the codes staff know (KZ-S01, KZ-S01-P, KZ-TT-S01), one way for every filter input.
//
// A filter field that names an object by id (`regionId`, `siteId`, `itemIds`) is declared with
// `@IdOrCodeFilter`, which declares its twin by code as well (`regionCode`, `siteCode`,
// `itemCodes`). Before any resolver runs, `resolveCodesBeforeResolvers` turns each code given into
// the object's global id in the id field, through the same by-code loaders as `region(code:)`, so
// no service ever sees a code and every filter, list, export, subscription and data URL
// (`/data/stock-by-site.csv?regionCode=KZ-S01`) takes codes the same way. Both given is refused
// unless they name the same object; a code no object has is refused naming the field — an empty
// answer would look like "no stock there" on a dashboard when the address was only mistyped.
import {
  defaultFieldResolver,
  getNamedType,
  getNullableType,
  isInputObjectType,
  isListType,
  isObjectType,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLInputObjectType,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from "graphql";
import { Field, ID } from "type-graphql";
import { message, type MessageKey, type MessageParams } from "../i18n/i18n";
import { localizedError, UserError } from "./errors";
import { payloadAnswer } from "./input-check";
import { toGlobalId } from "./relay";

/** A type whose objects staff know by code, and a code of one for the descriptions. */
export interface CodedType {
  typeName: string;
  /** Its Chinese term, for messages: 区域, 储备点. */
  term: string;
  example: string;
}

export function codedType(typeName: string, term: string, example: string): CodedType {
  return { typeName, term, example };
}

interface CodeTwin {
  idField: string;
  codeField: string;
  coded: CodedType;
  list: boolean;
}

/** Filter input class → its id fields with a twin by code, as the decorator declared them. */
const twinsByClass = new Map<Function, CodeTwin[]>();

/** The twin of `regionId` is `regionCode`, of `itemIds` `itemCodes`. */
export function codeFieldName(idField: string): string {
  if (/Ids$/.test(idField)) return idField.replace(/Ids$/, "Codes");
  if (/Id$/.test(idField)) return idField.replace(/Id$/, "Code");
  throw new Error(`@IdOrCodeFilter on ${idField}: the field's name must end in Id or Ids`);
}

/**
 * Declares a filter field by id (`@Field(() => ID)`, or `[ID]` with `list`) and its twin by
 * code. `description` is the id field's, Chinese term first ("区域。Only sites in this region…");
 * the twin's says it is the same condition by code.
 */
export function IdOrCodeFilter(coded: CodedType, description: string, options: { list?: boolean } = {}): PropertyDecorator {
  return (prototype, property) => {
    const idField = String(property);
    const codeField = codeFieldName(idField);
    const list = options.list ?? false;
    const term = description.split(/[。 ]/)[0];
    Field(() => (list ? [ID] : ID), { nullable: true, description })(prototype, idField);
    Field(() => (list ? [String] : String), {
      nullable: true,
      description: `${term}编码。The same condition as \`${idField}\`, by ${list ? "codes" : "code"} as staff know ${list ? "them" : "it"} (e.g. \`${coded.example}\`) instead of ${list ? "ids" : "id"}; give one of the two.`,
    })(prototype, codeField);
    const twins = twinsByClass.get(prototype.constructor) ?? [];
    twins.push({ idField, codeField, coded, list });
    twinsByClass.set(prototype.constructor, twins);
  };
}

/** Which input types of the schema have code twins (type-graphql names an input type after its class). */
export function codeTwinsByInputType(schema: GraphQLSchema): Map<string, CodeTwin[]> {
  const byName = new Map<string, CodeTwin[]>();
  for (const [cls, twins] of twinsByClass) {
    const type = schema.getType(cls.name);
    if (type && isInputObjectType(type)) byName.set(type.name, twins);
  }
  return byName;
}

/** Database ids of the objects with these codes (null where none has it), in the codes' order. */
export type CodeLookup<Ctx> = (ctx: Ctx, codes: readonly string[]) => Promise<ReadonlyArray<number | null>>;

interface Problem {
  field: string;
  code: "UNKNOWN_CODE" | "ID_AND_CODE_DIFFER";
  key: MessageKey;
  params: MessageParams;
}

/**
 * Wraps every field (a subscription's `subscribe`) whose arguments reach a filter input with
 * code twins: codes become global ids in the id fields before the resolver runs. Call it inside
 * the input rules' wrapper (so a code is checked as a code first) and outside the resolver.
 */
export function resolveCodesBeforeResolvers<Ctx>(schema: GraphQLSchema, lookups: Record<string, CodeLookup<Ctx>>): void {
  const twins = codeTwinsByInputType(schema);
  for (const list of twins.values()) {
    for (const twin of list) if (!lookups[twin.coded.typeName]) throw new Error(`no code lookup for ${twin.coded.typeName} (${twin.codeField})`);
  }
  // Root fields and nested ones alike: `StorageSite.stock(where: { itemCodes: … })` takes codes too.
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith("__")) continue;
    const isSubscription = type === schema.getSubscriptionType();
    // A subscription's arguments are read once, when it subscribes.
    const entry = isSubscription ? "subscribe" : "resolve";
    for (const field of Object.values(type.getFields())) {
      if (!field.args.some((arg) => reachesTwins(arg.type, twins, new Set()))) continue;
      const inner = field[entry] ?? (isSubscription ? undefined : defaultFieldResolver);
      if (!inner) throw new Error(`${type.name}.${field.name} has no ${entry} to resolve codes for`);
      const refuse = type === schema.getMutationType() ? inPayload(type, field) : asTopLevelError;
      const wrapped: GraphQLFieldResolver<unknown, unknown> = async (source, args, context, info) => {
        const resolved = await resolveCodes(field, args, twins, lookups, context as Ctx);
        if ("problem" in resolved) return refuse(resolved.problem);
        return inner(source, resolved.args, context, info);
      };
      field[entry] = wrapped;
    }
  }
}

function reachesTwins(type: GraphQLInputType, twins: Map<string, CodeTwin[]>, seen: Set<string>): boolean {
  const named = getNamedType(type);
  if (!isInputObjectType(named) || seen.has(named.name)) return false;
  if (twins.has(named.name)) return true;
  seen.add(named.name);
  return Object.values(named.getFields()).some((f) => reachesTwins(f.type, twins, seen));
}

interface Pending {
  /** The object the id goes into (a copy of the input's). */
  target: Record<string, unknown>;
  twin: CodeTwin;
  path: string;
  codes: string[];
}

async function resolveCodes<Ctx>(
  field: GraphQLField<unknown, unknown>,
  args: Record<string, unknown>,
  twins: Map<string, CodeTwin[]>,
  lookups: Record<string, CodeLookup<Ctx>>,
  ctx: Ctx,
): Promise<{ args: Record<string, unknown> } | { problem: Problem }> {
  const pending: Pending[] = [];
  const copied: Record<string, unknown> = { ...args };
  for (const arg of field.args) {
    if (copied[arg.name] !== undefined) copied[arg.name] = collect(arg.type, copied[arg.name], arg.name, twins, pending);
  }
  if (!pending.length) return { args };
  for (const item of pending) {
    const ids = await lookups[item.twin.coded.typeName](ctx, item.codes);
    const missing = item.codes.findIndex((_, i) => ids[i] === null || ids[i] === undefined);
    if (missing >= 0) {
      const at = item.twin.list ? `${item.path}.${item.twin.codeField}[${missing}]` : `${item.path}.${item.twin.codeField}`;
      return { problem: { field: at, code: "UNKNOWN_CODE", key: "codes.unknown", params: { code: item.codes[missing], type: item.twin.coded.typeName, term: item.twin.coded.term } } };
    }
    const globalIds = ids.map((id) => toGlobalId(item.twin.coded.typeName, id!));
    const given = item.target[item.twin.idField];
    if (given !== null && given !== undefined) {
      const same = item.twin.list ? Array.isArray(given) && given.length === globalIds.length && given.every((g, i) => g === globalIds[i]) : given === globalIds[0];
      if (!same) return { problem: { field: `${item.path}.${item.twin.codeField}`, code: "ID_AND_CODE_DIFFER", key: "codes.idAndCodeDiffer", params: { idField: item.twin.idField, codeField: item.twin.codeField } } };
    }
    item.target[item.twin.idField] = item.twin.list ? globalIds : globalIds[0];
    delete item.target[item.twin.codeField];
  }
  return { args: copied };
}

/** Copies the input objects on the way to a filter with codes given, and notes what to look up. */
function collect(type: GraphQLInputType, value: unknown, path: string, twins: Map<string, CodeTwin[]>, pending: Pending[]): unknown {
  if (value === null || value === undefined) return value;
  const nullable = getNullableType(type) as GraphQLInputType;
  if (isListType(nullable)) {
    return Array.isArray(value) ? value.map((item, i) => collect(nullable.ofType as GraphQLInputType, item, `${path}[${i}]`, twins, pending)) : value;
  }
  if (!isInputObjectType(nullable) || typeof value !== "object") return value;
  const input = nullable as GraphQLInputObjectType;
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const twin of twins.get(input.name) ?? []) {
    const code = copy[twin.codeField];
    if (code === null || code === undefined) {
      delete copy[twin.codeField];
      continue;
    }
    const codes = Array.isArray(code) ? (code as string[]) : [code as string];
    pending.push({ target: copy, twin, path, codes });
  }
  for (const [name, fieldDef] of Object.entries(input.getFields())) {
    if (copy[name] !== undefined && isInputObjectType(getNamedType(fieldDef.type))) copy[name] = collect(fieldDef.type, copy[name], `${path}.${name}`, twins, pending);
  }
  return copy;
}

function inPayload(rootType: GraphQLObjectType, field: GraphQLField<unknown, unknown>): (problem: Problem) => unknown {
  const answer = payloadAnswer(rootType, field);
  return (problem) => answer([new UserError(problem.field, problem.code, problem.key, problem.params)]);
}

function asTopLevelError(problem: Problem): never {
  throw localizedError(message("input.badUserInput", { field: problem.field, reason: message(problem.key, problem.params) }), {
    extensions: { code: "BAD_USER_INPUT", field: problem.field, rule: problem.code },
  });
}
