// Open WebSocket connections stay bound to the credentials that opened them. A subscription
// runs for hours; an API key revoked, an account deactivated or given another role, a password
// changed — each must reach the sockets already open, on every instance, not only requests
// that come later. So every accepted connection is registered here with the credentials it
// presented, and is checked again:
// - at once, when a credentials change is announced on the event bus (core/live/credentials-events.ts;
//   through Redis when several instances share it);
// - every `recheckSeconds`, all of them, which catches what no announcement told (tokens that
//   expired, a change made while Redis was away, by SQL or the command line).
// A connection whose credentials no longer authenticate, or now stand for another role, scope
// or team, is closed with 4403. The account reads are shared (AuthService coalesces them), so a
// sweep of a thousand sockets costs a statement or two.
//
// The guard also counts subscriptions, so one connection, or one identity across connections,
// cannot hold more than its configured share (each subscription is an execution per event).
import { message, type Message } from "../i18n/i18n";
import { logger } from "../ops/logger";
import type { Actor } from "../access/auth";
import { CREDENTIALS_CHANGED, type CredentialsChanged } from "./credentials-events";
import type { EventBus } from "./pubsub";

/** graphql-ws's code for "Forbidden": the client should not reconnect with the same credentials. */
export const CLOSE_FORBIDDEN = 4403;

export interface GuardedCredentials {
  authorization?: string;
  apiKey?: string;
  address?: string;
}

export interface GuardedConnection {
  actor: Actor;
  credentials: GuardedCredentials;
  /** graphql-ws keeps this record of the connection's running subscriptions current. */
  subscriptions: Record<string, unknown>;
  /** Closes the socket, the reason said in the connection's language. */
  close(code: number, reason: Message): void;
}

export interface SocketGuardOptions {
  authenticate(credentials: GuardedCredentials): Promise<Actor | null>;
  events: EventBus;
  recheckSeconds: number;
  maxSubscriptionsPerConnection: number;
  maxSubscriptionsPerIdentity: number;
}

function identityOf(actor: Pick<Actor, "kind" | "id">): string {
  return `${actor.kind}:${actor.id}`;
}

function sameGrant(a: Actor, b: Actor): boolean {
  return a.kind === b.kind && a.id === b.id && a.role === b.role && a.scopeRegionId === b.scopeRegionId && a.teamId === b.teamId;
}

export class SocketGuard {
  private readonly byIdentity = new Map<string, Set<GuardedConnection>>();
  private readonly timer: NodeJS.Timeout;
  private announcements?: AsyncIterator<CredentialsChanged>;
  private stopped = false;

  constructor(private readonly options: SocketGuardOptions) {
    this.timer = setInterval(() => void this.recheckAll(), options.recheckSeconds * 1000);
    this.timer.unref();
    void this.listen();
  }

  register(connection: GuardedConnection): void {
    const identity = identityOf(connection.actor);
    let connections = this.byIdentity.get(identity);
    if (!connections) this.byIdentity.set(identity, (connections = new Set()));
    connections.add(connection);
  }

  unregister(connection: GuardedConnection): void {
    const identity = identityOf(connection.actor);
    const connections = this.byIdentity.get(identity);
    if (!connections) return;
    connections.delete(connection);
    if (!connections.size) this.byIdentity.delete(identity);
  }

  /**
   * Why a new subscription on this connection is refused, or null. graphql-ws has already put
   * the new one into `subscriptions` when it asks, so the counts include it.
   */
  subscriptionRefusal(connection: GuardedConnection): Message | null {
    const { maxSubscriptionsPerConnection: perConnection, maxSubscriptionsPerIdentity: perIdentity } = this.options;
    const onConnection = Object.keys(connection.subscriptions).length;
    if (onConnection > perConnection) {
      return message("socket.tooManyOnConnection", { limit: perConnection });
    }
    let onIdentity = 0;
    for (const other of this.byIdentity.get(identityOf(connection.actor)) ?? []) onIdentity += Object.keys(other.subscriptions).length;
    if (onIdentity > perIdentity) {
      return message("socket.tooManyForIdentity", { limit: perIdentity });
    }
    return null;
  }

  /** Checks every connection of one identity again. */
  async recheck(change: CredentialsChanged): Promise<void> {
    const connections = [...(this.byIdentity.get(identityOf(change)) ?? [])];
    await Promise.all(connections.map((connection) => this.check(connection)));
  }

  async recheckAll(): Promise<void> {
    const connections = [...this.byIdentity.values()].flatMap((set) => [...set]);
    await Promise.all(connections.map((connection) => this.check(connection)));
  }

  /** How many connections are registered (tests, metrics). */
  get size(): number {
    let count = 0;
    for (const set of this.byIdentity.values()) count += set.size;
    return count;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.announcements?.return?.();
  }

  private async check(connection: GuardedConnection): Promise<void> {
    let actor: Actor | null;
    try {
      actor = await this.options.authenticate(connection.credentials);
    } catch (error) {
      if ((error as { extensions?: { code?: string } })?.extensions?.code !== "UNAUTHENTICATED") {
        // The database did not answer: nothing is known against the credentials; keep the
        // socket and look again at the next sweep.
        logger.warn({ err: error }, "could not re-check a socket's credentials");
        return;
      }
      actor = null;
    }
    if (actor && sameGrant(actor, connection.actor)) return;
    this.unregister(connection);
    const reason = message(actor ? "socket.scopeChanged" : "socket.revoked");
    connection.close(CLOSE_FORBIDDEN, reason);
  }

  private async listen(): Promise<void> {
    while (!this.stopped) {
      try {
        const stream = this.options.events.subscribe(CREDENTIALS_CHANGED) as AsyncIterable<CredentialsChanged>;
        this.announcements = stream[Symbol.asyncIterator]();
        for (;;) {
          const { done, value } = await this.announcements.next();
          if (done) break;
          if (value && (value.kind === "ACCOUNT" || value.kind === "API_KEY") && Number.isInteger(value.id)) await this.recheck(value);
        }
      } catch (error) {
        if (this.stopped) return;
        logger.warn({ err: error }, "credentials announcements interrupted; listening again");
        await new Promise((resolve) => setTimeout(resolve, 1000).unref());
      }
      if (this.stopped) return;
    }
  }
}
