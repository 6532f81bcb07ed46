// Per-request batching for orders, lines, sources, write-offs and deployments: whatever the
// length of a list of incidents or orders, each relation costs one SQL statement per request.
import DataLoader from "dataloader";
import { groupByArguments } from "../../core/db/batch";
import type { DispatchAllocation, DispatchOrder, DispatchOrderLine, DispatchWriteOff } from "./dispatch-order.entity";
import type { DispatchStatus } from "./dispatch.enums";
import type { DispatchQueries } from "./dispatch-queries.service";
import type { TeamDeployment } from "./team-deployment.entity";
import type { TeamDeploymentService } from "./team-deployment.service";

export function createDispatchLoaders(services: { dispatch: { queries: DispatchQueries }; teamDeployments: TeamDeploymentService }) {
  const dispatch = services.dispatch.queries;
  const { teamDeployments } = services;
  return {
    orderById: new DataLoader<number, DispatchOrder | null>((ids) => dispatch.byIds(ids)),
    orderByCode: new DataLoader<string, DispatchOrder | null>((codes) => dispatch.byCodes(codes)),
    lineById: new DataLoader<number, DispatchOrderLine | null>((ids) => dispatch.linesByIds(ids)),
    allocationById: new DataLoader<number, DispatchAllocation | null>((ids) => dispatch.allocationsByIds(ids)),
    writeOffById: new DataLoader<number, DispatchWriteOff | null>((ids) => dispatch.writeOffsByIds(ids)),
    deploymentById: new DataLoader<number, TeamDeployment | null>((ids) => teamDeployments.byIds(ids)),
    linesByOrder: new DataLoader<number, DispatchOrderLine[]>((ids) => dispatch.linesByOrders(ids)),
    allocationsByLine: new DataLoader<number, DispatchAllocation[]>((ids) => dispatch.allocationsByLines(ids)),
    writeOffsByOrder: new DataLoader<number, DispatchWriteOff[]>((ids) => dispatch.writeOffsByOrders(ids)),
    deploymentsByIncident: new DataLoader<number, TeamDeployment[]>((ids) => teamDeployments.byIncidents(ids)),
    /** Newest orders per incident; keyed "incidentId|limit|status". */
    incidentOrdersFirstPage: new DataLoader<string, DispatchOrder[]>(async (keys) => {
      const pages = new Map<string, DispatchOrder[]>();
      for (const [rest, incidentIds] of groupByArguments(keys)) {
        const [limit, status] = rest.split("|");
        const result = await dispatch.incidentOrderPages(incidentIds, Number(limit), (status || null) as DispatchStatus | null);
        incidentIds.forEach((id, i) => pages.set(`${id}|${rest}`, result[i]));
      }
      return keys.map((key) => pages.get(key) ?? []);
    }),
    /** Orders per incident; keyed "incidentId|status". */
    incidentOrderCount: new DataLoader<string, number>(async (keys) => {
      const counts = new Map<string, number>();
      for (const [status, incidentIds] of groupByArguments(keys)) {
        const result = await dispatch.incidentOrderCounts(incidentIds, (status || null) as DispatchStatus | null);
        incidentIds.forEach((id, i) => counts.set(`${id}|${status}`, result[i]));
      }
      return keys.map((key) => counts.get(key) ?? 0);
    }),
  };
}

export type DispatchLoaders = ReturnType<typeof createDispatchLoaders>;
