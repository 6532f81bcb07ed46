// Per-request batching for supply requests, their lines, their line figures and the orders made
// from them: whatever the length of the queue, each relation costs one SQL statement per request.
import DataLoader from "dataloader";
import type { DispatchOrder } from "../dispatch/dispatch-order.entity";
import type { LineFigures } from "./request-fulfilment";
import type { SupplyRequest, SupplyRequestLine } from "./supply-request.entity";
import type { SupplyRequestService } from "./supply-request.service";

export function createRequestLoaders(services: { requests: SupplyRequestService }) {
  const { requests } = services;
  return {
    requestById: new DataLoader<number, SupplyRequest | null>((ids) => requests.byIds(ids)),
    requestByCode: new DataLoader<string, SupplyRequest | null>((codes) => requests.byCodes(codes)),
    lineById: new DataLoader<number, SupplyRequestLine | null>((ids) => requests.linesByIds(ids)),
    linesByRequest: new DataLoader<number, SupplyRequestLine[]>((ids) => requests.linesByRequests(ids)),
    figuresByLine: new DataLoader<number, LineFigures>((ids) => requests.fulfilment.figuresOf(ids)),
    ordersByRequest: new DataLoader<number, DispatchOrder[]>((ids) => requests.ordersByRequests(ids)),
  };
}

export type RequestLoaders = ReturnType<typeof createRequestLoaders>;
