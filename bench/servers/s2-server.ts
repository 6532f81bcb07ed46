// S2's server: the dashboard read with no database behind it, served by one Apollo Server 5
// setup (express, the same plugins) with either our type-graphql schema and resolver classes
// ("ours") or the same resolvers written against plain graphql-js ("plain").
//
// Both sides read one in-memory data set (the 1× bench database's sites, levels and items,
// loaded once at start and then disconnected) through the same in-memory services and the same
// per-request DataLoaders (src/loaders.ts), so the only difference is the GraphQL layer: schema
// building style, type-graphql's resolver wrappers and argument conversion, @Authorized checks
// (done by hand on the plain side, with the same authChecker, where ours declares them).
//
// Usage: node -r ./scripts/register.js bench/servers/s2-server.ts <ours|plain> <port> <database url>
import "reflect-metadata";
import http from "node:http";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { expressMiddleware } from "@as-integrations/express5";
import express from "express";
import {
  GraphQLBoolean,
  GraphQLEnumType,
  GraphQLID,
  GraphQLInputObjectType,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  type GraphQLFieldConfig,
} from "graphql";
import { Client } from "pg";
import { createContext, type AppContext } from "../../src/context";
import { authChecker, Role, type Actor } from "../../src/core/access/auth";
import { createEventBus } from "../../src/core/live/pubsub";
import { decodeCursor, encodeCursor, makeConnection, pageSize, parseGlobalId, toGlobalId, type Connection, type PageArgs } from "../../src/core/graphql/relay";
import type { LevelFilter } from "../../src/modules/reserves/stock-query.service";
import { StockQueryService } from "../../src/modules/reserves/stock-query.service";
import { StockLevelConnection, StorageSiteConnection } from "../../src/modules/reserves/reserves.types";
import type { StockLevel } from "../../src/modules/reserves/stock-level.entity";
import { StorageSite } from "../../src/modules/reserves/storage-site.entity";
import { SupplyItem } from "../../src/modules/reserves/supply-item.entity";
import type { Services } from "../../src/services";
import { createSchema } from "../../src/schema";

interface Dataset {
  sites: StorageSite[];
  sitePaths: Map<number, string>;
  items: Map<number, SupplyItem>;
  levelsBySite: Map<number, StockLevel[]>;
}

async function loadDataset(url: string): Promise<Dataset> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const sites = (await client.query(`SELECT s.*, r.path FROM storage_site s JOIN region r ON r.id = s.region_id ORDER BY s.code, s.id`)).rows;
    const items = (await client.query(`SELECT * FROM supply_item`)).rows;
    const levels = (
      await client.query(`SELECT l.id, l.district_id, l.site_id, l.item_id, l.minimum_quantity, l.updated_at,
          coalesce(sum(b.on_hand), 0)::int AS on_hand, coalesce(sum(b.reserved), 0)::int AS reserved,
          (min(b.expiry_date) FILTER (WHERE b.on_hand > 0))::text AS earliest_expiry
        FROM stock_level l LEFT JOIN stock_batch b ON b.site_id = l.site_id AND b.item_id = l.item_id
        GROUP BY l.id ORDER BY l.site_id, l.item_id`)
    ).rows;
    const toLevel = StockQueryService.prototype.levelFromRow;
    const levelsBySite = new Map<number, StockLevel[]>();
    for (const row of levels) {
      const level = toLevel.call(null, row);
      levelsBySite.set(level.siteId, [...(levelsBySite.get(level.siteId) ?? []), level]);
    }
    return {
      sites: sites.map((s) =>
        Object.assign(new StorageSite(), {
          id: s.id, code: s.code, name: s.name, tier: s.tier, status: s.status, regionId: s.region_id, districtId: s.district_id, address: s.address,
          latitude: s.latitude, longitude: s.longitude, floorArea: s.floor_area, custodianName: s.custodian_name, custodianPhone: s.custodian_phone,
          createdAt: s.created_at, updatedAt: s.updated_at,
        }),
      ),
      sitePaths: new Map(sites.map((s) => [s.id as number, s.path as string])),
      items: new Map(
        items.map((i) => [
          i.id as number,
          Object.assign(new SupplyItem(), {
            id: i.id, code: i.code, name: i.name, specification: i.specification, unit: i.unit, reusable: i.reusable, tracksExpiry: i.tracks_expiry,
            shelfLifeDays: i.shelf_life_days, hazards: i.hazards, createdAt: i.created_at, updatedAt: i.updated_at,
          }),
        ]),
      ),
      levelsBySite,
    };
  } finally {
    await client.end();
  }
}

/** The few service methods the dashboard read uses, answered from memory. */
function inMemoryServices(data: Dataset): Services {
  const siteById = new Map(data.sites.map((s) => [s.id, s]));
  const reserves = {
    async listSites(where: { regionId?: string | null } | null | undefined, page: PageArgs): Promise<Connection<StorageSite>> {
      const first = pageSize(page.first);
      const regionId = where?.regionId ? parseGlobalId(where.regionId, "Region", "where.regionId") : null;
      let rows = regionId === null ? data.sites : data.sites.filter((s) => data.sitePaths.get(s.id)!.includes(`/${regionId}/`));
      if (page.after) {
        const [code, id] = decodeCursor(page.after, 2) as [string, number];
        rows = rows.filter((s) => s.code > code || (s.code === code && s.id > id));
      }
      const total = rows.length;
      return makeConnection(rows.slice(0, first + 1), first, Boolean(page.after), (s) => encodeCursor([s.code, s.id]), async () => total, StorageSiteConnection);
    },
    async sitesByIds(ids: readonly number[]) {
      return ids.map((id) => siteById.get(id) ?? null);
    },
    async itemsByIds(ids: readonly number[]) {
      return ids.map((id) => data.items.get(id) ?? null);
    },
  };
  const queries = {
    async siteStockPages(siteIds: readonly number[], limit: number, where: LevelFilter) {
      void where;
      return new Map(siteIds.map((id) => {
        const levels = data.levelsBySite.get(id) ?? [];
        return [id, { rows: levels.slice(0, limit), total: levels.length }];
      }));
    },
  };
  return { reserves, stock: { queries } } as unknown as Services;
}

// ---------------------------------------------------------------- the same resolvers, plain graphql-js

function plainSchema(): GraphQLSchema {
  type Ctx = AppContext;
  /** What @Authorized declares on our side, done by hand with the same checker. */
  const check = authChecker as (data: { root: unknown; args: object; context: Ctx; info: never }, roles: Role[]) => boolean;
  const authorize = (context: Ctx, roles: Role[] = []) => check({ root: undefined, args: {}, context, info: undefined as never }, roles);
  const SiteTier = new GraphQLEnumType({ name: "SiteTier", values: { DISTRICT_DEPOT: {}, TOWNSHIP_POINT: {}, VILLAGE_ROOM: {}, SHELTER: {} } });
  const PageInfo = new GraphQLObjectType({
    name: "PageInfo",
    fields: { hasNextPage: { type: new GraphQLNonNull(GraphQLBoolean) }, hasPreviousPage: { type: new GraphQLNonNull(GraphQLBoolean) }, startCursor: { type: GraphQLString }, endCursor: { type: GraphQLString } },
  });
  const SupplyItemType = new GraphQLObjectType<SupplyItem, Ctx>({
    name: "SupplyItem",
    fields: { id: { type: new GraphQLNonNull(GraphQLID), resolve: (item) => toGlobalId("SupplyItem", item.id) }, code: { type: new GraphQLNonNull(GraphQLString) }, name: { type: new GraphQLNonNull(GraphQLString) }, unit: { type: new GraphQLNonNull(GraphQLString) } },
  });
  const StockLevelType = new GraphQLObjectType<StockLevel, Ctx>({
    name: "StockLevel",
    fields: {
      id: { type: new GraphQLNonNull(GraphQLID), resolve: (level) => toGlobalId("StockLevel", level.id) },
      onHand: { type: new GraphQLNonNull(GraphQLInt) },
      reserved: { type: new GraphQLNonNull(GraphQLInt) },
      available: { type: new GraphQLNonNull(GraphQLInt), resolve: (level) => level.onHand - level.reserved },
      minimum: { type: new GraphQLNonNull(GraphQLInt), resolve: (level) => level.minimumQuantity },
      belowMinimum: { type: new GraphQLNonNull(GraphQLBoolean), resolve: (level) => level.onHand - level.reserved < level.minimumQuantity },
      item: {
        type: new GraphQLNonNull(SupplyItemType),
        resolve: (level, _args, ctx) => {
          authorize(ctx);
          const item = ctx.loaders.reserves.itemById.knownOrLoad(level.itemId);
          return item instanceof Promise ? item.then((value) => value!) : item!;
        },
      },
    },
  });
  const connection = (name: string, node: GraphQLObjectType) =>
    new GraphQLObjectType<Connection<unknown>, Ctx>({
      name: `${name}Connection`,
      fields: {
        edges: { type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(new GraphQLObjectType({ name: `${name}Edge`, fields: { node: { type: new GraphQLNonNull(node) }, cursor: { type: new GraphQLNonNull(GraphQLString) } } })))) },
        nodes: { type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(node))), resolve: (c) => c.edges.map((e) => e.node) },
        pageInfo: { type: new GraphQLNonNull(PageInfo) },
        totalCount: { type: new GraphQLNonNull(GraphQLInt), resolve: (c) => c.totalCount() },
      },
    });
  const StockLevelConnectionType = connection("StockLevel", StockLevelType);
  const stockField: GraphQLFieldConfig<StorageSite, Ctx, { first?: number; after?: string }> = {
    type: new GraphQLNonNull(StockLevelConnectionType),
    args: { first: { type: GraphQLInt }, after: { type: GraphQLString } },
    resolve: async (site, args, ctx) => {
      authorize(ctx);
      const first = pageSize(args.first);
      const { rows, total } = await ctx.loaders.reserves.siteStockFirstPage.load(`${site.id}|${first + 1}|{}`);
      return makeConnection(rows, first, false, (level) => encodeCursor([level.siteId, level.itemId]), async () => total, StockLevelConnection);
    },
  };
  const StorageSiteType = new GraphQLObjectType<StorageSite, Ctx>({
    name: "StorageSite",
    fields: {
      id: { type: new GraphQLNonNull(GraphQLID), resolve: (site) => toGlobalId("StorageSite", site.id) },
      code: { type: new GraphQLNonNull(GraphQLString) },
      name: { type: new GraphQLNonNull(GraphQLString) },
      tier: { type: new GraphQLNonNull(SiteTier) },
      stock: stockField,
    },
  });
  const StorageSiteWhere = new GraphQLInputObjectType({ name: "StorageSiteWhere", fields: { regionId: { type: GraphQLID } } });
  return new GraphQLSchema({
    query: new GraphQLObjectType<unknown, Ctx>({
      name: "Query",
      fields: {
        storageSites: {
          type: new GraphQLNonNull(connection("StorageSite", StorageSiteType)),
          args: { first: { type: GraphQLInt }, after: { type: GraphQLString }, where: { type: StorageSiteWhere } },
          resolve: (_root, args: { first?: number; after?: string; where?: { regionId?: string } }, ctx) => {
            authorize(ctx);
            return ctx.services.reserves.listSites(args.where as never, { first: args.first, after: args.after });
          },
        },
      },
    }),
  });
}

async function main() {
  const [mode, port, url] = process.argv.slice(2);
  if (mode !== "ours" && mode !== "plain") throw new Error("usage: s2-server.ts <ours|plain> <port> <database url>");
  const data = await loadDataset(url);
  const services = inMemoryServices(data);
  const schema = mode === "ours" ? await createSchema(await createEventBus(undefined)) : plainSchema();
  const actor: Actor = { kind: "ACCOUNT", id: 1, name: "bench", role: Role.COMMANDER, scopeRegionId: null, teamId: null };
  const app = express();
  const httpServer = http.createServer(app);
  const apollo = new ApolloServer<AppContext>({ schema, plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginCacheControlDisabled()] });
  await apollo.start();
  app.use(
    "/graphql",
    express.json({ limit: "1mb" }),
    expressMiddleware(apollo, {
      context: async () => createContext(services, { requestId: "bench", actor, authError: null, clientAddress: "127.0.0.1", locale: "zh-CN" }),
    }),
  );
  httpServer.listen(Number(port), "127.0.0.1", () => console.log(`S2 ${mode} server listening on ${port}`));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
