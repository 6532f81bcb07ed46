// What every resolver receives: who is asking, per-request loaders, and the services. Both doors
// (HTTP and WebSocket, core/http/front-door.ts) make it with createContext, so a resolver cannot
// tell which way its operation came in.
import type { Caller } from "./core/http/front-door";
import type { Locale } from "./core/i18n/i18n";
import { createLoaders, type Loaders } from "./loaders";
import type { Services } from "./services";

export interface AppContext extends Caller {
  /** The request's id (an HTTP request's, or one WebSocket operation's): in its errors and log lines. */
  requestId: string;
  services: Services;
  loaders: Loaders;
  /** One of several operations sent together as an HTTP array: they run concurrently (idempotency keys are refused there). */
  batched: boolean;
  /** The language the request is answered in: UserError.message is rendered in it (core/i18n). */
  locale: Locale;
}

/** The context of one HTTP request or one WebSocket operation. */
export function createContext(services: Services, caller: Caller & { requestId: string; batched?: boolean; locale: Locale }): AppContext {
  return {
    requestId: caller.requestId,
    locale: caller.locale,
    batched: caller.batched ?? false,
    actor: caller.actor,
    authError: caller.authError,
    clientAddress: caller.clientAddress,
    savedDocument: caller.savedDocument ?? false,
    services,
    loaders: createLoaders(services),
  };
}
