// What every resolver receives: who is asking, per-request loaders, and the services. Both doors
// (HTTP and WebSocket, core/http/front-door.ts) make it with createContext, so a resolver cannot
// tell which way its operation came in.
import type { Caller } from "./core/http/front-door";
import { createLoaders, type Loaders } from "./loaders";
import type { Services } from "./services";

export interface AppContext extends Caller {
  /** The request's id (an HTTP request's, or one WebSocket operation's): in its errors and log lines. */
  requestId: string;
  services: Services;
  loaders: Loaders;
  /** One of several operations sent together as an HTTP array: they run concurrently (idempotency keys are refused there). */
  batched: boolean;
}

/** The context of one HTTP request or one WebSocket operation. */
export function createContext(services: Services, caller: Caller & { requestId: string; batched?: boolean }): AppContext {
  return {
    requestId: caller.requestId,
    batched: caller.batched ?? false,
    actor: caller.actor,
    authError: caller.authError,
    clientAddress: caller.clientAddress,
    savedDocument: caller.savedDocument ?? false,
    services,
    loaders: createLoaders(services),
  };
}
