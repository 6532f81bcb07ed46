// What every resolver receives: who is asking, per-request loaders, and the services.
import type { Actor } from "./core/auth";
import type { Loaders } from "./loaders";
import type { Services } from "./services";

export interface AppContext {
  requestId: string;
  /** The signed-in account or API key; null for an anonymous request. */
  actor: Actor | null;
  services: Services;
  loaders: Loaders;
}
