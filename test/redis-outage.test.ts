// A Redis outage with several instances: writes go on, subscribers on the writing instance still
// hear them, what could not reach the other instances is counted, and nothing rejects unhandled
// (a rejection nobody catches ends a Node process). An instance starts while Redis is down, and
// when Redis returns every instance hears the others again — also subscriptions begun during the
// outage. The test runs its own redis-server so that it can kill it.
import crypto from "node:crypto";
import { startTestApp, type TestApp } from "./support/app";
import { gid, seedIds, type SeedIds } from "./support/dispatch";
import { metricValue } from "./support/metrics";
import { startRedisServer, redisServerMissing, type TestRedisServer } from "./support/redis-server";
import { clientFor, settle, subscribe, type Subscriber } from "./support/subscriptions";
import { waitUntil } from "./support/wait";
import type { Client } from "graphql-ws";

const missing = redisServerMissing();
if (missing) console.log(`redis-outage.test.ts skipped: ${missing}`);
const describeWithRedis = missing ? describe.skip : describe;

const prefix = `kaizhou-outage-${crypto.randomUUID()}:`;
const ORDER_CHANGED = `subscription ($where: DispatchOrderChangedWhere) { dispatchOrderChanged(where: $where) { change order { code } } }`;

describeWithRedis("a Redis outage", () => {
  let redis: TestRedisServer;
  let a: TestApp;
  let b: TestApp;
  let c: TestApp | undefined;
  let ids: SeedIds;
  let batchId: number;
  const clients: Client[] = [];
  const subscribers: Subscriber[] = [];
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    process.on("unhandledRejection", onUnhandled);
    redis = await startRedisServer();
    a = await startTestApp({ redisUrl: redis.url, redisChannelPrefix: prefix });
    b = await startTestApp({ redisUrl: redis.url, redisChannelPrefix: prefix, databaseUrl: a.database.url });
    ids = await seedIds(a.app.dataSource);
    [{ id: batchId }] = await a.app.dataSource.query(
      `SELECT b.id FROM stock_batch b JOIN storage_site s ON s.id = b.site_id WHERE s.code = 'KZ-DEPOT-01' AND b.item_id = $1 AND b.on_hand > b.reserved + 50 ORDER BY b.id LIMIT 1`,
      [ids.item["1010101"]],
    );
  });
  afterAll(async () => {
    await Promise.all(subscribers.map((s) => s.close()));
    await Promise.all(clients.map((client) => client.dispose()));
    await Promise.all([b?.stop(), c?.stop()]);
    await a?.stop();
    await redis?.kill();
    process.off("unhandledRejection", onUnhandled);
  });

  const where = () => ({ regionId: gid("Region", ids.region["KZ-S03"]) });
  async function subscriberOn(app: TestApp): Promise<Subscriber> {
    const client = clientFor(app.url, await app.apiKeyFor("DASHBOARD"));
    clients.push(client);
    const subscriber = await subscribe(client, ORDER_CHANGED, { where: where() });
    subscribers.push(subscriber);
    return subscriber;
  }
  async function createOrderOn(app: TestApp): Promise<string> {
    const created = await app.graphql(
      `mutation ($input: CreateDispatchOrderInput!) { createDispatchOrder(input: $input) { order { code } errors { message } } }`,
      {
        input: {
          destination: where(),
          lines: [{ itemId: gid("SupplyItem", ids.item["1010101"]), quantity: 1, allocations: [{ batchId: gid("StockBatch", batchId), quantity: 1 }] }],
        },
      },
      { token: await app.tokenFor("logistics") },
    );
    expect(created.errors).toBeUndefined();
    expect(created.data.createDispatchOrder.errors).toEqual([]);
    return created.data.createDispatchOrder.order.code;
  }
  const connected = (app: TestApp) => metricValue(app.url, "kaizhou_redis_connected");
  const unpublished = async (app: TestApp) => (await metricValue(app.url, "kaizhou_events_unpublished_total")) ?? NaN;
  const codes = (subscriber: Subscriber) => subscriber.events.map((event) => event.dispatchOrderChanged.order.code);

  let onA: Subscriber;
  let onB: Subscriber;

  it("carries an event from one instance to the other while Redis is up", async () => {
    onA = await subscriberOn(a);
    onB = await subscriberOn(b);
    expect(await connected(a)).toBe(1);
    const code = await createOrderOn(a);
    await onB.waitFor(1);
    await onA.waitFor(1);
    expect(codes(onB)).toEqual([code]);
    expect(codes(onA)).toEqual([code]); // once: its own echo from Redis is not delivered again
    expect(await unpublished(a)).toBe(0);
  });

  it("goes on writing while Redis is down: local subscribers hear their instance, the rest is counted", async () => {
    onA.events.length = 0;
    onB.events.length = 0;
    await redis.kill();
    await waitUntil(async () => (await connected(a)) === 0 && (await connected(b)) === 0, "both instances see Redis gone");

    const onA2 = await createOrderOn(a);
    const onB2 = await createOrderOn(b);
    await onA.waitFor(1);
    await onB.waitFor(1);
    await settle();
    expect(codes(onA)).toEqual([onA2]);
    expect(codes(onB)).toEqual([onB2]);
    expect(await unpublished(a)).toBe(1);
    expect(await unpublished(b)).toBe(1);
    expect(unhandled).toEqual([]);
  });

  it("starts an instance while Redis is down, degraded rather than refusing", async () => {
    c = await startTestApp({ redisUrl: redis.url, redisChannelPrefix: prefix, databaseUrl: a.database.url });
    expect(await connected(c)).toBe(0);
    const onC = await subscriberOn(c);
    const code = await createOrderOn(c);
    await onC.waitFor(1);
    expect(codes(onC)).toEqual([code]);
    expect(unhandled).toEqual([]);
  });

  it("when Redis returns, every instance hears the others again, also on subscriptions begun during the outage", async () => {
    const onC = subscribers[subscribers.length - 1];
    for (const subscriber of [onA, onB, onC]) subscriber.events.length = 0;
    await redis.start();
    await waitUntil(async () => (await connected(a)) === 1 && (await connected(b)) === 1 && (await connected(c!)) === 1, "all three instances reconnect");

    const fromA = await createOrderOn(a);
    await onB.waitFor(1);
    await onC.waitFor(1);
    const fromC = await createOrderOn(c!);
    await onA.waitFor(2);
    await onB.waitFor(2);
    await settle();
    expect(codes(onA)).toEqual([fromA, fromC]);
    expect(codes(onB)).toEqual([fromA, fromC]);
    expect(codes(onC)).toEqual([fromA, fromC]);
    expect(await unpublished(a)).toBe(1); // nothing more was lost
    expect(unhandled).toEqual([]);
  });
});
