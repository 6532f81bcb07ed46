// The services of every module, created once at start-up and shared by all requests.
// Resolvers reach them through the GraphQL context; services own their transactions.
import type { DataSource } from "typeorm";
import type { Config } from "./config";
import type { Metrics } from "./core/ops/metrics";
import type { EventBus } from "./core/live/pubsub";
import { AccountService } from "./modules/accounts/account.service";
import { AuthService } from "./modules/accounts/auth.service";
import { PasswordHashing } from "./modules/accounts/password-hashing";
import { AuditService } from "./modules/audit/audit.service";
import { IncidentService } from "./modules/incidents/incident.service";
import { RegionService } from "./modules/regions/region.service";
import { ReservesService } from "./modules/reserves/reserves.service";
import { StockCommandService } from "./modules/reserves/stock-commands.service";
import { StockLedger } from "./modules/reserves/stock-ledger";
import { SpreadsheetService } from "./modules/spreadsheets/spreadsheets.service";
import { createTeamServices } from "./modules/teams/team-services";
import { createDispatchServices } from "./modules/dispatch/dispatch-services";
import { RouteService } from "./modules/routes/routes.service";
import { DataEndpointService } from "./modules/data-endpoints/data-endpoint.service";
import { DeploymentChecks } from "./modules/field/deployment-checks";
import { createFieldServices } from "./modules/field/field-services";
import { createShelterServices } from "./modules/shelters/shelter-services";
import { createTransportServices } from "./modules/transport/transport-services";

export function createServices(dataSource: DataSource, events: EventBus, config: Config & { authSecret: string }, metrics: Metrics) {
  // bcrypt's worker threads, shared by sign-in and account management; app.stop() closes them.
  const passwords = new PasswordHashing({ threads: config.auth.hashingThreads, maxQueued: config.auth.hashingQueue });
  const auth = new AuthService(dataSource, { ...config.auth, secret: config.authSecret }, config.nodeEnv === "production", passwords);
  // The ledger's building blocks, which the stock commands, dispatch and sheet imports share.
  const stock = new StockLedger(dataSource, events);
  const services = {
    passwords,
    regions: new RegionService(dataSource),
    auth,
    accounts: new AccountService(dataSource, passwords, events),
    audit: new AuditService(dataSource, { dataDir: config.dataDir, maxBytes: config.auditSpoolMaxBytes, counters: metrics.auditSpool }),
    incidents: new IncidentService(dataSource, events),
    reserves: new ReservesService(dataSource),
    stock,
    stockCommands: new StockCommandService(dataSource, stock),
    routes: new RouteService(dataSource, events),
    dataEndpoints: new DataEndpointService(dataSource, config.limits),
    ...createTeamServices(dataSource, events, config),
  };
  // The pre-deployment checks, which deployTeam (dispatch) and the call-ups (field) share.
  const deploymentChecks = new DeploymentChecks(services.teams);
  // Transport (vehicles, trips, passes, requisitions); dispatch runs its pass check at markDispatched.
  const transport = createTransportServices(dataSource, events, services);
  const dispatch = createDispatchServices(dataSource, events, config, { ...services, deploymentChecks, dispatchGate: transport.trips });
  const field = createFieldServices(dataSource, events, config, { ...services, deploymentChecks, teamDeployments: dispatch.teamDeployments });
  const shelters = createShelterServices(dataSource, events, { ...services, ...dispatch });
  // Sheet import and export build on the stock and roster services above.
  return { ...services, deploymentChecks, ...transport, ...dispatch, ...field, ...shelters, spreadsheets: new SpreadsheetService(dataSource, services) };
}

export type Services = ReturnType<typeof createServices>;
