// Every TypeORM entity, listed explicitly (no globs: the same list works under swc, jest and tsc).
import { Account } from "./modules/accounts/account.entity";
import { ApiKey } from "./modules/accounts/api-key.entity";
import { LoginFailure } from "./modules/accounts/login-failure.entity";
import { AuditEntry } from "./modules/audit/audit.entity";
import { Incident, IncidentRegion } from "./modules/incidents/incident.entity";
import { Region } from "./modules/regions/region.entity";
import { PartnerCapacity, PartnerStockAgreement, ReservePartner } from "./modules/reserves/reserve-partner.entity";
import { StockBatch } from "./modules/reserves/stock-batch.entity";
import { StockLevel } from "./modules/reserves/stock-level.entity";
import { StockMovement } from "./modules/reserves/stock-movement.entity";
import { StorageSite } from "./modules/reserves/storage-site.entity";
import { SupplyItem } from "./modules/reserves/supply-item.entity";
import { ForcePlanTarget } from "./modules/teams/coverage.entity";
import { Drill, DrillTeam } from "./modules/teams/drill.entity";
import { RescueActionFiling, RescueActionFilingMember } from "./modules/teams/filing.entity";
import { MemberCertificate, TeamMember } from "./modules/teams/member.entity";
import { ReadinessReport } from "./modules/teams/readiness.entity";
import { RescueTeam } from "./modules/teams/team.entity";
import { DispatchAllocation, DispatchOrder, DispatchOrderLine, DispatchWriteOff } from "./modules/dispatch/dispatch-order.entity";
import { TeamDeployment } from "./modules/dispatch/team-deployment.entity";
import { DocumentCounter } from "./modules/numbering/document-counter.entity";
import { SupplyRequest, SupplyRequestLine } from "./modules/requests/supply-request.entity";
import { RoadClosure, RouteNode, TravelLink } from "./modules/routes/route.entity";
import { DataEndpoint } from "./modules/data-endpoints/data-endpoint.entity";
import { DeploymentCheckRule, TeamCallUp, TeamCallUpMember } from "./modules/field/call-up.entity";
import { MemberInsurance } from "./modules/field/insurance.entity";
import { DeploymentTask, FieldAttendance } from "./modules/field/on-site.entity";
import { SituationReport, SituationReportClosure } from "./modules/field/situation-report.entity";
import { Distribution, DistributionLine, OccupancyReport, RationLine, ReliefPolicy, Shelter, ShelterOpening } from "./modules/shelters/shelter.entity";
import { ItemTransportMeasure, LogisticsPartner, TransportRate, TransportResource } from "./modules/transport/transport.entity";
import { TransportTrip, TripOrder, TripVehicle } from "./modules/transport/trip.entity";
import { GreenChannelPass, PassRegion } from "./modules/transport/pass.entity";
import { Requisition, Settlement, VehicleApiKey } from "./modules/transport/requisition.entity";

export const entities = [
  Region,
  Account,
  ApiKey,
  LoginFailure,
  AuditEntry,
  Incident,
  IncidentRegion,
  StorageSite,
  SupplyItem,
  StockLevel,
  StockBatch,
  StockMovement,
  ReservePartner,
  PartnerStockAgreement,
  PartnerCapacity,
  RescueTeam,
  TeamMember,
  MemberCertificate,
  ReadinessReport,
  Drill,
  DrillTeam,
  RescueActionFiling,
  ForcePlanTarget,
  DispatchOrder,
  DispatchOrderLine,
  DispatchAllocation,
  DispatchWriteOff,
  TeamDeployment,
  DocumentCounter,
  SupplyRequest,
  SupplyRequestLine,
  RouteNode,
  TravelLink,
  RoadClosure,
  DataEndpoint,
  RescueActionFilingMember,
  MemberInsurance,
  DeploymentCheckRule,
  TeamCallUp,
  TeamCallUpMember,
  FieldAttendance,
  DeploymentTask,
  SituationReport,
  SituationReportClosure,
  Shelter,
  ShelterOpening,
  OccupancyReport,
  RationLine,
  ReliefPolicy,
  Distribution,
  DistributionLine,
  LogisticsPartner,
  TransportResource,
  ItemTransportMeasure,
  TransportRate,
  TransportTrip,
  TripOrder,
  TripVehicle,
  GreenChannelPass,
  PassRegion,
  Requisition,
  Settlement,
  VehicleApiKey,
];
