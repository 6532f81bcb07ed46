// Every string, id and date a query or mutation takes is held to the rules of
// src/core/graphql/input-rules.ts before its resolver runs. The cases are built from the schema: for
// every mutation and query, a value of the right shape for every argument and input field, and
// then, one field at a time, the values that used to reach the database (a NUL, a control
// character, 10,000 characters, a blank, an id beyond the integer keys, the year 0 or 9999).
// Each must be answered by a UserError (mutations) or BAD_USER_INPUT (queries) naming that
// field, never INTERNAL_SERVER_ERROR, and nothing may be written.
import { createPubSub } from "@graphql-yoga/subscription";
import { getNamedType, getNullableType, GraphQLError, isEnumType, isInputObjectType, isListType, isScalarType, type GraphQLField, type GraphQLInputType, type GraphQLSchema } from "graphql";
import { FIELDS_CLEARED_BY_BLANK, inputLeaves, ruleFor, type InputRule } from "../src/core/graphql/input-rules";
import { fromGlobalId, parseGlobalId, toGlobalId } from "../src/core/graphql/relay";
import { createSchema } from "../src/schema";
import { maskError } from "../src/core/http/front-door";
import { startTestApp, type TestApp } from "./support/app";

let schema: GraphQLSchema;
let t: TestApp;
let admin: string;

beforeAll(async () => {
  schema = await createSchema(Object.assign(createPubSub(), { close: async () => undefined }));
  t = await startTestApp({}, { RATE_LIMIT_PER_MINUTE: "100000" });
  admin = await t.tokenFor("admin");
});
afterAll(() => t.stop());

// ---------------------------------------------------------------- the table covers the schema

/**
 * The string fields left to the default rule (one line, at most 200 characters). Reviewed:
 * none is a person's name, a phone, an ID number, a secret, a file, a code or free text. A new
 * field that falls to the default lands here and must be looked at.
 */
const DEFAULT_LINE_FIELDS = [
  "AcceptCallUpInput.equipment",
  "AddTeamMemberInput.skills",
  "AssignDeploymentTaskInput.sector",
  "AuditLogWhere.operation",
  "CallUpTeamInput.area",
  "CallUpTeamInput.equipmentNeeded",
  "CallUpTeamInput.reportTo",
  "CallUpTeamInput.skillsNeeded",
  "CertificateInput.issuer",
  "CertificateInput.name",
  "CertificateInput.number",
  "CreateApiKeyInput.name",
  "CreateReservePartnerInput.name",
  "CreateStorageSiteInput.name",
  "CreateSupplyItemInput.name",
  "CreateSupplyItemInput.specification",
  "CreateSupplyItemInput.unit",
  "DeployTeamInput.equipment",
  "FileRescueActionInput.incident",
  "FileRescueActionInput.location",
  "OpenIncidentInput.title",
  "RecordMemberInsuranceInput.insurer",
  "RecordMemberInsuranceInput.product",
  "RegionWhere.nameContains",
  "RegisterDataEndpointInput.title",
  "RescueTeamWhere.nameContains",
  "ReservePartnerWhere.nameContains",
  "SetDeploymentCheckRuleInput.skill",
  "SetTravelTimeInput.waterway",
  "StorageSiteWhere.nameContains",
  "SupplyItemWhere.nameContains",
  "TeamMemberWhere.skill",
  "UpdateDataEndpointInput.title",
  "UpdateIncidentInput.title",
  "UpdateReservePartnerInput.name",
  "UpdateSocialTeamRecordInput.registrationAuthority",
  "UpdateStorageSiteInput.name",
  "UpdateSupplyItemInput.name",
  "UpdateSupplyItemInput.specification",
  "UpdateSupplyItemInput.unit",
  "UpdateTeamMemberInput.skills",
  "CreateShelterInput.name",
  "UpdateShelterInput.name",
  "ShelterWhere.nameContains",
  // Transport (issue 20): names of enterprises and keys, an authority, a route as printed, a
  // voucher number, a model, conditions and fuel at hand-over and return, a legal basis.
  "CreateLogisticsPartnerInput.name",
  "CreateVehicleApiKeyInput.name",
  "IssueGreenChannelPassInput.issuer",
  "IssueGreenChannelPassInput.route",
  "RecordSettlementPaymentInput.paymentReference",
  "RegisterTransportResourceInput.model",
  "RequisitionResourceInput.conditionAtHandover",
  "RequisitionResourceInput.fuelAtHandover",
  "RequisitionResourceInput.legalBasis",
  "ReturnRequisitionedResourceInput.conditionAtReturn",
].sort();

/** Date fields with only the 1900–2099 window: filters, agreements, expiry dates (which lie ahead). */
const DEFAULT_DATE_FIELDS = [
  "AcceptCallUpInput.expectedArrivalAt",
  "AuditLogWhere.from",
  "AuditLogWhere.to",
  "CallUpTeamInput.reportBy",
  "CertificateInput.expiresOn",
  "CheckInMembersInput.at",
  "CheckOutMembersInput.at",
  "CreateReservePartnerInput.agreementEndsOn",
  "CreateReservePartnerInput.agreementStartsOn",
  "DrillWhere.from",
  "DrillWhere.to",
  "ExtendDeploymentInput.until",
  "IncidentWhere.from",
  "IncidentWhere.to",
  "NewBatchInput.expiryDate",
  "ReceiveStockInput.expiryDate",
  "RecordMemberInsuranceInput.expiresOn",
  "RecordMemberInsuranceInput.startsOn",
  "RescueActionFilingWhere.from",
  "RescueActionFilingWhere.to",
  "StockMovementWhere.from",
  "StockMovementWhere.to",
  "SupplyRequestLineInput.neededBy",
  "UpdateReservePartnerInput.agreementEndsOn",
  "UpdateReservePartnerInput.agreementStartsOn",
  "DistributionWhere.from",
  "DistributionWhere.to",
  // Transport (issue 20): agreements, pass windows, requisition periods (the service keeps
  // startsAt and returnedAt out of the future), an expected arrival (in the future).
  "CreateLogisticsPartnerInput.agreementEndsOn",
  "CreateLogisticsPartnerInput.agreementStartsOn",
  "GreenChannelPassWhere.validAt",
  "IssueGreenChannelPassInput.validFrom",
  "IssueGreenChannelPassInput.validUntil",
  "RequisitionResourceInput.plannedUntil",
  "RequisitionResourceInput.startsAt",
  "ReturnRequisitionedResourceInput.returnedAt",
  "UpdateLogisticsPartnerInput.agreementEndsOn",
  "UpdateTripStatusInput.expectedArrivalAt",
].sort();

it("has a rule for every string, id and date input of every query and mutation, and lists those left to the default", () => {
  const leaves = inputLeaves(schema).filter((leaf) => !["Int", "Float", "Boolean"].includes(leaf.scalar));
  expect(leaves.length).toBeGreaterThan(250);
  const unruled = leaves.filter((leaf) => !ruleFor(leaf.owner, leaf.field, leaf.scalar)).map((leaf) => `${leaf.owner}.${leaf.field}: ${leaf.scalar}`);
  expect(unruled).toEqual([]);
  const defaulted = (kind: InputRule["kind"]) =>
    leaves
      .filter((leaf) => ruleFor(leaf.owner, leaf.field, leaf.scalar)!.source === "default" && ruleFor(leaf.owner, leaf.field, leaf.scalar)!.rule.kind === kind)
      .map((leaf) => `${leaf.owner}.${leaf.field}`)
      .sort();
  expect(defaulted("string")).toEqual(DEFAULT_LINE_FIELDS);
  expect(defaulted("date")).toEqual(DEFAULT_DATE_FIELDS);

  // Every mutation is reached: each takes at least one string or id.
  const mutations = Object.keys(schema.getMutationType()!.getFields()).map((name) => `Mutation.${name}`);
  const reached = new Set(leaves.flatMap((leaf) => leaf.reachedFrom));
  expect(mutations.filter((name) => !reached.has(name))).toEqual([]);
});

it("lets a blank value clear exactly the fields whose description says an empty string clears them", () => {
  const described = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isInputObjectType(type)) continue;
    for (const field of Object.values(type.getFields())) if (/empty (string )?(clears|to clear)/.test(field.description ?? "")) described.add(`${type.name}.${field.name}`);
  }
  expect([...FIELDS_CLEARED_BY_BLANK].sort()).toEqual([...described].sort());
});

it("decodes only global ids whose number a PostgreSQL integer key can hold", async () => {
  expect(fromGlobalId(toGlobalId("Region", 2147483647))).toEqual({ typeName: "Region", id: 2147483647 });
  for (const number of ["2147483648", "123456789012345", "0", "007"]) expect(fromGlobalId(toGlobalId("Region", number))).toBeNull();
  const thrown = (() => {
    try {
      parseGlobalId(toGlobalId("Region", "9999999999"), "Region", "input.regionId");
    } catch (error) {
      return error as GraphQLError;
    }
  })();
  expect(thrown?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.regionId" });
});

it("answers a data exception the database raised for a value as BAD_USER_INPUT, without the SQL", async () => {
  // A value that got past the rules all the same, as the database itself refuses it (22021: NUL in text).
  const refusal = await t.app.dataSource.query("SELECT $1::text AS value", ["a\u0000b"]).then(
    () => null,
    (error: unknown) => error,
  );
  expect((refusal as { driverError?: { code?: string } }).driverError?.code ?? (refusal as { code?: string }).code).toBe("22021");
  const error = new GraphQLError("invalid byte sequence for encoding UTF8: 0x00", { path: ["addTeamMember"], originalError: refusal as Error });
  const formatted = maskError(error.toJSON(), error, "request-1", false, "en");
  expect(formatted.extensions?.code).toBe("BAD_USER_INPUT");
  expect(formatted.message).toBe("A value in the request is not acceptable: it holds a character the database cannot store (such as NUL).");
  expect(JSON.stringify(formatted)).not.toMatch(/SELECT|0x00/);
});

// ---------------------------------------------------------------- every field, every bad value

/** A value each rule accepts, so that only the value put in on purpose is wrong. */
function goodString(rule: InputRule & { kind: "string" }): string {
  switch (rule.name) {
    case "password":
      return "Valid-Pass-2026!";
    case "file (base64)":
      return Buffer.from("队伍编码,姓名\n").toString("base64");
    case "phone":
      return "13812345678";
    case "resident ID number":
      return "500234199001011234";
    case "person's name":
      return "张伟";
    case "free text":
      return "说明";
    case "code":
      return "KZ-T-1";
    case "cursor":
      return "WzFd";
    case "file name":
      return "名册.csv";
    default:
      return "样例";
  }
}

/** The type an id field names, so that a request the rules let through gets as far into its service as it can. */
const ID_TYPES: Array<[RegExp, string]> = [
  [/^(siteId|fromSiteId|toSiteId)$/, "StorageSite"],
  [/^itemIds?$/, "SupplyItem"],
  [/^(regionIds?|districtId|parentId|withinId|scopeRegionId)$/, "Region"],
  [/^(teamIds?|toTeamId)$/, "RescueTeam"],
  [/^memberId$/, "TeamMember"],
  [/^batchId$/, "StockBatch"],
  [/^incidentId$/, "Incident"],
  [/^partnerId$/, "ReservePartner"],
  [/^lineId$/, "DispatchOrderLine"],
  [/^(accountId|actorId)$/, "Account"],
  [/^apiKeyId$/, "ApiKey"],
  [/^dataEndpointId$/, "DataEndpoint"],
];

/** An id of a row nobody has (the services answer NOT_FOUND), of the type the field names. */
function noSuchRow(owner: string, field: string): string {
  const named = ID_TYPES.find(([pattern]) => pattern.test(field))?.[1];
  const updated = ["StorageSite", "SupplyItem", "ReservePartner", "Region", "Incident", "RescueTeam", "StockBatch"].find((type) => owner.includes(type.replace(/^./, (c) => c.toLowerCase())) || owner.includes(type));
  return toGlobalId(named ?? updated ?? "DispatchOrder", 999_999);
}

interface Leaf {
  path: string;
  rule: InputRule;
  scalar: string;
  set(value: unknown): void;
}

/** A value of the right shape for `type`, every optional field and list given too; its leaves collected. */
function build(type: GraphQLInputType, owner: string, fieldName: string, path: string, leaves: Leaf[], holder: Record<string, unknown> | unknown[], key: string | number): void {
  const nullable = getNullableType(type) as GraphQLInputType;
  if (isListType(nullable)) {
    const list: unknown[] = [];
    (holder as Record<string | number, unknown>)[key] = list;
    build(nullable.ofType, owner, fieldName, `${path}[0]`, leaves, list, 0);
    return;
  }
  if (isInputObjectType(nullable)) {
    const object: Record<string, unknown> = {};
    (holder as Record<string | number, unknown>)[key] = object;
    for (const field of Object.values(nullable.getFields())) {
      if (field.name === "idempotencyKey") continue; // a valid key would be claimed; its bad values are sent on their own below
      build(field.type, nullable.name, field.name, `${path}.${field.name}`, leaves, object, field.name);
    }
    return;
  }
  if (isEnumType(nullable)) {
    (holder as Record<string | number, unknown>)[key] = nullable.getValues()[0].value;
    return;
  }
  if (!isScalarType(nullable)) throw new Error(`unexpected input type at ${path}`);
  const found = ruleFor(owner, fieldName, nullable.name);
  const value = found
    ? found.rule.kind === "string"
      ? goodString(found.rule)
      : found.rule.kind === "id"
        ? noSuchRow(owner, fieldName)
        : nullable.name === "LocalDate"
          ? "2020-01-02"
          : "2020-01-02T03:04:05Z"
    : { Int: 1, Float: 1.5, Boolean: false }[nullable.name];
  (holder as Record<string | number, unknown>)[key] = value;
  if (found) leaves.push({ path, rule: found.rule, scalar: nullable.name, set: (bad) => ((holder as Record<string | number, unknown>)[key] = bad) });
}

interface Case {
  operation: "mutation" | "query";
  field: GraphQLField<unknown, unknown>;
  args: Record<string, unknown>;
  /** The argument path at fault, e.g. `input.lines[0].note`. */
  path: string;
  what: string;
  /** The code of the UserError (or BAD_USER_INPUT rule) expected; undefined where the rules let the value through to the service. */
  code?: string;
  /** Sent on its own, not as one field of a batch. */
  alone?: boolean;
}

/** The bad values for one leaf, with the code each must draw. */
function badValues(rule: InputRule, scalar: string): Array<{ what: string; value: unknown; code?: string }> {
  if (rule.kind === "id") {
    return [
      { what: "an id of 2^31", value: toGlobalId("Region", "2147483648"), code: "INVALID_ID" },
      { what: "an id of 15 digits", value: toGlobalId("Region", "123456789012345"), code: "INVALID_ID" },
      { what: "an id of no type", value: "not-an-id", code: "INVALID_ID" },
    ];
  }
  if (rule.kind === "date") {
    return ["0000-01-01", "9999-12-31"].map((day) => ({ what: `the year ${day.slice(0, 4)}`, value: scalar === "LocalDate" ? day : `${day}T00:00:00Z`, code: "OUT_OF_RANGE" }));
  }
  return [
    { what: "a NUL", value: "a\u0000b", code: "CONTROL_CHARACTER" },
    { what: "a control character", value: "a\u0007b", code: "CONTROL_CHARACTER" },
    ...(rule.bidiOverrides === "refused" ? [{ what: "a bidirectional override", value: "a\u202Eb", code: "CONTROL_CHARACTER" }] : []),
    // A file has no length of its own (the request body limit bounds it): 10,000 characters reach the sheet reader.
    { what: "10,000 characters", value: "x".repeat(10_000), code: rule.maxChars || rule.maxBytes ? "TOO_LONG" : undefined },
    { what: "a blank", value: "   ", code: rule.blank === "refused" ? "BLANK" : undefined },
  ];
}

/** Every case of one root field: each leaf in turn set to each of its bad values. */
function casesOf(operation: "mutation" | "query", field: GraphQLField<unknown, unknown>): Case[] {
  const cases: Case[] = [];
  const probe: Leaf[] = [];
  const fresh = (leaves: Leaf[]) => {
    const args: Record<string, unknown> = {};
    for (const arg of field.args) build(arg.type, `${operation === "mutation" ? "Mutation" : "Query"}.${field.name}`, arg.name, arg.name, leaves, args, arg.name);
    return args;
  };
  fresh(probe);
  probe.forEach((leaf, i) => {
    for (const bad of badValues(leaf.rule, leaf.scalar)) {
      const leaves: Leaf[] = [];
      const args = fresh(leaves);
      leaves[i].set(bad.value);
      // What the rules let through reaches the service: on its own, so that its audit entry is told apart.
      cases.push({ operation, field, args, path: leaf.path, what: bad.what, code: bad.code, alone: !bad.code });
    }
  });
  // The idempotency key: not among the leaves built above (see build).
  const input = getNamedType(field.args.find((arg) => arg.name === "input")?.type);
  if (operation === "mutation" && isInputObjectType(input) && input.getFields().idempotencyKey) {
    for (const bad of badValues(ruleFor(input.name, "idempotencyKey", "String")!.rule, "String")) {
      const args = fresh([]);
      (args.input as Record<string, unknown>).idempotencyKey = bad.value;
      cases.push({ operation, field, args, path: "input.idempotencyKey", what: bad.what, code: bad.code });
    }
  }
  return cases;
}

function selectionOf(field: GraphQLField<unknown, unknown>, operation: "mutation" | "query"): string {
  if (operation === "mutation") return "{ errors { field code message } }";
  const named = getNamedType(field.type);
  return isScalarType(named) || isEnumType(named) ? "" : "{ __typename }";
}

/** Several cases as aliased fields of one document (each with its own variables). */
function documentOf(cases: Array<{ alias: string; case: Case }>): { query: string; variables: Record<string, unknown> } {
  const variables: Record<string, unknown> = {};
  const definitions: string[] = [];
  const fields: string[] = [];
  for (const { alias, case: c } of cases) {
    const args = c.field.args.map((arg) => {
      const name = `${alias}_${arg.name}`;
      definitions.push(`$${name}: ${arg.type.toString()}`);
      variables[name] = c.args[arg.name];
      return `${arg.name}: $${name}`;
    });
    fields.push(`${alias}: ${c.field.name}(${args.join(", ")}) ${selectionOf(c.field, c.operation)}`);
  }
  return { query: `${cases[0].case.operation} (${definitions.join(", ")}) { ${fields.join(" ")} }`, variables };
}

/** The answer to one case: its UserErrors (mutations) or top-level errors (queries and request-level refusals). */
interface Answer {
  userErrors?: Array<{ field: string | null; code: string; message: string }>;
  errors: Array<{ message: string; extensions?: Record<string, any> }>;
  requestId: string | null;
}

async function answer(all: Case[]): Promise<Answer[]> {
  const answers: Answer[] = new Array(all.length);
  const batches: number[][] = [];
  let batch: number[] = [];
  all.forEach((c, i) => {
    // A query's error in a non-null field nulls the whole answer and ends its siblings: one each.
    if (c.alone || c.operation === "query") return batches.push([i]);
    batch.push(i);
    if (batch.length === 25) {
      batches.push(batch);
      batch = [];
    }
  });
  if (batch.length) batches.push(batch);
  for (const indexes of batches) {
    const { query, variables } = documentOf(indexes.map((i) => ({ alias: `c${i}`, case: all[i] })));
    const result = await t.graphql(query, variables, { token: admin });
    for (const i of indexes) {
      const alias = `c${i}`;
      const errors = (result.errors ?? []).filter((error) => !error.path || error.path[0] === alias);
      answers[i] = { userErrors: result.data?.[alias]?.errors, errors, requestId: result.headers.get("x-request-id") };
    }
  }
  return answers;
}

function describe_(c: Case): string {
  return `${c.field.name} with ${c.what} in ${c.path}`;
}

it("answers every bad string, id and date of every mutation with a UserError naming the field, and writes nothing", async () => {
  const mutations = Object.values(schema.getMutationType()!.getFields());
  const cases = mutations.flatMap((field) => casesOf("mutation", field));
  expect(new Set(cases.map((c) => c.field.name)).size).toBe(mutations.length);
  expect(cases.length).toBeGreaterThan(900);
  const count = async (outcome: string) => (await t.app.dataSource.query(`SELECT count(*)::int AS n FROM audit_entry WHERE outcome = $1`, [outcome]))[0].n as number;
  const succeededBefore = await count("SUCCEEDED");

  const answers = await answer(cases);
  const wrong: string[] = [];
  cases.forEach((c, i) => {
    const { userErrors, errors } = answers[i];
    if (errors.some((error) => error.extensions?.code === "INTERNAL_SERVER_ERROR")) return wrong.push(`${describe_(c)}: INTERNAL_SERVER_ERROR`);
    if (!c.code) return; // let through by the rules: the service answered, without an internal error
    const expected = [{ field: c.path, code: c.code }];
    const got = (userErrors ?? []).map(({ field, code }) => ({ field, code }));
    if (JSON.stringify(got) !== JSON.stringify(expected)) wrong.push(`${describe_(c)}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(got)} ${JSON.stringify(errors)}`);
    if (userErrors?.some((error) => error.message.includes("\u0000") || error.message.includes("xxxxxxxxxx"))) wrong.push(`${describe_(c)}: the message repeats the value`);
  });
  expect(wrong).toEqual([]);

  // Nothing committed, and each refusal of the rules is in the audit log as REJECTED with its code.
  expect(await count("SUCCEEDED")).toBe(succeededBefore);
  const refusedByRules = cases.map((c, i) => ({ c, a: answers[i] })).filter(({ c }) => c.code);
  const requestIds = [...new Set(refusedByRules.map(({ a }) => a.requestId))];
  const entries: Array<{ operation: string; outcome: string; error_code: string }> = await t.app.dataSource.query(
    `SELECT operation, outcome, error_code FROM audit_entry WHERE request_id = ANY($1::text[])`,
    [requestIds],
  );
  expect(entries).toHaveLength(refusedByRules.length);
  expect(entries.filter((entry) => entry.outcome !== "REJECTED")).toEqual([]);
  const codes = (list: Array<string | undefined>) => list.reduce<Record<string, number>>((tally, code) => ({ ...tally, [code!]: (tally[code!] ?? 0) + 1 }), {});
  expect(codes(entries.map((entry) => entry.error_code))).toEqual(codes(refusedByRules.map(({ c }) => c.code)));
});

it("answers every bad string, id and date of every query with BAD_USER_INPUT naming the field", async () => {
  const queries = Object.values(schema.getQueryType()!.getFields()).filter((field) => field.args.length);
  const cases = queries.flatMap((field) => casesOf("query", field));
  expect(cases.length).toBeGreaterThan(300);
  const answers = await answer(cases);
  const wrong: string[] = [];
  cases.forEach((c, i) => {
    const [error] = answers[i].errors;
    if (!error) return wrong.push(`${describe_(c)}: answered`);
    if (error.extensions?.code !== "BAD_USER_INPUT" || error.extensions.field !== c.path || error.extensions.rule !== c.code) {
      wrong.push(`${describe_(c)}: expected BAD_USER_INPUT ${c.code} for ${c.path}, got ${JSON.stringify(error)}`);
    }
  });
  expect(wrong).toEqual([]);
});

it("checks the role before the input: a caller without the role learns FORBIDDEN, an anonymous one UNAUTHENTICATED", async () => {
  const dashboard = await t.apiKeyFor("DASHBOARD");
  // reportVehiclePosition admits DASHBOARD keys limited to a vehicle (the service refuses the others after the input check).
  const mutations = Object.values(schema.getMutationType()!.getFields()).filter((field) => field.name !== "login" && field.name !== "reportVehiclePosition");
  const cases = mutations.map((field) => casesOf("mutation", field).find((c) => c.what === "a NUL")!);
  const wrong: string[] = [];
  for (const [token, expected] of [
    [dashboard, "FORBIDDEN"],
    [undefined, "UNAUTHENTICATED"],
  ] as const) {
    for (const c of cases) {
      const { query, variables } = documentOf([{ alias: "only", case: c }]);
      const result = await t.graphql(query, variables, { token });
      const codes = (result.errors ?? []).map((error) => error.extensions?.code);
      if (!codes.includes(expected) || result.data?.only?.errors?.length) wrong.push(`${describe_(c)} as ${token ? "DASHBOARD" : "anonymous"}: ${JSON.stringify(result.errors ?? result.data)}`);
    }
  }
  expect(wrong).toEqual([]);
});

it("trims what it checks, and the resolver gets the trimmed value", async () => {
  const region = (await t.app.dataSource.query(`SELECT id FROM region WHERE code = 'KZ-S01'`))[0].id;
  const created = await t.graphql(
    `mutation ($input: CreateStorageSiteInput!) { createStorageSite(input: $input) { site { code custodianPhone } errors { field code } } }`,
    { input: { code: "  KZ-S01-TRIM ", name: " 修剪测试点 ", tier: "TOWNSHIP_POINT", regionId: toGlobalId("Region", region), address: "汉丰街道", latitude: 31.16, longitude: 108.37, floorArea: 100, custodianPhone: " 023-52221234\u3000" } },
    { token: admin },
  );
  expect(created.data.createStorageSite).toEqual({ site: { code: "KZ-S01-TRIM", custodianPhone: "023-52221234" }, errors: [] });
});
