// Events for subscriptions. In-process by default; with REDIS_URL they travel through Redis
// so a mutation on one instance reaches subscribers connected to another.
import { createPubSub } from "@graphql-yoga/subscription";
import { logger } from "./logger";

export type EventBus = ReturnType<typeof createPubSub> & { close(): Promise<void> };

export async function createEventBus(redisUrl?: string): Promise<EventBus> {
  if (!redisUrl) {
    return Object.assign(createPubSub(), { close: async () => undefined });
  }
  const { Redis } = await import("ioredis");
  const { createRedisEventTarget } = await import("@graphql-yoga/redis-event-target");
  const publishClient = new Redis(redisUrl, { maxRetriesPerRequest: 3, lazyConnect: true });
  const subscribeClient = new Redis(redisUrl, { maxRetriesPerRequest: 3, lazyConnect: true });
  for (const client of [publishClient, subscribeClient]) {
    client.on("error", (error) => logger.warn({ err: error }, "redis connection error"));
  }
  await Promise.all([publishClient.connect(), subscribeClient.connect()]);
  const eventTarget = createRedisEventTarget({ publishClient, subscribeClient });
  return Object.assign(createPubSub({ eventTarget }), {
    close: async () => {
      publishClient.disconnect();
      subscribeClient.disconnect();
    },
  });
}
