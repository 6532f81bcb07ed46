// graphql-js's own messages as catalogue messages (src/core/i18n/graphql-messages.ts): one case
// per shape, each message made by graphql-js itself (parse, validate, variable coercion), so that
// an upgrade of graphql that rewords one fails here. In English the catalogue gives back
// graphql-js's words exactly; in Chinese the same names, types and values in Chinese sentences.
import { buildSchema, execute, getOperationAST, getVariableValues, GraphQLError, parse, specifiedRules, validate, type OperationDefinitionNode } from "graphql";
import { GraphQLLocalDate } from "graphql-scalars";
import { version } from "graphql/version";
import { graphqlMessage } from "../src/core/i18n/graphql-messages";
import { render, type MessageKey } from "../src/core/i18n/i18n";

const HAN = /\p{Script=Han}/u;

const schema = buildSchema(`
  directive @tag(name: String!) on FIELD
  scalar LocalDate
  scalar Code
  enum Tier { DISTRICT TOWNSHIP }
  input Where { code: String!, tier: Tier, count: Int, day: LocalDate }
  input Pick @oneOf { id: ID, code: String }
  interface Node { id: ID! }
  type Site implements Node { id: ID!, code: String!, name: String, tier: Tier }
  type Team implements Node { id: ID!, name: String }
  union Found = Site | Team
  type Query {
    site(code: String!): Site
    sites(where: Where, first: Int, ids: [ID!]): [Site!]!
    pick(by: Pick!): Site
    node(id: ID!): Node
    found: Found
    count: Int
    day(on: LocalDate): String
    coded(code: Code): String
  }
  type Subscription { a: Int, b: Int }
`);
Object.assign(schema.getType("Code")!, {
  parseLiteral: () => {
    throw new TypeError("not a code");
  },
});
Object.assign(schema.getType("LocalDate")!, { parseValue: GraphQLLocalDate.parseValue, parseLiteral: GraphQLLocalDate.parseLiteral });

function syntaxMessage(source: string, options?: { maxTokens?: number }): string {
  try {
    parse(source, options);
  } catch (error) {
    return (error as GraphQLError).message;
  }
  throw new Error(`parses: ${source}`);
}

function validationMessages(source: string): string[] {
  return validate(schema, parse(source), specifiedRules).map((error) => error.message);
}

function variableMessages(source: string, variables: Record<string, unknown>): string[] {
  const operation = getOperationAST(parse(source)) as OperationDefinitionNode;
  return (getVariableValues(schema, operation.variableDefinitions ?? [], variables, { maxErrors: 3 }).errors ?? []).map((error) => error.message);
}

/** [what graphql-js was given, the message it made, the catalogue key it must map to]. */
const CASES: Array<[string, () => string, MessageKey]> = [
  // language/: "Syntax Error: …"
  ["unexpected end", () => syntaxMessage("{ site(code: \"x\") { id }"), "graphql.syntaxError"],
  ["unexpected character", () => syntaxMessage("{ site ? }"), "graphql.syntaxError"],
  ["unterminated string", () => syntaxMessage('{ site(code: "x) { id } }'), "graphql.syntaxError"],
  ["a bad number", () => syntaxMessage("{ sites(first: 01) { id } }"), "graphql.syntaxError"],
  ["a bad escape", () => syntaxMessage('{ site(code: "\\q") { id } }'), "graphql.syntaxError"],
  ["too many tokens", () => syntaxMessage("{ a b c d e f g h }", { maxTokens: 5 }), "graphql.syntaxError"],
  ["a variable in a constant", () => syntaxMessage("query ($a: Int = $b) { count }"), "graphql.syntaxError"],
  ["unexpected token", () => syntaxMessage("{ site(code: ) { id } }"), "graphql.syntaxError"],
  // validation/rules/
  ["unknown field, suggestions", () => validationMessages("{ site(code: \"x\") { nam } }")[0], "graphql.withSuggestion"],
  ["unknown field", () => validationMessages("{ site(code: \"x\") { zzzzzz } }")[0], "graphql.unknownField"],
  ["unknown field, inline fragment", () => validationMessages("{ found { code } }")[0], "graphql.withSuggestion"],
  ["unknown argument", () => validationMessages("{ site(code: \"x\", zzz: 1) { id } }")[0], "graphql.unknownArgument"],
  ["unknown directive argument", () => validationMessages('{ count @tag(name: "a", zzz: 1) }')[0], "graphql.unknownDirectiveArgument"],
  ["missing argument", () => validationMessages("{ site { id } }")[0], "graphql.missingArgument"],
  ["missing directive argument", () => validationMessages("{ count @tag }")[0], "graphql.missingDirectiveArgument"],
  ["missing input field", () => validationMessages("{ sites(where: { tier: DISTRICT }) { id } }")[0], "graphql.missingInputField"],
  ["unknown input field", () => validationMessages('{ sites(where: { code: "x", zzzz: 1 }) { id } }')[0], "graphql.unknownInputField"],
  ["enum value", () => validationMessages('{ sites(where: { code: "x", tier: NOPE }) { id } }')[0], "graphql.enum.unknownValue"],
  ["enum as a string", () => validationMessages('{ sites(where: { code: "x", tier: "DISTRICT" }) { id } }')[0], "graphql.withSuggestion"],
  ["a wrong literal", () => validationMessages('{ sites(first: "ten") { id } }')[0], "graphql.int.notInteger"],
  ["a literal a scalar refuses", () => validationMessages("{ coded(code: 7) }")[0], "graphql.wrongValueBecause"],
  ["an object for a scalar", () => validationMessages("{ sites(first: { a: 1 }) { id } }")[0], "graphql.int.notInteger"],
  ["a list for an input object", () => validationMessages("{ sites(where: [1]) { id } }")[0], "graphql.wrongValue"],
  ["null for a non-null", () => validationMessages("{ site(code: null) { id } }")[0], "graphql.wrongValue"],
  ["a bad date literal", () => validationMessages('{ day(on: "2026-02-30") }')[0], "graphql.localDate.invalid"],
  ["a selection on a leaf", () => validationMessages("{ count { a } }")[0], "graphql.selectionOnLeaf"],
  ["no selection", () => validationMessages('{ site(code: "x") }')[0], "graphql.withSuggestion"],
  ["unknown type", () => validationMessages("query ($a: Zzzzzz) { count }")[0], "graphql.unknownType"],
  ["unknown type, suggested", () => validationMessages("query ($a: Wher) { count }")[0], "graphql.withSuggestion"],
  ["unknown fragment", () => validationMessages("{ ...Nope }")[0], "graphql.unknownFragment"],
  ["unused fragment", () => validationMessages("{ count } fragment F on Query { count }")[0], "graphql.unusedFragment"],
  ["unknown directive", () => validationMessages("{ count @nope }")[0], "graphql.unknownDirective"],
  ["misplaced directive", () => validationMessages('query @tag(name: "a") { count }')[0], "graphql.misplacedDirective"],
  ["repeated directive", () => validationMessages('{ count @tag(name: "a") @tag(name: "b") }')[0], "graphql.repeatedDirective"],
  ["two operations of one name", () => validationMessages("query A { count } query A { count }")[0], "graphql.duplicateOperation"],
  ["two fragments of one name", () => validationMessages("{ ...F } fragment F on Query { count } fragment F on Query { count }")[0], "graphql.duplicateFragment"],
  ["two variables of one name", () => validationMessages("query ($a: Int, $a: Int) { sites(first: $a) { id } }")[0], "graphql.duplicateVariable"],
  ["two arguments of one name", () => validationMessages('{ site(code: "a", code: "b") { id } }')[0], "graphql.duplicateArgument"],
  ["two input fields of one name", () => validationMessages('{ sites(where: { code: "a", code: "b" }) { id } }')[0], "graphql.duplicateInputField"],
  ["a second anonymous operation", () => validationMessages("{ count } { count }")[0], "graphql.loneAnonymousOperation"],
  ["undefined variable", () => validationMessages("{ sites(first: $n) { id } }")[0], "graphql.undefinedVariable"],
  ["undefined variable in an operation", () => validationMessages("query Q { sites(first: $n) { id } }")[0], "graphql.undefinedVariableIn"],
  ["unused variable", () => validationMessages("query ($n: Int) { count }")[0], "graphql.unusedVariable"],
  ["unused variable in an operation", () => validationMessages("query Q($n: Int) { count }")[0], "graphql.unusedVariableIn"],
  ["a variable out of place", () => validationMessages("query ($c: String) { site(code: $c) { id } }")[0], "graphql.variablePosition"],
  ["a variable of an output type", () => validationMessages("query ($s: Site) { count }")[0], "graphql.variableNotInputType"],
  ["conflicting fields: arguments", () => validationMessages('{ s: site(code: "a") { id } s: site(code: "b") { id } }')[0], "graphql.fieldConflict"],
  ["conflicting fields: different fields", () => validationMessages("{ c: count c: day }")[0], "graphql.fieldConflict"],
  ["conflicting fields: types", () => validationMessages("{ node(id: 1) { ... on Site { x: code } ... on Team { x: id } } }")[0], "graphql.fieldConflict"],
  ["conflicting fields: subfields", () => validationMessages('{ s: site(code: "a") { n: name } s: site(code: "a") { n: code } }')[0], "graphql.fieldConflict"],
  ["an inline fragment on a scalar", () => validationMessages("{ ... on Int { count } }")[0], "graphql.inlineFragmentOnLeaf"],
  ["a fragment on a scalar", () => validationMessages("{ ...F } fragment F on Int { count }")[0], "graphql.fragmentOnLeaf"],
  ["an impossible inline fragment", () => validationMessages('{ site(code: "a") { ... on Team { name } } }')[0], "graphql.inlineFragmentImpossible"],
  ["an impossible fragment", () => validationMessages('{ site(code: "a") { ...T } } fragment T on Team { name }')[0], "graphql.fragmentImpossible"],
  ["a fragment cycle", () => validationMessages("{ ...A } fragment A on Query { ...A }")[0], "graphql.fragmentCycle"],
  ["a fragment cycle via another", () => validationMessages("{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }")[0], "graphql.fragmentCycleVia"],
  ["a type definition", () => validationMessages("{ count } type X { a: Int }")[0], "graphql.notExecutable"],
  ["a subscription of two fields", () => validationMessages("subscription S { a b }")[0], "graphql.subscriptionOneField"],
  ["an anonymous subscription of two fields", () => validationMessages("subscription { a b }")[0], "graphql.anonymousSubscriptionOneField"],
  ["a subscription of introspection", () => validationMessages("subscription S { __typename }")[0], "graphql.subscriptionIntrospection"],
  ["oneOf with two keys", () => validationMessages('{ pick(by: { id: "1", code: "a" }) { id } }')[0], "graphql.oneOfOneKey"],
  ["oneOf with null", () => validationMessages("{ pick(by: { code: null }) { id } }")[0], "graphql.oneOfNull"],
  // execution/values.js, utilities/coerceInputValue.js, the scalars and enums
  ["a variable of a wrong type", () => variableMessages("query ($n: Int) { sites(first: $n) { id } }", { n: "ten" })[0], "graphql.badVariable"],
  ["a variable out of Int's range", () => variableMessages("query ($n: Int) { sites(first: $n) { id } }", { n: 2 ** 40 })[0], "graphql.badVariable"],
  ["a variable's enum value", () => variableMessages("query ($w: Where) { sites(where: $w) { id } }", { w: { code: "x", tier: "NOPE" } })[0], "graphql.badVariableAt"],
  ["a variable's enum value, suggested", () => variableMessages("query ($w: Where) { sites(where: $w) { id } }", { w: { code: "x", tier: "DISTRIC" } })[0], "graphql.withSuggestion"],
  ["a variable's missing field", () => variableMessages("query ($w: Where) { sites(where: $w) { id } }", { w: {} })[0], "graphql.badVariable"],
  ["a variable's unknown field", () => variableMessages("query ($w: Where) { sites(where: $w) { id } }", { w: { code: "x", zzzz: 1 } })[0], "graphql.badVariable"],
  ["a variable's null inside a list", () => variableMessages("query ($ids: [ID!]) { sites(ids: $ids) { id } }", { ids: [null] })[0], "graphql.badVariableAt"],
  ["a variable not an object", () => variableMessages("query ($w: Where) { sites(where: $w) { id } }", { w: 5 })[0], "graphql.badVariable"],
  ["a variable's Boolean", () => variableMessages("query ($w: Where) { sites(where: $w) { id } }", { w: { code: true } })[0], "graphql.badVariableAt"],
  ["a variable's Float", () => variableMessages("query ($w: Where) { sites(where: $w) { id } }", { w: { code: "x", count: 1.5 } })[0], "graphql.badVariableAt"],
  ["a variable's ID", () => variableMessages("query ($ids: [ID!]) { sites(ids: $ids) { id } }", { ids: [true] })[0], "graphql.badVariableAt"],
  ["a variable's date", () => variableMessages("query ($d: LocalDate) { day(on: $d) }", { d: "2026-13-01" })[0], "graphql.badVariable"],
  ["a variable's oneOf", () => variableMessages("query ($p: Pick!) { pick(by: $p) { id } }", { p: { id: "1", code: "a" } })[0], "graphql.badVariable"],
  ["a required variable not given", () => variableMessages("query ($c: String!) { site(code: $c) { id } }", {})[0], "graphql.missingVariable"],
  ["a required variable null", () => variableMessages("query ($c: String!) { site(code: $c) { id } }", { c: null })[0], "graphql.nullVariable"],
  ["too many variable errors", () => variableMessages("query ($a: Int, $b: Int, $c: Int, $d: Int) { count }", { a: "x", b: "x", c: "x", d: "x" })[3], "graphql.tooManyVariableErrors"],
  // execution/execute.js, as Apollo answers OPERATION_RESOLUTION_FAILURE
  ["no operation name", () => "Must provide operation name if query contains multiple operations.", "graphql.operationNameRequired"],
  ["an unknown operation name", () => 'Unknown operation named "Nope".', "graphql.unknownOperation"],
];

describe("graphql-js's messages", () => {
  it("are pinned against graphql 16.15", () => {
    expect(version).toBe("16.15.0");
  });

  it.each(CASES)("%s", (_name, make, key) => {
    const original = make();
    expect(typeof original).toBe("string");
    const said = graphqlMessage(original);
    expect(said?.key).toBe(key);
    // English gives graphql-js's words back, exactly; Chinese says it in Chinese, its names kept.
    expect(render("en", said!)).toBe(original);
    const zh = render("zh-CN", said!);
    if (process.env.SHOW_ZH) console.log(`${original}\n  ${zh}`);
    expect(zh).toMatch(HAN);
    for (const name of original.match(/"[A-Za-z_$][\w.$]*"/g) ?? []) expect(zh).toContain(name);
    expect(zh).not.toMatch(/\b(cannot|must|Expected|Unknown|Did you mean|was not provided)\b/);
  });

  it("a message of an unknown shape is null (the front door then keeps graphql-js's words)", () => {
    expect(graphqlMessage("Something graphql-js never said.")).toBeNull();
  });

  it("arguments coerced at execution (a document run without validation)", async () => {
    const run = async (source: string, variableValues: Record<string, unknown>) => {
      const result = await execute({ schema, document: parse(source), variableValues, rootValue: { site: () => null } });
      return result.errors![0].message;
    };
    for (const [original, key] of [
      [await run("query ($c: String) { site(code: $c) { id } }", {}), "graphql.argumentVariableMissing"],
      [await run("{ site { id } }", {}), "graphql.missingArgumentValue"],
      [await run("{ site(code: null) { id } }", {}), "graphql.nullArgument"],
      [await run("{ sites(first: \"x\") { id } }", {}), "graphql.badArgument"],
    ] as const) {
      expect(graphqlMessage(original)?.key).toBe(key);
      expect(render("en", graphqlMessage(original)!)).toBe(original);
      expect(render("zh-CN", graphqlMessage(original)!)).toMatch(HAN);
    }
  });
});
