// Applies the input rules (core/graphql/input-rules.ts) to the arguments of every query, mutation
// and subscription before its resolver (a subscription's `subscribe`) runs, so that no resolver,
// service or SQL statement ever sees a NUL, a 10,000-character name, an id no row can have or the
// year 0. It runs after the role check (core/access/field-roles.ts wraps it) and inside the audit
// wrapper, so a refused or rejected attempt is still recorded.
//
// A mutation with a bad value answers with UserErrors in its payload, one per bad value, and
// nothing else runs; a query or a subscription answers with a top-level BAD_USER_INPUT naming the
// first. Strings reach the resolver trimmed where their rule trims.
import { getNamedType, isObjectType, type GraphQLField, type GraphQLFieldResolver, type GraphQLObjectType, type GraphQLSchema } from "graphql";
import { message } from "../i18n/i18n";
import { localizedError, UserError } from "./errors";
import { assertEveryInputHasARule, checkDate, checkId, checkString, globalIdTypeNames, mapArguments, type InputProblem, type LeafMapper } from "./input-rules";

/** The arguments as the resolver gets them, and what was wrong with them. */
export function checkArguments(rootTypeName: string, field: GraphQLField<unknown, unknown>, args: Record<string, unknown>, idTypes: ReadonlySet<string>): { args: Record<string, unknown>; problems: InputProblem[] } {
  const problems: InputProblem[] = [];
  const leaf: LeafMapper = (rule, value, path, required) => {
    if (rule.kind === "string") {
      if (typeof value !== "string") return value;
      const checked = checkString(rule, value, path, required);
      if ("problem" in checked) problems.push(checked.problem);
      return "value" in checked ? checked.value : value;
    }
    const problem = rule.kind === "id" ? (typeof value === "string" ? checkId(value, path, idTypes) : null) : typeof value === "string" || value instanceof Date ? checkDate(rule, value, path) : null;
    if (problem) problems.push(problem);
    return value;
  };
  return { args: mapArguments(rootTypeName, field, args, leaf), problems };
}

/**
 * Wraps the resolver of every Query and Mutation field, and the `subscribe` of every
 * Subscription field, with the check. Call it on the built schema before the role checks are
 * wrapped around them (they must run first).
 */
export function checkInputsBeforeResolvers(schema: GraphQLSchema): void {
  assertEveryInputHasARule(schema);
  const idTypes = globalIdTypeNames(schema);
  for (const rootType of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    if (!rootType) continue;
    // A subscription's arguments are read once, when it subscribes; each event's resolve gets them as they were.
    const entry = rootType === schema.getSubscriptionType() ? "subscribe" : "resolve";
    for (const field of Object.values(rootType.getFields())) {
      if (!field.args.length) continue;
      const inner = field[entry];
      if (!inner) throw new Error(`${rootType.name}.${field.name} has no ${entry} to check the input of`);
      const refuse = rootType === schema.getMutationType() ? inPayload(rootType, field) : asTopLevelError;
      const wrapped: GraphQLFieldResolver<unknown, unknown> = (source, args, context, info) => {
        const checked = checkArguments(rootType.name, field, args, idTypes);
        if (checked.problems.length) return refuse(checked.problems);
        return inner(source, checked.args, context, info);
      };
      field[entry] = wrapped;
    }
  }
}

/** A mutation's answer to bad input: its payload with only `errors` (every mutation payload has them). */
function inPayload(rootType: GraphQLObjectType, field: GraphQLField<unknown, unknown>): (problems: InputProblem[]) => unknown {
  const answer = payloadAnswer(rootType, field);
  return (problems) => answer(problems.map((problem) => new UserError(problem.field, problem.code, "input.fieldSays", { field: problem.field, rule: problem.said })));
}

/**
 * How a mutation answers what is wrong with its input before its resolver runs: its payload with
 * only `errors`. Checked when the schema is built, for a mutation whose payload has no `errors`.
 */
export function payloadAnswer(rootType: GraphQLObjectType, field: GraphQLField<unknown, unknown>): (errors: UserError[]) => { errors: UserError[] } {
  const payload = getNamedType(field.type);
  if (!isObjectType(payload) || !payload.getFields().errors) throw new Error(`${rootType.name}.${field.name} returns no payload with errors: its input cannot be refused in it`);
  return (errors) => ({ errors });
}

/** A query's or subscription's answer to bad input: BAD_USER_INPUT naming the first bad value, with its rule's code. */
function asTopLevelError(problems: InputProblem[]): never {
  const [{ field, code, said }] = problems;
  throw localizedError(message("input.badUserInput", { field, reason: said }), { extensions: { code: "BAD_USER_INPUT", field, rule: code } });
}
