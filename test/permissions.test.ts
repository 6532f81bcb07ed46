// Every mutation × every role: allowed or FORBIDDEN, driven by the schema. A mutation added to
// the schema without a row in POLICY fails this suite, so no mutation ships without a rule.
import { createPubSub } from "@graphql-yoga/subscription";
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLInputType,
  type GraphQLSchema,
} from "graphql";
import { createSchema } from "../src/schema";
import { startTestApp, type TestApp } from "./support/app";

type RoleName = "ADMIN" | "COMMANDER" | "LOGISTICS" | "TEAM_LEADER" | "DASHBOARD" | "AUDITOR" | "FINANCE";
const ANYONE = "ANYONE" as const;

/**
 * Who may call each mutation (ADMIN may always). The issue's role table, written out: change it
 * only together with the rule in the resolver.
 */
const POLICY: Record<string, RoleName[] | typeof ANYONE> = {
  login: ANYONE,
  changePassword: ["ADMIN", "COMMANDER", "LOGISTICS", "TEAM_LEADER", "AUDITOR", "FINANCE"],
  createAccount: ["ADMIN"],
  updateAccount: ["ADMIN"],
  createApiKey: ["ADMIN"],
  revokeApiKey: ["ADMIN"],
  registerDataEndpoint: ["ADMIN"],
  updateDataEndpoint: ["ADMIN"],
  removeDataEndpoint: ["ADMIN"],
  openIncident: ["COMMANDER"],
  updateIncident: ["COMMANDER"],
  closeIncident: ["COMMANDER"],
  receiveStock: ["LOGISTICS"],
  transferStock: ["LOGISTICS"],
  writeOffStock: ["LOGISTICS"],
  recordStocktake: ["LOGISTICS"],
  rotateBatch: ["LOGISTICS"],
  setMinimumStock: ["LOGISTICS"],
  createStorageSite: ["ADMIN"],
  updateStorageSite: ["ADMIN"],
  createSupplyItem: ["ADMIN"],
  updateSupplyItem: ["ADMIN"],
  createReservePartner: ["ADMIN"],
  updateReservePartner: ["ADMIN"],
  // Teams: a TEAM_LEADER acts on their own team only (FORBIDDEN for others, checked in the service).
  updateTeamReadiness: ["TEAM_LEADER"],
  addTeamMember: ["TEAM_LEADER"],
  updateTeamMember: ["TEAM_LEADER"],
  deactivateTeamMember: ["TEAM_LEADER"],
  transferTeamMember: ["TEAM_LEADER"],
  appointTeamLeader: ["TEAM_LEADER"],
  recordDrill: ["COMMANDER", "TEAM_LEADER"],
  fileRescueAction: ["TEAM_LEADER"],
  updateSocialTeamRecord: ["TEAM_LEADER"],
  setForcePlanTargets: ["ADMIN"],
  // Dispatch: roles from the state machine's table (src/modules/dispatch/dispatch-state.ts); a
  // township-scoped LOGISTICS account only within its township; cancelling an approved or
  // dispatched order needs a COMMANDER (FORBIDDEN for LOGISTICS, checked in the service).
  createDispatchOrder: ["LOGISTICS"],
  updateDispatchOrder: ["LOGISTICS"],
  submitDispatchOrder: ["LOGISTICS"],
  approveDispatchOrder: ["COMMANDER"],
  markDispatched: ["LOGISTICS"],
  confirmDelivery: ["LOGISTICS"],
  recordReturn: ["LOGISTICS"],
  closeDispatchOrder: ["LOGISTICS"],
  cancelDispatchOrder: ["LOGISTICS", "COMMANDER"],
  // Supply requests: roles from their state table (src/modules/requests/supply-request-state.ts); a
  // township-scoped LOGISTICS account submits and withdraws only its township's requests, and
  // answering or closing one is the district's (FORBIDDEN for it, checked in the service).
  submitSupplyRequest: ["LOGISTICS"],
  approveSupplyRequest: ["LOGISTICS", "COMMANDER"],
  rejectSupplyRequest: ["LOGISTICS", "COMMANDER"],
  cancelSupplyRequest: ["LOGISTICS", "COMMANDER"],
  closeSupplyRequest: ["LOGISTICS"],
  deployTeam: ["COMMANDER"],
  releaseTeam: ["COMMANDER"],
  // Sheets: a scoped LOGISTICS account counts only its township's sites; a TEAM_LEADER imports only its own team's rows.
  importStockCount: ["LOGISTICS"],
  importTeamMembers: ["TEAM_LEADER"],
  // Travel times: set by the district (a scoped LOGISTICS account is FORBIDDEN, checked in the
  // service); closures reported by LOGISTICS (a scoped account for its own unit) or COMMANDER.
  setTravelTime: ["LOGISTICS"],
  importTravelTimes: ["LOGISTICS"],
  reportRoadClosure: ["LOGISTICS", "COMMANDER"],
  reopenRoad: ["LOGISTICS", "COMMANDER"],
  // Forces in the field (modules/field): a TEAM_LEADER answers, checks in and insures only its own
  // team (FORBIDDEN for others, checked in the service); a township-scoped LOGISTICS account reports
  // the situation of its own township only.
  callUpTeam: ["COMMANDER"],
  acceptCallUp: ["TEAM_LEADER"],
  declineCallUp: ["TEAM_LEADER"],
  cancelCallUp: ["COMMANDER"],
  acknowledgeCallUpChecks: ["COMMANDER"],
  setDeploymentCheckRule: ["ADMIN"],
  recordMemberInsurance: ["TEAM_LEADER"],
  checkInMembers: ["TEAM_LEADER"],
  checkOutMembers: ["TEAM_LEADER"],
  assignDeploymentTask: ["COMMANDER"],
  extendDeployment: ["COMMANDER"],
  reportSituation: ["LOGISTICS", "COMMANDER"],
  // Shelters (避难场所): LOGISTICS scoped to a township acts on its township's shelters and stores
  // only (FORBIDDEN elsewhere, checked in the service); the ration table and relief policy are the
  // district's (a scoped account is FORBIDDEN); commanders open and close shelters.
  createShelter: ["LOGISTICS"],
  updateShelter: ["LOGISTICS"],
  openShelter: ["COMMANDER", "LOGISTICS"],
  closeShelter: ["COMMANDER", "LOGISTICS"],
  reportShelterOccupancy: ["LOGISTICS"],
  setRationLine: ["LOGISTICS"],
  setReliefPolicy: ["LOGISTICS"],
  requestShelterSupplies: ["LOGISTICS"],
  recordDistribution: ["LOGISTICS"],
  reverseDistribution: ["LOGISTICS"],
  // Transport (issue 20): a township-scoped LOGISTICS account registers and assigns only what is
  // based in, or goes to, its township (FORBIDDEN otherwise, checked in the service).
  createLogisticsPartner: ["ADMIN"],
  updateLogisticsPartner: ["ADMIN"],
  registerTransportResource: ["LOGISTICS"],
  setTransportResourceStatus: ["LOGISTICS"],
  setItemTransportMeasure: ["ADMIN"],
  createVehicleApiKey: ["ADMIN"],
  // The role admits DASHBOARD for API keys limited to one vehicle (createVehicleApiKey): such a
  // key reports that vehicle's position only; any other DASHBOARD key, or another vehicle, is
  // FORBIDDEN in the service (test/transport.test.ts).
  reportVehiclePosition: ["LOGISTICS", "DASHBOARD"],
  assignTrip: ["LOGISTICS"],
  updateTripStatus: ["LOGISTICS"],
  issueGreenChannelPass: ["COMMANDER"],
  revokeGreenChannelPass: ["COMMANDER"],
  requisitionResource: ["COMMANDER"],
  returnRequisitionedResource: ["COMMANDER", "LOGISTICS"],
  confirmSettlementByOwner: ["COMMANDER", "LOGISTICS"],
  // Separation of duties: the account that requisitioned may not approve (FORBIDDEN, checked in the service).
  setTransportRate: ["FINANCE"],
  approveSettlement: ["FINANCE"],
  recordSettlementPayment: ["FINANCE"],
};

/** Callers: one per role, plus a LOGISTICS account scoped to one township. */
const CALLERS: Array<{ name: string; role: RoleName }> = [
  { name: "admin", role: "ADMIN" },
  { name: "commander", role: "COMMANDER" },
  { name: "logistics", role: "LOGISTICS" },
  { name: "logistics.kz-s01", role: "LOGISTICS" },
  { name: "team leader", role: "TEAM_LEADER" },
  { name: "dashboard key", role: "DASHBOARD" },
  { name: "auditor", role: "AUDITOR" },
  { name: "finance", role: "FINANCE" },
];

/** A value of the right shape for every required field: enough to get past GraphQL validation. */
function sample(type: GraphQLInputType, depth = 0): unknown {
  if (isNonNullType(type)) return sample(type.ofType, depth);
  if (isListType(type)) return [];
  const named = getNamedType(type);
  if (isEnumType(named)) return named.getValues()[0].value;
  if (isInputObjectType(named)) {
    if (depth > 4) return {};
    return Object.fromEntries(
      Object.values(named.getFields())
        .filter((field) => isNonNullType(field.type))
        .map((field) => [field.name, sample(field.type, depth + 1)]),
    );
  }
  if (isScalarType(named)) {
    switch (named.name) {
      case "Int":
        return 1;
      case "Float":
        return 1.5;
      case "Boolean":
        return false;
      case "ID":
        return Buffer.from("Nothing:999999").toString("base64");
      case "DateTimeISO":
      case "DateTime":
      case "Date":
        return new Date().toISOString();
      case "LocalDate":
        return new Date().toISOString().slice(0, 10);
      default:
        return "sample";
    }
  }
  return null;
}

let schema: GraphQLSchema;
let t: TestApp;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  schema = await createSchema(Object.assign(createPubSub(), { close: async () => undefined }));
  t = await startTestApp({}, { RATE_LIMIT_PER_MINUTE: "100000" });
  for (const username of ["admin", "commander", "logistics", "logistics.kz-s01", "auditor", "finance"]) tokens[username] = await t.tokenFor(username);
  const admin = tokens.admin;
  const leader = await t.graphql(`mutation { createAccount(input: { username: "leader.matrix", displayName: "队长", password: "Matrix-Leader-2026!", role: TEAM_LEADER }) { errors { message } } }`, {}, { token: admin });
  expect(leader.data.createAccount.errors).toEqual([]);
  const login = await t.graphql(`mutation { login(input: { username: "leader.matrix", password: "Matrix-Leader-2026!" }) { token } }`);
  tokens["team leader"] = login.data.login.token;
  tokens["dashboard key"] = await t.apiKeyFor("DASHBOARD");
});
afterAll(() => t.stop());

it("has a declared rule for every mutation in the schema", () => {
  const mutations = Object.keys(schema.getMutationType()?.getFields() ?? {});
  expect(mutations.filter((name) => !(name in POLICY))).toEqual([]);
  expect(Object.keys(POLICY).filter((name) => !mutations.includes(name))).toEqual([]);
});

it("allows exactly the declared roles and refuses the rest with FORBIDDEN", async () => {
  const mutations = Object.values(schema.getMutationType()!.getFields());
  const mismatches: string[] = [];
  let refusals = 0;
  for (const mutation of mutations) {
    const policy = POLICY[mutation.name];
    if (!policy) continue;
    const inputArg = mutation.args.find((arg) => arg.name === "input");
    const variables = inputArg ? { input: sample(inputArg.type) } : {};
    const document = inputArg
      ? `mutation ($input: ${inputArg.type.toString()}) { ${mutation.name}(input: $input) { __typename } }`
      : `mutation { ${mutation.name} { __typename } }`;

    const anonymous = await t.graphql(document, variables);
    const anonymousCode = anonymous.errors?.[0]?.extensions?.code;
    if (policy !== ANYONE && anonymousCode !== "UNAUTHENTICATED") mismatches.push(`${mutation.name} anonymous: expected UNAUTHENTICATED, got ${anonymousCode ?? "allowed"}`);
    if (policy === ANYONE && anonymousCode === "UNAUTHENTICATED") mismatches.push(`${mutation.name} anonymous: expected allowed`);
    if (policy !== ANYONE) refusals++;

    for (const caller of CALLERS) {
      if (policy === ANYONE) continue;
      const allowed = caller.role === "ADMIN" || policy.includes(caller.role);
      const result = await t.graphql(document, variables, { token: tokens[caller.name] });
      const codes = (result.errors ?? []).map((error) => error.extensions?.code);
      if (codes.includes("UNAUTHENTICATED")) mismatches.push(`${mutation.name} as ${caller.name}: UNAUTHENTICATED`);
      if (!allowed && !codes.includes("FORBIDDEN")) mismatches.push(`${mutation.name} as ${caller.name}: expected FORBIDDEN, got ${codes.join(",") || "allowed"}`);
      if (!allowed) refusals++;
      // A scoped account may still be refused for scope on real ids; role-level rules must match.
      if (allowed && caller.name !== "logistics.kz-s01" && codes.includes("FORBIDDEN")) mismatches.push(`${mutation.name} as ${caller.name}: expected allowed, got FORBIDDEN`);
    }
  }
  expect(mismatches).toEqual([]);

  // Every refusal is in the audit log, and a refused call changed nothing else.
  const [{ count }] = await t.app.dataSource.query(`SELECT count(*)::int AS count FROM audit_entry WHERE outcome = 'REFUSED'`);
  expect(count).toBeGreaterThanOrEqual(refusals);
});
