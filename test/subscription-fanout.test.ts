// One event, many subscribers: subscribers who sent the same operation and see the same things
// share one execution (core/live/subscription-fanout.ts); everyone else still gets their own answer,
// masked for their role, and an answer that depends on who the actor is goes to them alone.
import { createPubSub } from "@graphql-yoga/subscription";
import { GraphQLObjectType, GraphQLSchema, GraphQLString, parse } from "graphql";
import { Role, type Actor } from "../src/core/access/auth";
import { markActorSpecific, sharedSubscribe } from "../src/core/live/subscription-fanout";
import { startTestApp, type TestApp } from "./support/app";
import { reserveLookups } from "./support/reserves";
import { clientFor, settle, subscribe } from "./support/subscriptions";

describe("stockLevelChanged to many subscribers", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.stop());

  const SUBSCRIPTION = `subscription Wall($where: StockLevelChangedWhere) { stockLevelChanged(where: $where) {
    level { onHand site { code custodianName } item { name } }
  } }`;
  const RECEIVE = `mutation ($input: ReceiveStockInput!) { receiveStock(input: $input) { errors { code } } }`;

  async function results(): Promise<{ executed: number; shared: number }> {
    const metric = await t.app.metrics.registry.getSingleMetric("kaizhou_subscription_results_total")!.get();
    const value = (made: string) => metric.values.find((v) => v.labels.made === made)?.value ?? 0;
    return { executed: value("executed"), shared: value("shared") };
  }

  it("executes once per group of equal subscribers, and masks per role", async () => {
    const find = reserveLookups(t.app.dataSource);
    const point = await find.site("KZ-S01-P");
    const custodian: string = (await t.app.dataSource.query(`SELECT custodian_name FROM storage_site WHERE code = 'KZ-S01-P'`))[0].custodian_name;
    expect(custodian).toBeTruthy();
    const dashboard = clientFor(t.url, await t.apiKeyFor("DASHBOARD"));
    const logistics = clientFor(t.url, await t.tokenFor("logistics"));
    try {
      const walls = await Promise.all([1, 2, 3, 4, 5].map(() => subscribe(dashboard, SUBSCRIPTION, { where: { siteId: point } })));
      const staff = await Promise.all([1, 2].map(() => subscribe(logistics, SUBSCRIPTION, { where: { siteId: point } })));
      const township = await subscribe(dashboard, SUBSCRIPTION, { where: { regionId: await find.region("KZ-S01") } });
      const before = await results();
      const siteReads = jest.spyOn(t.app.services.reserves, "sitesByIds");

      const receipt = await t.graphql(RECEIVE, { input: { siteId: point, itemId: await find.item("雨衣"), batchNumber: "FANOUT-1", source: "PURCHASE", quantity: 3 } }, { token: await t.tokenFor("logistics") });
      expect(receipt.data.receiveStock.errors).toEqual([]);

      const [wallEvents, staffEvents, [townshipEvent]] = await Promise.all([
        Promise.all(walls.map(async (s) => (await s.waitFor(1))[0])),
        Promise.all(staff.map(async (s) => (await s.waitFor(1))[0])),
        township.waitFor(1),
      ]);
      for (const event of [...wallEvents, townshipEvent]) {
        expect(event.stockLevelChanged.level.site).toEqual({ code: "KZ-S01-P", custodianName: expect.not.stringMatching(custodian) });
      }
      for (const event of staffEvents) expect(event.stockLevelChanged.level.site).toEqual({ code: "KZ-S01-P", custodianName: custodian });
      expect(new Set([...wallEvents, ...staffEvents, townshipEvent].map((e) => e.stockLevelChanged.level.onHand)).size).toBe(1);

      await settle();
      const after = await results();
      // Three groups: the walls (same role, same filter), the staff, the township filter.
      expect(after.executed - before.executed).toBe(3);
      expect(after.shared - before.shared).toBe(4 + 1);
      // The three executions of the one event share its loaders: the site is read once.
      expect(siteReads).toHaveBeenCalledTimes(1);
      siteReads.mockRestore();
    } finally {
      await dashboard.dispose();
      await logistics.dispose();
    }
  });
});

describe("sharedSubscribe", () => {
  const pubsub = createPubSub<{ tick: [{ n: number }] }>();
  let executions = 0;
  const Tick = new GraphQLObjectType({
    name: "Tick",
    fields: {
      n: { type: GraphQLString, resolve: (tick: { n: number }) => String(tick.n) },
      // Like a field shown because it is the actor's own account: the answer depends on who asks.
      mine: {
        type: GraphQLString,
        resolve: (_tick, _args, context: { actor: Actor }) => {
          markActorSpecific(context);
          return `for ${context.actor.id}`;
        },
      },
    },
  });
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({ name: "Query", fields: { ok: { type: GraphQLString } } }),
    subscription: new GraphQLObjectType({
      name: "Subscription",
      fields: {
        tick: {
          type: Tick,
          subscribe: (_root, _args, context: { actor: Actor }) => {
            if (context.actor.id === 66) throw new Error("account 66 may not listen");
            return counted(pubsub.subscribe("tick"));
          },
          resolve: (tick) => {
            executions += 1;
            return tick;
          },
        },
      },
    }),
  });
  /**
   * Source streams being listened to (opened by a first next(), closed by return()). Not an
   * async generator: its return() would wait for the pending next(), as the pubsub's does not.
   */
  let openSources = 0;
  function counted<T>(source: AsyncIterable<T>): AsyncIterableIterator<T> {
    const inner = source[Symbol.asyncIterator]();
    let state: "new" | "open" | "closed" = "new";
    const iterator: AsyncIterableIterator<T> = {
      next: () => {
        if (state === "new") (state = "open"), (openSources += 1);
        return inner.next();
      },
      return: async () => {
        if (state === "open") openSources -= 1;
        state = "closed";
        await inner.return?.();
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }
  const counters = { executed: jest.fn(), shared: jest.fn() };
  const subscribeShared = sharedSubscribe(counters);
  const actor = (id: number): Actor => ({ kind: "ACCOUNT", id, name: `user ${id}`, role: Role.COMMANDER, scopeRegionId: null, teamId: null });
  const start = async (query: string, who: Actor) => {
    const stream = (await subscribeShared({ schema, document: parse(query), contextValue: { actor: who } })) as AsyncIterableIterator<{ data?: any }>;
    return { stream, next: stream.next() };
  };

  beforeEach(() => {
    executions = 0;
    counters.executed.mockClear();
    counters.shared.mockClear();
  });

  it("shares a role-only answer between actors of the same role", async () => {
    const a = await start("subscription { tick { n } }", actor(1));
    const b = await start("subscription { tick { n } }", actor(2));
    pubsub.publish("tick", { n: 1 });
    expect((await a.next).value.data).toEqual({ tick: { n: "1" } });
    expect((await b.next).value.data).toEqual({ tick: { n: "1" } });
    expect(executions).toBe(1);
    expect(counters.shared).toHaveBeenCalledTimes(1);
    await Promise.all([a.stream.return!(), b.stream.return!()]);
  });

  it("gives an answer that read the actor's identity to that actor only", async () => {
    const a = await start("subscription { tick { mine } }", actor(1));
    const b = await start("subscription { tick { mine } }", actor(2));
    const a2 = await start("subscription { tick { mine } }", actor(1));
    pubsub.publish("tick", { n: 2 });
    expect((await a.next).value.data).toEqual({ tick: { mine: "for 1" } });
    expect((await b.next).value.data).toEqual({ tick: { mine: "for 2" } });
    expect((await a2.next).value.data).toEqual({ tick: { mine: "for 1" } });
    expect(executions).toBe(2);
    await Promise.all([a.stream.return!(), b.stream.return!(), a2.stream.return!()]);
  });

  it("listens once per group: later members get later events, members leave on their own, the last one ends the source", async () => {
    const a = await start("subscription { tick { n } }", actor(1));
    const b = await start("subscription { tick { n } }", actor(2));
    expect(openSources).toBe(1); // b's own source was closed once it joined a's group
    pubsub.publish("tick", { n: 3 });
    expect((await a.next).value.data).toEqual({ tick: { n: "3" } });
    expect((await b.next).value.data).toEqual({ tick: { n: "3" } });
    const c = await start("subscription { tick { n } }", actor(3));
    await b.stream.return!();
    pubsub.publish("tick", { n: 4 });
    expect((await a.stream.next()).value.data).toEqual({ tick: { n: "4" } });
    expect((await c.next).value.data).toEqual({ tick: { n: "4" } }); // not 3: it joined after
    expect(executions).toBe(2);
    await a.stream.return!();
    expect(openSources).toBe(1);
    await c.stream.return!();
    await new Promise((resolve) => setImmediate(resolve));
    expect(openSources).toBe(0);
    // A newcomer after that starts a group of its own.
    const d = await start("subscription { tick { n } }", actor(4));
    pubsub.publish("tick", { n: 5 });
    expect((await d.next).value.data).toEqual({ tick: { n: "5" } });
    await d.stream.return!();
  });

  it("still checks every subscriber on its own when it joins a group", async () => {
    const a = await start("subscription { tick { n } }", actor(1));
    const refused = await subscribeShared({ schema, document: parse("subscription { tick { n } }"), contextValue: { actor: { ...actor(66), id: 66 } } });
    expect((refused as { errors?: Array<{ message: string }> }).errors?.[0].message).toBe("account 66 may not listen");
    await a.stream.return!();
  });

  it("ends the source at once when a subscriber leaves while waiting", async () => {
    const a = await start("subscription { tick { n } }", actor(1));
    await a.stream.return!();
    await expect(a.next).resolves.toEqual({ done: true, value: undefined });
  });
});
