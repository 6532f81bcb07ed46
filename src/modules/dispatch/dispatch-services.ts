// The dispatch module's services (with allocation planning, and the supply requests its orders
// fulfil), wired once at start-up to the services of the modules they build on. src/services.ts
// spreads them into the shared services.
import type { DataSource } from "typeorm";
import type { Config } from "../../config";
import type { EventBus } from "../../core/live/pubsub";
import { AllocationService } from "../allocation/allocation.service";
import { createAllocationStrategy } from "../allocation/strategies";
import type { IncidentService } from "../incidents/incident.service";
import type { ReservesService } from "../reserves/reserves.service";
import type { StockLedger } from "../reserves/stock-ledger";
import { RequestFulfilment } from "../requests/request-fulfilment";
import { SupplyRequestService } from "../requests/supply-request.service";
import type { RouteService } from "../routes/routes.service";
import type { ReadinessService } from "../teams/readiness.service";
import { ApprovalLane } from "./dispatch-approvals";
import { DispatchCommands, type DispatchGate } from "./dispatch-commands.service";
import { DispatchQueries } from "./dispatch-queries.service";
import { OrderChanges } from "./dispatch-transaction";
import { TeamDeploymentService } from "./team-deployment.service";
import type { DeploymentChecks } from "../field/deployment-checks";
import { CallUpRelease } from "../field/call-up.service";

export function createDispatchServices(
  dataSource: DataSource,
  events: EventBus,
  config: Pick<Config, "allocation" | "dispatchApprovalDeadlineHours" | "supplyRequestResponseHours">,
  services: { incidents: IncidentService; reserves: ReservesService; stock: StockLedger; teamReadiness: ReadinessService; routes: RouteService; deploymentChecks: DeploymentChecks; dispatchGate?: DispatchGate },
) {
  const allocation = new AllocationService(dataSource, services.reserves, services.stock.queries, services.routes, createAllocationStrategy(config.allocation));
  const fulfilment = new RequestFulfilment(dataSource, events);
  const orderChanges = new OrderChanges(events, fulfilment);
  const approvals = new ApprovalLane(dataSource, services.stock, allocation, orderChanges);
  return {
    allocation,
    requests: new SupplyRequestService(dataSource, events, allocation, services.incidents, fulfilment, { responseHours: config.supplyRequestResponseHours }),
    dispatch: {
      queries: new DispatchQueries(dataSource, { approvalDeadlineHours: config.dispatchApprovalDeadlineHours }),
      commands: new DispatchCommands(dataSource, services.stock, services.incidents, allocation, fulfilment, orderChanges, approvals, services.dispatchGate),
    },
    teamDeployments: new TeamDeploymentService(dataSource, services.incidents, services.teamReadiness, services.deploymentChecks, [new CallUpRelease()]),
  };
}
