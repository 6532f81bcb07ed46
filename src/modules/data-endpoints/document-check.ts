// What a data endpoint's document must be before it is saved: it parses under the service's
// token limit, validates against the schema with the front door's rules, holds exactly one
// operation and that a query, keeps within the query limits with its defaults, and — when it is
// served as CSV — has rows and columns by the rule in csv.ts. Every request runs it again
// through the front door all the same: the schema may change after registration, and the
// variables a URL gives may raise its cost.
import { graphqlMessageOrOriginal } from "../../core/i18n/graphql-messages";
import {
  getOperationAST,
  Kind,
  parse,
  print,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLError,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";
import type { LimitsConfig } from "../../config";
import { messageOf } from "../../core/graphql/errors";
import { checkQueryLimits } from "../../core/graphql/limits";
import { message, type Message } from "../../core/i18n/i18n";
import { extraValidationRules } from "../../core/http/front-door";
import { csvPlan, CsvPlanError } from "./csv";
import { DataFormat, type DataEndpointVariable } from "./data-endpoint.entity";

/** Query-string names that look like credentials: never a variable, as keys do not go into URLs (see data-door.ts). */
export const CREDENTIAL_PARAMETERS: ReadonlySet<string> = new Set(["access_token", "accesstoken", "api_key", "apikey", "key", "token", "authorization", "x-api-key"]);

export interface CheckedDocument {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  variables: DataEndpointVariable[];
}

/** The problems found, each a message of the catalogue; empty when the document may be saved. */
export type DocumentCheck = { ok: CheckedDocument; problems?: undefined } | { problems: Message[]; ok?: undefined };

/** graphql-js's message in the reader's language (core/i18n/graphql-messages.ts), with where it is in the document. */
function describe(error: GraphQLError): Message {
  const reason = graphqlMessageOrOriginal(error.message);
  const at = error.locations?.[0];
  return at ? message("dataEndpoints.at", { reason, line: at.line, column: at.column }) : reason;
}

/** The variables an operation declares, as a data endpoint lists them. */
export function declaredVariables(operation: OperationDefinitionNode): DataEndpointVariable[] {
  return (operation.variableDefinitions ?? []).map((definition) => ({
    name: definition.variable.name.value,
    type: print(definition.type),
    defaultValue: definition.defaultValue ? print(definition.defaultValue) : null,
    required: definition.type.kind === Kind.NON_NULL_TYPE && !definition.defaultValue,
  }));
}

export function checkDocument(schema: GraphQLSchema, text: string, formats: readonly DataFormat[], limits: LimitsConfig): DocumentCheck {
  let document: DocumentNode;
  try {
    document = parse(text, { maxTokens: limits.maxTokens });
  } catch (error) {
    return { problems: [message("dataEndpoints.doesNotParse", { reason: describe(error as GraphQLError) })] };
  }
  const operations = document.definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
  if (operations.length !== 1) return { problems: [message("dataEndpoints.oneOperation", { count: operations.length })] };
  const [operation] = operations;
  if (operation.operation !== "query") {
    return { problems: [message("dataEndpoints.mustBeQuery", { kind: operation.operation })] };
  }
  const invalid = validate(schema, document, [...specifiedRules, ...extraValidationRules(limits)]);
  if (invalid.length) return { problems: invalid.map((error) => message("dataEndpoints.invalid", { reason: messageOf(error) ?? describe(error) })) };

  const variables = declaredVariables(operation);
  const problems: Message[] = [];
  for (const variable of variables) {
    if (CREDENTIAL_PARAMETERS.has(variable.name.toLowerCase())) problems.push(message("dataEndpoints.credentialVariable", { name: variable.name }));
  }
  // Measured at the variables' declared defaults (checkQueryLimits counts a left-out variable at
  // its default); a URL that gives larger values is measured again when it runs.
  problems.push(...checkQueryLimits(schema, document, getOperationAST(document) ?? operation, {}, limits).map((error) => message("dataEndpoints.overLimits", { reason: messageOf(error) ?? graphqlMessageOrOriginal(error.message) })));
  if (formats.includes(DataFormat.CSV)) {
    try {
      const plan = csvPlan(schema, document, operation);
      if (!plan.columns.length) problems.push(message("dataEndpoints.csvNoColumns"));
    } catch (error) {
      if (!(error instanceof CsvPlanError)) throw error;
      problems.push(message("dataEndpoints.notCsv", { reason: error.said }));
    }
  }
  return problems.length ? { problems } : { ok: { document, operation, variables } };
}
