// What every resolver receives: who is asking, per-request loaders, and the services.
import type { GraphQLError } from "graphql";
import type { Actor } from "./core/access/auth";
import type { Loaders } from "./loaders";
import type { Services } from "./services";

export interface AppContext {
  requestId: string;
  /** The signed-in account or API key; null for an anonymous request. */
  actor: Actor | null;
  /** Credentials were sent but are bad (expired, revoked): the request is refused, and audited. */
  authError: GraphQLError | null;
  /** Client network address (for login throttling and the audit log). */
  clientAddress: string;
  services: Services;
  loaders: Loaders;
}
