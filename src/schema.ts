// The one GraphQL schema: every module's resolvers, the Node registry, auth and pubsub.
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from "graphql";
import { buildSchema, type BuildSchemaOptions } from "type-graphql";
import type { AppContext } from "./context";
import { authChecker, Role } from "./core/access/auth";
import { callFieldResolversDirectly } from "./core/graphql/direct-field-resolvers";
import { UserErrorResolver } from "./core/graphql/errors";
import { checkFieldRolesSynchronously, takeOverFieldRoles } from "./core/access/field-roles";
import { replayMutationResults } from "./core/mutation/idempotency";
import { checkInputsBeforeResolvers } from "./core/graphql/input-check";
import { resolveCodesBeforeResolvers, type CodeLookup } from "./core/graphql/code-filters";
import { createNodeResolver, type NodeFetcher } from "./core/graphql/node.resolver";
import { fromGlobalId } from "./core/graphql/relay";
import type { EventBus } from "./core/live/pubsub";
import { AccountResolver } from "./modules/accounts/accounts.resolver";
import { draftAuditEntry } from "./modules/audit/audit.plugin";
import { makeUnitsOfWork } from "./core/mutation/unit-of-work";
import { AuditResolver } from "./modules/audit/audit.resolver";
import { IncidentResolver } from "./modules/incidents/incident.resolver";
import { RegionResolver } from "./modules/regions/region.resolver";
import { PartnerCapacityResolver, PartnerStockAgreementResolver, ReservePartnerResolver } from "./modules/reserves/reserve-partner.resolver";
import {
  ItemStockSummaryResolver,
  LedgerDiscrepancyResolver,
  StockAlertResolver,
  StockBatchResolver,
  StockLevelResolver,
  StockMovementResolver,
  StockResolver,
} from "./modules/reserves/stock.resolver";
import { StorageSiteResolver } from "./modules/reserves/storage-site.resolver";
import { SupplyItemResolver } from "./modules/reserves/supply-item.resolver";
import { SpreadsheetResolver } from "./modules/spreadsheets/spreadsheets.resolver";
import { DistrictTeamCoverageResolver, ForceCoverageResolver, TownshipCoverageResolver } from "./modules/teams/coverage.resolver";
import { DrillResolver } from "./modules/teams/drill.resolver";
import { MemberCertificateResolver, TeamMemberResolver } from "./modules/teams/member.resolver";
import { ReadinessResolver, TownshipReadinessResolver } from "./modules/teams/readiness.resolver";
import { RescueActionFilingResolver } from "./modules/teams/social-team.resolver";
import { RescueTeamResolver } from "./modules/teams/team.resolver";
import { AllocationResolver, PassedOverSourceResolver, PlannedLineResolver, PlannedSourceResolver } from "./modules/allocation/allocation.resolver";
import { DispatchAllocationResolver, DispatchOrderLineResolver, DispatchOrderResolver, DispatchWriteOffResolver, StockMovementOrderResolver } from "./modules/dispatch/dispatch.resolver";
import { IncidentDispatchResolver, TeamDeploymentResolver } from "./modules/dispatch/team-deployment.resolver";
import { RequestDispatchOrderLineResolver, RequestDispatchOrderResolver, SupplyRequestLineResolver, SupplyRequestResolver } from "./modules/requests/supply-request.resolver";
import { DataEndpointResolver } from "./modules/data-endpoints/data-endpoint.resolver";
import { CallUpResolver, DeploymentFieldResolver, FieldAttendanceResolver, FilingLinksResolver, IncidentFieldResolver, MemberInsuranceFieldResolver, SituationReportResolver } from "./modules/field/field.resolver";
import {
  DispatchOrderTransportResolver,
  GreenChannelPassResolver,
  LogisticsPartnerResolver,
  RequisitionResolver,
  SettlementResolver,
  SupplyItemTransportResolver,
  TransportResourceResolver,
  TransportTripResolver,
  TripVehicleResolver,
} from "./modules/transport/transport.resolver";
import { RoadClosureResolver, RouteNodeResolver, TravelLinkResolver, TravelRouteLegResolver, TravelRouteResolver } from "./modules/routes/routes.resolver";
import {
  DistributionItemTotalResolver,
  DistributionLineResolver,
  DistributionResolver,
  DistributionTownshipTotalsResolver,
  IncidentShelterResolver,
  OccupancyReportResolver,
  OccupancyTotalsResolver,
  RationLineResolver,
  ShelterNeedLineResolver,
  ShelterNeedsResolver,
  ShelterOpeningResolver,
  ShelterResolver,
  ShelterStoreResolver,
} from "./modules/shelters/shelter.resolver";

/** How `node(id:)` loads each type, by the type name inside the global id. */
const nodeFetchers: Record<string, NodeFetcher<AppContext>> = {
  Region: { load: (ctx, id) => ctx.loaders.regions.regionById.load(id) },
  // Staff accounts are listed to ADMIN and AUDITOR only (`accounts`); one's own shows in `me`.
  Account: { load: (ctx, id) => ctx.services.accounts.byId(id), roles: [Role.AUDITOR], isOwn: (ctx, id) => ctx.actor?.kind === "ACCOUNT" && ctx.actor.id === id },
  Incident: { load: (ctx, id) => ctx.loaders.incidents.incidentById.load(id) },
  StorageSite: { load: (ctx, id) => ctx.loaders.reserves.siteById.load(id) },
  SupplyItem: { load: (ctx, id) => ctx.loaders.reserves.itemById.load(id) },
  StockLevel: { load: (ctx, id) => ctx.loaders.reserves.levelById.load(id) },
  StockBatch: { load: (ctx, id) => ctx.loaders.reserves.batchById.load(id) },
  StockMovement: { load: (ctx, id) => ctx.loaders.reserves.movementById.load(id) },
  ReservePartner: { load: (ctx, id) => ctx.loaders.reserves.partnerById.load(id) },
  PartnerStockAgreement: { load: (ctx, id) => ctx.loaders.reserves.agreementById.load(id) },
  PartnerCapacity: { load: (ctx, id) => ctx.loaders.reserves.capacityById.load(id) },
  RescueTeam: { load: (ctx, id) => ctx.loaders.teams.teamById.load(id) },
  TeamMember: { load: (ctx, id) => ctx.loaders.teams.memberById.load(id) },
  MemberCertificate: { load: (ctx, id) => ctx.loaders.teams.certificateById.load(id) },
  ReadinessReport: { load: (ctx, id) => ctx.loaders.teams.reportById.load(id) },
  Drill: { load: (ctx, id) => ctx.loaders.teams.drillById.load(id) },
  RescueActionFiling: { load: (ctx, id) => ctx.loaders.teams.filingById.load(id) },
  DispatchOrder: { load: (ctx, id) => ctx.loaders.dispatch.orderById.load(id) },
  DispatchOrderLine: { load: (ctx, id) => ctx.loaders.dispatch.lineById.load(id) },
  DispatchAllocation: { load: (ctx, id) => ctx.loaders.dispatch.allocationById.load(id) },
  DispatchWriteOff: { load: (ctx, id) => ctx.loaders.dispatch.writeOffById.load(id) },
  TeamDeployment: { load: (ctx, id) => ctx.loaders.dispatch.deploymentById.load(id) },
  SupplyRequest: { load: (ctx, id) => ctx.loaders.requests.requestById.load(id) },
  SupplyRequestLine: { load: (ctx, id) => ctx.loaders.requests.lineById.load(id) },
  RouteNode: { load: (ctx, id) => ctx.loaders.routes.nodeById.load(id) },
  TravelLink: { load: (ctx, id) => ctx.loaders.routes.linkById.load(id) },
  RoadClosure: { load: (ctx, id) => ctx.loaders.routes.closureById.load(id) },
  DataEndpoint: { load: (ctx, id) => ctx.services.dataEndpoints.byId(id) },
  TeamCallUp: { load: (ctx, id) => ctx.loaders.field.callUpById.load(id) },
  MemberInsurance: { load: (ctx, id) => ctx.loaders.field.insuranceById.load(id) },
  FieldAttendance: { load: (ctx, id) => ctx.loaders.field.attendanceById.load(id) },
  DeploymentTask: { load: (ctx, id) => ctx.loaders.field.taskById.load(id) },
  SituationReport: { load: (ctx, id) => ctx.loaders.field.reportById.load(id) },
  Shelter: { load: (ctx, id) => ctx.loaders.shelters.shelterById.load(id) },
  ShelterOpening: { load: (ctx, id) => ctx.loaders.shelters.openingById.load(id) },
  OccupancyReport: { load: (ctx, id) => ctx.loaders.shelters.reportById.load(id) },
  RationLine: { load: (ctx, id) => ctx.loaders.shelters.rationLineById.load(id) },
  Distribution: { load: (ctx, id) => ctx.loaders.shelters.distributionById.load(id) },
  DistributionLine: { load: (ctx, id) => ctx.loaders.shelters.distributionLineById.load(id) },
  LogisticsPartner: { load: (ctx, id) => ctx.loaders.transport.partnerById.load(id) },
  TransportResource: { load: (ctx, id) => ctx.loaders.transport.resourceById.load(id) },
  TransportTrip: { load: (ctx, id) => ctx.loaders.transport.tripById.load(id) },
  GreenChannelPass: { load: (ctx, id) => ctx.loaders.transport.passById.load(id) },
  Requisition: { load: (ctx, id) => ctx.loaders.transport.requisitionById.load(id) },
  Settlement: { load: (ctx, id) => ctx.loaders.transport.settlementById.load(id) },
};

/**
 * How the filters by code (core/graphql/code-filters.ts) find each type's objects: the same
 * by-code loaders as the `(code:)` lookups, so a code costs one batched statement per request.
 */
const codeLookups: Record<string, CodeLookup<AppContext>> = {
  Region: (ctx, codes) => idsOf(ctx.loaders.regions.regionByCode.loadMany(codes)),
  StorageSite: (ctx, codes) => idsOf(ctx.loaders.reserves.siteByCode.loadMany(codes)),
  SupplyItem: (ctx, codes) => idsOf(ctx.loaders.reserves.itemByCode.loadMany(codes)),
  RescueTeam: (ctx, codes) => idsOf(ctx.loaders.teams.teamByCode.loadMany(codes)),
  Incident: (ctx, codes) => idsOf(ctx.loaders.incidents.incidentByCode.loadMany(codes)),
  DispatchOrder: (ctx, codes) => idsOf(ctx.loaders.dispatch.orderByCode.loadMany(codes)),
  SupplyRequest: (ctx, codes) => idsOf(ctx.loaders.requests.requestByCode.loadMany(codes)),
  RouteNode: (ctx, codes) => idsOf(ctx.loaders.routes.nodeByCode.loadMany(codes)),
  Shelter: (ctx, codes) => idsOf(ctx.loaders.shelters.shelterByCode.loadMany(codes)),
  TransportResource: (ctx, codes) => idsOf(ctx.loaders.transport.resourceByCode.loadMany(codes)),
};

async function idsOf(rows: Promise<ArrayLike<{ id: number } | null | Error>>): Promise<(number | null)[]> {
  return Array.from(await rows, (row) => {
    if (row instanceof Error) throw row;
    return row ? row.id : null;
  });
}

export async function createSchema(events: EventBus): Promise<GraphQLSchema> {
  const resolvers = [
    createNodeResolver(nodeFetchers),
    UserErrorResolver,
    RegionResolver,
    AccountResolver,
    AuditResolver,
    IncidentResolver,
    StorageSiteResolver,
    SupplyItemResolver,
    StockResolver,
    StockLevelResolver,
    StockBatchResolver,
    StockMovementResolver,
    ItemStockSummaryResolver,
    StockAlertResolver,
    LedgerDiscrepancyResolver,
    ReservePartnerResolver,
    PartnerStockAgreementResolver,
    PartnerCapacityResolver,
    RescueTeamResolver,
    TeamMemberResolver,
    MemberCertificateResolver,
    ReadinessResolver,
    TownshipReadinessResolver,
    DrillResolver,
    RescueActionFilingResolver,
    ForceCoverageResolver,
    TownshipCoverageResolver,
    DistrictTeamCoverageResolver,
    AllocationResolver,
    PlannedLineResolver,
    PlannedSourceResolver,
    PassedOverSourceResolver,
    DispatchOrderResolver,
    DispatchOrderLineResolver,
    DispatchAllocationResolver,
    DispatchWriteOffResolver,
    StockMovementOrderResolver,
    TeamDeploymentResolver,
    IncidentDispatchResolver,
    SupplyRequestResolver,
    SupplyRequestLineResolver,
    RequestDispatchOrderResolver,
    RequestDispatchOrderLineResolver,
    SpreadsheetResolver,
    RouteNodeResolver,
    TravelLinkResolver,
    TravelRouteResolver,
    TravelRouteLegResolver,
    RoadClosureResolver,
    DataEndpointResolver,
    CallUpResolver,
    DeploymentFieldResolver,
    FieldAttendanceResolver,
    MemberInsuranceFieldResolver,
    FilingLinksResolver,
    SituationReportResolver,
    IncidentFieldResolver,
    ShelterResolver,
    ShelterOpeningResolver,
    OccupancyReportResolver,
    RationLineResolver,
    ShelterNeedsResolver,
    ShelterNeedLineResolver,
    OccupancyTotalsResolver,
    IncidentShelterResolver,
    ShelterStoreResolver,
    DistributionResolver,
    DistributionLineResolver,
    DistributionTownshipTotalsResolver,
    DistributionItemTotalResolver,
    TransportResourceResolver,
    LogisticsPartnerResolver,
    TransportTripResolver,
    TripVehicleResolver,
    DispatchOrderTransportResolver,
    SupplyItemTransportResolver,
    GreenChannelPassResolver,
    RequisitionResolver,
    SettlementResolver,
  ] as const;
  const options: BuildSchemaOptions = { resolvers, pubSub: events, authChecker, authMode: "error", validate: false, emitSchemaFile: false };
  // Roles are checked without type-graphql's async chain; both this and the direct field resolvers refuse global middlewares.
  const fieldRoles = takeOverFieldRoles(options);
  const schema = await buildSchema(options);
  // Each wraps what the one before it set, so a root field runs: unit of work (with its audit entry) → roles → replay of
  // a keyed retry whose first answer was lost (core/mutation/idempotency.ts) → input rules → codes in filters become ids → resolver.
  callFieldResolversDirectly(schema, options);
  resolveCodesBeforeResolvers(schema, codeLookups);
  checkInputsBeforeResolvers(schema);
  replayMutationResults<AppContext>(schema, (ctx, globalId) => {
    const parsed = fromGlobalId(globalId);
    const fetcher = parsed && nodeFetchers[parsed.typeName];
    return fetcher ? fetcher.load(ctx, parsed.id) : Promise.resolve(null);
  });
  checkFieldRolesSynchronously(schema, fieldRoles, options);
  makeUnitsOfWork(schema, draftAuditEntry); // outermost: every attempt that reaches a resolver has its unit, refused and rejected ones too
  return schema;
}

/** The schema as committed in schema.graphql: sorted, so the diff shows only real changes. */
export function printSortedSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
