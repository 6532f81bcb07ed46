// graphql-js's own messages — syntax errors, validation, the coercion of variables and
// arguments, its built-in scalars and enums — as catalogue messages (core/i18n), so that a
// request's GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED and BAD_USER_INPUT read in its
// language like every other error (the front door renders them, core/http/front-door.ts; so do
// the data door's parameter errors and a saved document's problems).
//
// graphql-js says its messages only as English text, so each shape it makes is matched here by
// its exact words, pinned against graphql 16.15.0 (test/graphql-messages.test.ts has one case per
// shape, made by graphql-js itself, so an upgrade that rewords one fails there). Names, types and
// values inside a message (`"StockLevel"`, `"Int!"`, `<EOF>`) stay as graphql-js printed them:
// they are the document's and the schema's, the same in every language. A message of a shape not
// listed here keeps its English words (`graphql.unrecognized`), and the front door keeps the
// original English in `extensions.originalMessage` whatever it renders.
import { message, messageList, type Message, type MessageKey, type MessageParams } from "./i18n";

interface Shape {
  readonly pattern: RegExp;
  readonly key: MessageKey;
  /** Groups whose text is itself a message of graphql-js's (translated in turn). */
  readonly nested?: readonly string[];
  /** Groups whose text is why two fields conflict (OverlappingFieldsCanBeMergedRule's reasons). */
  readonly reasons?: readonly string[];
}

const S = (pattern: RegExp, key: MessageKey, nested?: string[], reasons?: string[]): Shape => ({ pattern, key, nested, reasons });

/** Why two fields of one response name conflict (validation/rules/OverlappingFieldsCanBeMergedRule.js). */
const CONFLICT_REASONS: readonly Shape[] = [
  S(/^"(?<first>[^"]+)" and "(?<second>[^"]+)" are different fields$/, "graphql.conflict.differentFields"),
  S(/^they have differing arguments$/, "graphql.conflict.arguments"),
  S(/^they return conflicting types "(?<first>[^"]+)" and "(?<second>[^"]+)"$/, "graphql.conflict.types"),
  // One subfield's conflict; several are joined with " and ", which a reason may hold too: those keep their English.
  S(/^subfields "(?<field>[^"]+)" conflict because (?<reason>(?:(?! and subfields ").)+)$/s, "graphql.conflict.subfields", [], ["reason"]),
];

/** The descriptions after "Syntax Error: " (language/lexer.js, language/parser.js). */
const SYNTAX: readonly Shape[] = [
  S(/^Unexpected character: (?<char>.+)\.$/s, "graphql.syntax.unexpectedCharacter"),
  S(/^Invalid character: (?<char>.+)\.$/s, "graphql.syntax.invalidCharacter"),
  S(/^Unexpected variable "\$(?<name>[^"]+)" in constant value\.$/s, "graphql.syntax.variableInConstant"),
  S(/^Unexpected description, descriptions are not supported on shorthand queries\.$/, "graphql.syntax.descriptionOnShorthand"),
  S(/^Unexpected description, only GraphQL definitions support descriptions\.$/, "graphql.syntax.descriptionHere"),
  S(/^Unexpected (?<token>.+)\.$/s, "graphql.syntax.unexpected"),
  S(/^Expected (?<expected>.+?), found (?<found>.+)\.$/s, "graphql.syntax.expected"),
  S(/^Unterminated string\.$/, "graphql.syntax.unterminatedString"),
  S(/^Invalid number, unexpected digit after 0: (?<char>.+)\.$/s, "graphql.syntax.digitAfterZero"),
  S(/^Invalid number, expected digit but got: (?<char>.+)\.$/s, "graphql.syntax.expectedDigit"),
  S(/^Invalid character within String: (?<char>.+)\.$/s, "graphql.syntax.characterInString"),
  S(/^Invalid Unicode escape sequence: "(?<sequence>.*)"\.$/s, "graphql.syntax.unicodeEscape"),
  S(/^Invalid character escape sequence: "(?<sequence>.*)"\.$/s, "graphql.syntax.characterEscape"),
  S(/^(?<token>.+) is reserved and cannot be used for an enum value\.$/s, "graphql.syntax.reservedEnumValue"),
  S(/^Document contains more that (?<max>\d+) tokens\. Parsing aborted\.$/, "graphql.syntax.tooManyTokens"),
  S(/^Document contains more than (?<max>\d+) comments\. Parsing aborted\.$/, "graphql.syntax.tooManyComments"),
  S(/^Source contains more than (?<max>\d+) UTF-16 code units\. Parsing aborted\.$/, "graphql.syntax.sourceTooLong"),
];

/** Everything else graphql-js says about a document or its values, most specific first. */
const SHAPES: readonly Shape[] = [
  // validation/rules/*: the rules of an executable document (specifiedRules)
  S(/^Cannot query field "(?<field>[^"]+)" on type "(?<type>[^"]+)"\.$/, "graphql.unknownField"),
  S(/^Unknown argument "(?<argument>[^"]+)" on field "(?<field>[^"]+)"\.$/, "graphql.unknownArgument"),
  S(/^Unknown argument "(?<argument>[^"]+)" on directive "(?<directive>[^"]+)"\.$/, "graphql.unknownDirectiveArgument"),
  S(/^Field "(?<field>[^"]+)" argument "(?<argument>[^"]+)" of type "(?<type>[^"]+)" is required, but it was not provided\.$/, "graphql.missingArgument"),
  S(/^Directive "(?<directive>[^"]+)" argument "(?<argument>[^"]+)" of type "(?<type>[^"]+)" is required, but it was not provided\.$/, "graphql.missingDirectiveArgument"),
  S(/^Field "(?<field>[^"]+)" of required type "(?<type>[^"]+)" was not provided\.$/, "graphql.missingInputField"),
  S(/^Field "(?<field>[^"]+)" is not defined by type "(?<type>[^"]+)"\.$/, "graphql.unknownInputField"),
  S(/^Expected value of type "(?<type>[^"]+)", found (?<value>.+?); (?<reason>.+)$/s, "graphql.wrongValueBecause", ["reason"]),
  S(/^Expected value of type "(?<type>[^"]+)", found (?<value>.+)\.$/s, "graphql.wrongValue"),
  S(/^Field "(?<field>[^"]+)" must not have a selection since type "(?<type>[^"]+)" has no subfields\.$/, "graphql.selectionOnLeaf"),
  S(/^Field "(?<field>[^"]+)" of type "(?<type>[^"]+)" must have a selection of subfields\.$/, "graphql.selectionRequired"),
  S(/^Field "(?<field>[^"]+)" of type "(?<type>[^"]+)" must have at least one field selected\.$/, "graphql.selectionEmpty"),
  S(/^Unknown type "(?<type>[^"]+)"\.$/, "graphql.unknownType"),
  S(/^Unknown fragment "(?<fragment>[^"]+)"\.$/, "graphql.unknownFragment"),
  S(/^Fragment "(?<fragment>[^"]+)" is never used\.$/, "graphql.unusedFragment"),
  S(/^Unknown directive "(?<directive>[^"]+)"\.$/, "graphql.unknownDirective"),
  S(/^Directive "(?<directive>[^"]+)" may not be used on (?<location>[A-Z_]+)\.$/, "graphql.misplacedDirective"),
  S(/^The directive "(?<directive>[^"]+)" can only be used once at this location\.$/, "graphql.repeatedDirective"),
  S(/^There can be only one operation named "(?<name>[^"]+)"\.$/, "graphql.duplicateOperation"),
  S(/^There can be only one fragment named "(?<name>[^"]+)"\.$/, "graphql.duplicateFragment"),
  S(/^There can be only one variable named "\$(?<name>[^"]+)"\.$/, "graphql.duplicateVariable"),
  S(/^There can be only one argument named "(?<name>[^"]+)"\.$/, "graphql.duplicateArgument"),
  S(/^There can be only one input field named "(?<name>[^"]+)"\.$/, "graphql.duplicateInputField"),
  S(/^This anonymous operation must be the only defined operation\.$/, "graphql.loneAnonymousOperation"),
  S(/^Variable "\$(?<variable>[^"]+)" is not defined by operation "(?<operation>[^"]+)"\.$/, "graphql.undefinedVariableIn"),
  S(/^Variable "\$(?<variable>[^"]+)" is not defined\.$/, "graphql.undefinedVariable"),
  S(/^Variable "\$(?<variable>[^"]+)" is never used in operation "(?<operation>[^"]+)"\.$/, "graphql.unusedVariableIn"),
  S(/^Variable "\$(?<variable>[^"]+)" is never used\.$/, "graphql.unusedVariable"),
  S(/^Variable "\$(?<variable>[^"]+)" of type "(?<type>[^"]+)" used in position expecting type "(?<expected>[^"]+)"\.$/, "graphql.variablePosition"),
  S(/^Variable "\$(?<variable>[^"]+)" cannot be non-input type "(?<type>[^"]+)"\.$/, "graphql.variableNotInputType"),
  S(/^Variable "\$(?<variable>[^"]+)" is of type "(?<type>[^"]+)" but must be non-nullable to be used for OneOf Input Object "(?<oneOf>[^"]+)"\.$/, "graphql.variableOneOfNullable"),
  S(/^Fields "(?<alias>[^"]+)" conflict because (?<reason>.+)\. Use different aliases on the fields to fetch both if this was intentional\.$/s, "graphql.fieldConflict", [], ["reason"]),
  S(/^Fragment cannot condition on non composite type "(?<type>[^"]+)"\.$/, "graphql.inlineFragmentOnLeaf"),
  S(/^Fragment "(?<fragment>[^"]+)" cannot condition on non composite type "(?<type>[^"]+)"\.$/, "graphql.fragmentOnLeaf"),
  S(/^Fragment cannot be spread here as objects of type "(?<parent>[^"]+)" can never be of type "(?<type>[^"]+)"\.$/, "graphql.inlineFragmentImpossible"),
  S(/^Fragment "(?<fragment>[^"]+)" cannot be spread here as objects of type "(?<parent>[^"]+)" can never be of type "(?<type>[^"]+)"\.$/, "graphql.fragmentImpossible"),
  S(/^Cannot spread fragment "(?<fragment>[^"]+)" within itself via (?<via>.+)\.$/, "graphql.fragmentCycleVia"),
  S(/^Cannot spread fragment "(?<fragment>[^"]+)" within itself\.$/, "graphql.fragmentCycle"),
  S(/^The (?<definition>.+) definition is not executable\.$/, "graphql.notExecutable"),
  S(/^Subscription "(?<operation>[^"]+)" must select only one top level field\.$/, "graphql.subscriptionOneField"),
  S(/^Anonymous Subscription must select only one top level field\.$/, "graphql.anonymousSubscriptionOneField"),
  S(/^Subscription "(?<operation>[^"]+)" must not select an introspection top level field\.$/, "graphql.subscriptionIntrospection"),
  S(/^Anonymous Subscription must not select an introspection top level field\.$/, "graphql.anonymousSubscriptionIntrospection"),
  S(/^OneOf Input Object "(?<type>[^"]+)" must specify exactly one key\.$/, "graphql.oneOfOneKey"),
  S(/^Exactly one key must be specified for OneOf type "(?<type>[^"]+)"\.$/, "graphql.oneOfOneKeyValue"),
  S(/^Field "(?<field>[^"]+)" must be non-null\.$/, "graphql.oneOfNull"),
  S(/^Maximum introspection depth exceeded$/, "graphql.introspectionDepth"),
  // execution/values.js: variables and arguments as the operation is run
  S(/^Variable "\$(?<variable>[^"]+)" got invalid value (?<value>.*?) at "(?<at>[^"]+)"; (?<reason>.+)$/s, "graphql.badVariableAt", ["reason"]),
  S(/^Variable "\$(?<variable>[^"]+)" got invalid value (?<value>.*?); (?<reason>.+)$/s, "graphql.badVariable", ["reason"]),
  S(/^Variable "\$(?<variable>[^"]+)" of required type "(?<type>[^"]+)" was not provided\.$/, "graphql.missingVariable"),
  S(/^Variable "\$(?<variable>[^"]+)" of non-null type "(?<type>[^"]+)" must not be null\.$/, "graphql.nullVariable"),
  S(/^Variable "\$(?<variable>[^"]+)" expected value of type "(?<type>[^"]+)" which cannot be used as an input type\.$/, "graphql.variableNotInput"),
  S(/^Too many errors processing variables, error limit reached\. Execution aborted\.$/, "graphql.tooManyVariableErrors"),
  S(/^Argument "(?<argument>[^"]+)" of required type "(?<type>[^"]+)" was provided the variable "\$(?<variable>[^"]+)" which was not provided a runtime value\.$/, "graphql.argumentVariableMissing"),
  S(/^Argument "(?<argument>[^"]+)" of required type "(?<type>[^"]+)" was not provided\.$/, "graphql.missingArgumentValue"),
  S(/^Argument "(?<argument>[^"]+)" of non-null type "(?<type>[^"]+)" must not be null\.$/, "graphql.nullArgument"),
  S(/^Argument "(?<argument>[^"]+)" has invalid value (?<value>.+)\.$/s, "graphql.badArgument"),
  // utilities/coerceInputValue.js: inside a variable's value
  S(/^Expected non-nullable type "(?<type>[^"]+)" not to be null\.$/, "graphql.nullValue"),
  S(/^Expected type "(?<type>[^"]+)" to be an object\.$/, "graphql.notAnObject"),
  S(/^Expected type "(?<type>[^"]+)"\. (?<reason>.+)$/s, "graphql.wrongTypeBecause", ["reason"]),
  S(/^Expected type "(?<type>[^"]+)"\.$/, "graphql.wrongType"),
  // type/scalars.js and type/definition.js: the built-in scalars and enums
  S(/^Int cannot represent non-integer value: (?<value>.+)$/s, "graphql.int.notInteger"),
  S(/^Int cannot represent non 32-bit signed integer value: (?<value>.+)$/s, "graphql.int.outOfRange"),
  S(/^Float cannot represent non numeric value: (?<value>.+)$/s, "graphql.float.notNumber"),
  S(/^String cannot represent a non string value: (?<value>.+)$/s, "graphql.string.notString"),
  S(/^Boolean cannot represent a non boolean value: (?<value>.+)$/s, "graphql.boolean.notBoolean"),
  S(/^ID cannot represent a non-string and non-integer value: (?<value>.+)$/s, "graphql.id.notStringOrInteger"),
  S(/^ID cannot represent value: (?<value>.+)$/s, "graphql.id.notId"),
  S(/^Value "(?<value>.*)" does not exist in "(?<enum>[^"]+)" enum\.$/s, "graphql.enum.unknownValue"),
  S(/^Enum "(?<enum>[^"]+)" cannot represent non-string value: (?<value>.+)\.$/s, "graphql.enum.notString"),
  S(/^Enum "(?<enum>[^"]+)" cannot represent non-enum value: (?<value>.+)\.$/s, "graphql.enum.notEnumValue"),
  // graphql-scalars' LocalDate (the service's dates)
  S(/^Value is not a valid LocalDate: (?<value>.*)$/s, "graphql.localDate.invalid"),
  S(/^Value is not string: (?<value>.*)$/s, "graphql.localDate.notString"),
  S(/^Can only validate strings as local dates but got a: (?<kind>.+)$/s, "graphql.localDate.notStringLiteral"),
  // execution/execute.js, as Apollo answers OPERATION_RESOLUTION_FAILURE
  S(/^Must provide operation name if query contains multiple operations\.$/, "graphql.operationNameRequired"),
  S(/^Unknown operation named "(?<operation>[^"]+)"\.$/, "graphql.unknownOperation"),
  S(/^Must provide an operation\.$/, "graphql.noOperation"),
];

/** graphql-js's didYouMean suffix (jsutils/didYouMean.js): ` Did you mean "a", "b", or "c"?`, with its two sub-messages. */
const SUGGESTION = / Did you mean (?<sub>the enum value |to use an inline fragment on )?(?<choices>"[^"]*"(?:(?:, |, or | or )"[^"]*")*)\?$/s;

const SUGGESTION_KEYS: Record<string, MessageKey> = {
  "": "graphql.didYouMean",
  "the enum value ": "graphql.didYouMean.enumValue",
  "to use an inline fragment on ": "graphql.didYouMean.inlineFragment",
};

function match(shapes: readonly Shape[], text: string, depth: number): Message | null {
  for (const shape of shapes) {
    const found = shape.pattern.exec(text);
    if (!found) continue;
    const params: Record<string, string | Message> = {};
    for (const [name, value] of Object.entries(found.groups ?? {})) {
      if (shape.nested?.includes(name)) params[name] = translate(value, depth + 1) ?? message("graphql.unrecognized", { text: value });
      else if (shape.reasons?.includes(name)) params[name] = (depth < 4 ? match(CONFLICT_REASONS, value, depth + 1) : null) ?? message("graphql.unrecognized", { text: value });
      else params[name] = value;
    }
    return message(shape.key, params as MessageParams);
  }
  return null;
}

function translate(text: string, depth = 0): Message | null {
  if (depth > 4) return null;
  const syntax = /^Syntax Error: (?<detail>.*)$/s.exec(text);
  if (syntax) return message("graphql.syntaxError", { detail: match(SYNTAX, syntax.groups!.detail, depth) ?? message("graphql.unrecognized", { text: syntax.groups!.detail }) });
  const suggestion = SUGGESTION.exec(text);
  if (suggestion && suggestion.index > 0) {
    const head = match(SHAPES, text.slice(0, suggestion.index), depth);
    if (!head) return null;
    const choices = [...suggestion.groups!.choices.matchAll(/"([^"]*)"/g)].map((choice) => `"${choice[1]}"`);
    const hint = message(SUGGESTION_KEYS[suggestion.groups!.sub ?? ""], { choices: messageList(choices, "or") });
    return message("graphql.withSuggestion", { message: head, suggestion: hint });
  }
  return match(SHAPES, text, depth);
}

/** The catalogue message for one of graphql-js's messages; null when its shape is not one of graphql 16.15's known here. */
export function graphqlMessage(text: string): Message | null {
  return translate(text);
}

/** The same, never null: an unknown shape keeps graphql-js's English words. */
export function graphqlMessageOrOriginal(text: string): Message {
  return translate(text) ?? message("graphql.unrecognized", { text });
}
