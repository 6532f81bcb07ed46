// Several service instances behind a load balancer share one PostgreSQL and one Redis: a
// subscriber connected to instance B hears about a mutation sent to instance A. Uses the
// machine's Redis; the channel prefix is unique to this run, so parallel runs never cross, and
// an instance with another prefix (another deployment on the same Redis) hears nothing.
import crypto from "node:crypto";
import Redis from "ioredis";
import { DISPATCH_ORDER_CHANGED } from "../src/modules/dispatch/dispatch.events";
import { startTestApp, type TestApp } from "./support/app";
import { gid, seedIds } from "./support/dispatch";
import { clientFor, settle, subscribe } from "./support/subscriptions";

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = `kaizhou-test-${crypto.randomUUID()}:`;

let a: TestApp;
let b: TestApp;
let elsewhere: TestApp;

beforeAll(async () => {
  a = await startTestApp({ redisUrl: REDIS_URL, redisChannelPrefix: prefix });
  // Same database as A (the clone startTestApp makes for B is simply not used).
  b = await startTestApp({ redisUrl: REDIS_URL, redisChannelPrefix: prefix, databaseUrl: a.database.url });
  elsewhere = await startTestApp({ redisUrl: REDIS_URL, redisChannelPrefix: `${prefix}other:`, databaseUrl: a.database.url });
});
afterAll(async () => {
  await Promise.all([b?.stop(), elsewhere?.stop()]);
  await a?.stop();
});

it("delivers a dispatch-order change made on instance A to a subscriber on instance B", async () => {
  const ids = await seedIds(a.app.dataSource);
  const query = `subscription ($where: DispatchOrderChangedWhere) { dispatchOrderChanged(where: $where) { change order { code status } } }`;
  const where = { regionId: gid("Region", ids.region["KZ-S03"]) };
  const clientB = clientFor(b.url, await b.apiKeyFor("DASHBOARD"));
  const clientElsewhere = clientFor(elsewhere.url, await elsewhere.apiKeyFor("DASHBOARD"));
  const onB = await subscribe(clientB, query, { where });
  const onOtherDeployment = await subscribe(clientElsewhere, query, { where });
  // An instance subscribes to a Redis channel when its first subscriber for the topic arrives;
  // wait until B's SUBSCRIBE has reached Redis, so the event is not published before it listens.
  await untilRedisHasSubscriber(prefix + DISPATCH_ORDER_CHANGED);
  try {
    const [batch] = await a.app.dataSource.query(
      `SELECT b.id FROM stock_batch b JOIN storage_site s ON s.id = b.site_id WHERE s.code = 'KZ-DEPOT-01' AND b.item_id = $1 AND b.on_hand > b.reserved + 5 ORDER BY b.id LIMIT 1`,
      [ids.item["1010101"]],
    );
    const created = await a.graphql(
      `mutation ($input: CreateDispatchOrderInput!) { createDispatchOrder(input: $input) { order { code } errors { message } } }`,
      {
        input: {
          destination: { regionId: gid("Region", ids.region["KZ-S03"]) },
          lines: [{ itemId: gid("SupplyItem", ids.item["1010101"]), quantity: 5, allocations: [{ batchId: gid("StockBatch", batch.id), quantity: 5 }] }],
        },
      },
      { token: await a.tokenFor("logistics") },
    );
    expect(created.data.createDispatchOrder.errors).toEqual([]);
    const [event] = await onB.waitFor(1);
    expect(event.dispatchOrderChanged).toEqual({ change: "CREATED", order: { code: created.data.createDispatchOrder.order.code, status: "DRAFT" } });
    await settle();
    expect(onOtherDeployment.events).toEqual([]);
  } finally {
    await Promise.all([onB.close(), onOtherDeployment.close()]);
    await Promise.all([clientB.dispose(), clientElsewhere.dispose()]);
  }
});

async function untilRedisHasSubscriber(channel: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    for (let attempt = 0; attempt < 200; attempt++) {
      const [, count] = (await redis.pubsub("NUMSUB", channel)) as [string, number];
      if (Number(count) > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`no instance subscribed to ${channel} on Redis`);
  } finally {
    redis.disconnect();
  }
}
