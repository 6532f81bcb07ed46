// "The credentials of this account or API key changed": revoked, deactivated, reactivated, a
// new password, a new role or scope. Published on the event bus after the change commits, so
// every instance (through Redis) checks again the sockets that identity holds open and closes
// those whose credentials no longer stand (core/live/socket-guard.ts).
import { logger } from "../ops/logger";
import type { EventBus } from "./pubsub";

export const CREDENTIALS_CHANGED = "CREDENTIALS_CHANGED";

export interface CredentialsChanged {
  kind: "ACCOUNT" | "API_KEY";
  id: number;
}

export function publishCredentialsChanged(events: EventBus, change: CredentialsChanged): void {
  try {
    events.publish(CREDENTIALS_CHANGED, change);
  } catch (error) {
    // The periodic re-check of open sockets still catches it (WS_CREDENTIALS_RECHECK_SECONDS).
    logger.warn({ err: error, change }, "could not publish a credentials change");
  }
}
