import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, Subscription } from "type-graphql";
import type { AppContext } from "../../context";
import { Role } from "../../core/access/auth";
import { badUserInput, mutationPayload } from "../../core/graphql/errors";
import { Unit, type UnitOfWork } from "../../core/mutation/unit-of-work";
import { PageArgs, parseGlobalId, type Connection, type OrderTerm } from "../../core/graphql/relay";
import { freshLoadersForEvent } from "../../loaders";
import { Region } from "../regions/region.entity";
import { pipe, filter } from "@graphql-yoga/subscription";
import { levelFromEvent, matchesStockLevelFilter, STOCK_LEVEL_CHANGED, type StockLevelChangedEvent, type StockLevelFilter } from "./reserves.events";
import {
  ReceiveStockInput,
  RecordStocktakeInput,
  RotateBatchInput,
  SetMinimumStockInput,
  StockAlertWhere,
  StockLevelChangedWhere,
  StockLevelWhere,
  StockMovementWhere,
  StockSummaryWhere,
  TransferStockInput,
  WriteOffStockInput,
} from "./reserves.inputs";
import {
  ItemStockSummary,
  LedgerDiscrepancy,
  ReceiveStockPayload,
  RecordStocktakePayload,
  RotateBatchPayload,
  SetMinimumStockPayload,
  StockAlert,
  StockAlertConnection,
  StockLevelChange,
  StockLevelConnection,
  StockMovementConnection,
  TransferStockPayload,
  WriteOffStockPayload,
} from "./reserves.types";
import { StockBatch } from "./stock-batch.entity";
import { StockLevel } from "./stock-level.entity";
import { StockMovement } from "./stock-movement.entity";
import { StorageSite } from "./storage-site.entity";
import { SupplyItem } from "./supply-item.entity";
import { STOCK_ALERT_ORDER, STOCK_LEVEL_ORDER, STOCK_MOVEMENT_ORDER, type StockAlertOrderField, type StockLevelOrderField, type StockMovementOrderField } from "./reserves.orders";

async function required<T>(value: Promise<T | null>): Promise<T> {
  return (await value)!;
}

@Resolver()
export class StockResolver {
  // ------------------------------------------------------------ reads

  @Authorized()
  @Query(() => StockLevelConnection, { description: "库存 Stock levels (site × item: on hand, reserved, available, minimum), ordered by site, then item." })
  stockLevels(
    @Ctx() ctx: AppContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("orderBy", () => [STOCK_LEVEL_ORDER.Input], { nullable: true, description: STOCK_LEVEL_ORDER.argument }) orderBy?: OrderTerm<StockLevelOrderField>[] | null,
    @Arg("where", () => StockLevelWhere, { nullable: true, description: "筛选条件。Conditions the levels must meet." }) where?: StockLevelWhere,
  ): Promise<Connection<StockLevel>> {
    const queries = ctx.services.stock.queries;
    return queries.listLevels(queries.parseLevelWhere(where), page, orderBy);
  }

  @Authorized()
  @Query(() => StockBatch, {
    nullable: true,
    description: "库存批次。One stock batch by global id, or as staff name it — site code, item code and batch number (unique together) — instead; null if there is none.",
  })
  async stockBatch(
    @Ctx() ctx: AppContext,
    @Arg("id", () => ID, { nullable: true, description: "批次 ID。Global id of the batch." }) id?: string | null,
    @Arg("siteCode", () => String, { nullable: true, description: "储备点编码。The site's code, e.g. `KZ-S01-P`; with itemCode and batchNumber, instead of id." }) siteCode?: string | null,
    @Arg("itemCode", () => String, { nullable: true, description: "物资编码。The item's catalogue code, e.g. `1010101`; with siteCode and batchNumber." }) itemCode?: string | null,
    @Arg("batchNumber", () => String, { nullable: true, description: "批次号。The batch number on the goods; with siteCode and itemCode." }) batchNumber?: string | null,
  ): Promise<StockBatch | null> {
    const byNumber = [siteCode, itemCode, batchNumber].filter((v) => v !== null && v !== undefined).length;
    const hasId = id !== null && id !== undefined;
    if (hasId ? byNumber > 0 : byNumber !== 3) throw badUserInput(hasId ? "siteCode" : "id", "reserves.batchByIdOrNumber");
    if (hasId) return ctx.loaders.reserves.batchById.load(parseGlobalId(id, "StockBatch", "id"));
    const batch = await ctx.services.stock.queries.batchByNumber(siteCode!, itemCode!, batchNumber!);
    if (batch) ctx.loaders.reserves.batchById.prime(batch.id, batch);
    return batch;
  }

  @Authorized()
  @Query(() => StockMovementConnection, { description: "台账 The stock ledger, oldest entry first." })
  stockMovements(
    @Ctx() ctx: AppContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("orderBy", () => [STOCK_MOVEMENT_ORDER.Input], { nullable: true, description: STOCK_MOVEMENT_ORDER.argument }) orderBy?: OrderTerm<StockMovementOrderField>[] | null,
    @Arg("where", () => StockMovementWhere, { nullable: true, description: "筛选条件。Conditions the entries must meet." }) where?: StockMovementWhere,
  ): Promise<Connection<StockMovement>> {
    return ctx.services.stock.queries.listMovements(where, page, orderBy);
  }

  @Authorized()
  @Query(() => [ItemStockSummary], { description: "库存汇总 Per item: stock in all, by tier and by township, for the district command centre's wall. One SQL aggregation." })
  async stockSummary(
    @Ctx() ctx: AppContext,
    @Arg("where", () => StockSummaryWhere, { nullable: true, description: "物资与区域范围。Which items and which region." }) where?: StockSummaryWhere,
  ): Promise<ItemStockSummary[]> {
    const summaries = await ctx.services.stock.queries.summary(where);
    const townshipIds = [...new Set(summaries.flatMap((summary) => summary.byTownship.map((row) => row.townshipId)))];
    const townships = new Map<number, Region | null>();
    (await ctx.loaders.regions.regionById.loadMany(townshipIds)).forEach((region, i) => townships.set(townshipIds[i], region instanceof Region ? region : null));
    for (const summary of summaries) for (const row of summary.byTownship) row.township = townships.get(row.townshipId)!;
    return summaries;
  }

  @Authorized()
  @Query(() => StockAlertConnection, { description: "库存预警。What to replenish (below minimum) and what expires (临期, 过期): the logistics desk's worklist." })
  stockAlerts(
    @Ctx() ctx: AppContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("orderBy", () => [STOCK_ALERT_ORDER.Input], { nullable: true, description: STOCK_ALERT_ORDER.argument }) orderBy?: OrderTerm<StockAlertOrderField>[] | null,
    @Arg("where", () => StockAlertWhere, { nullable: true, description: "筛选条件。Conditions the alerts must meet." }) where?: StockAlertWhere,
  ): Promise<Connection<StockAlert>> {
    return ctx.services.stock.queries.alerts(where, page, orderBy);
  }

  @Authorized(Role.AUDITOR)
  @Query(() => [LedgerDiscrepancy], { description: "账实不符 Batches whose on hand differs from the sum of their ledger entries; always empty unless something is badly wrong (ADMIN, AUDITOR)." })
  ledgerDiscrepancies(@Ctx() ctx: AppContext): Promise<LedgerDiscrepancy[]> {
    return ctx.services.stock.queries.ledgerDiscrepancies();
  }

  // ------------------------------------------------------------ stock operations (LOGISTICS)

  @Authorized(Role.LOGISTICS)
  @Mutation(() => ReceiveStockPayload, { description: "入库 Receives goods at a site: a RECEIPT into a new or existing batch." })
  receiveStock(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => ReceiveStockInput, { description: "入库明细。What arrived where." }) input: ReceiveStockInput) {
    return mutationPayload(() => ctx.services.stockCommands.receiveStock(unit, input));
  }

  @Authorized(Role.LOGISTICS)
  @Mutation(() => TransferStockPayload, {
    description:
      "调拨 Moves stock from one site to another in one step: TRANSFER_OUT and TRANSFER_IN are written together. A township-scoped account may transfer only between sites of its township.",
  })
  transferStock(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => TransferStockInput, { description: "调拨的来源、去向、物资与数量。From where to where, what and how much." }) input: TransferStockInput) {
    return mutationPayload(() => ctx.services.stockCommands.transferStock(unit, input));
  }

  @Authorized(Role.LOGISTICS)
  @Mutation(() => WriteOffStockPayload, { description: "报废 Writes off stock: expired, damaged or lost, with the approver's name." })
  writeOffStock(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => WriteOffStockInput, { description: "报废物资、数量与原因。What, how much and why." }) input: WriteOffStockInput) {
    return mutationPayload(() => ctx.services.stockCommands.writeOffStock(unit, input));
  }

  @Authorized(Role.LOGISTICS)
  @Mutation(() => RecordStocktakePayload, { description: "盘点 Records a stocktake of a site: each difference becomes a COUNT_ADJUSTMENT entry." })
  recordStocktake(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => RecordStocktakeInput, { description: "盘点数量。The counted quantities." }) input: RecordStocktakeInput) {
    return mutationPayload(() => ctx.services.stockCommands.recordStocktake(unit, input));
  }

  @Authorized(Role.LOGISTICS)
  @Mutation(() => RotateBatchPayload, { description: "轮换 Rotates a batch: old stock out, the same quantity of a fresh batch in." })
  rotateBatch(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => RotateBatchInput, { description: "原批次与新批次。The old batch and the fresh one." }) input: RotateBatchInput) {
    return mutationPayload(() => ctx.services.stockCommands.rotateBatch(unit, input));
  }

  @Authorized(Role.LOGISTICS)
  @Mutation(() => SetMinimumStockPayload, { description: "最低库存 Sets a site's minimum for an item." })
  setMinimumStock(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => SetMinimumStockInput, { description: "储备点、物资与最低库存。Site, item and minimum." }) input: SetMinimumStockInput) {
    return mutationPayload(() => ctx.services.stockCommands.setMinimumStock(unit, input));
  }

  // ------------------------------------------------------------ live

  @Authorized()
  @Subscription(() => StockLevelChange, {
    description: "库存变化订阅。Each committed change of a stock level (never a rolled-back one) that matches the filter.",
    subscribe: ({ args, context }) => {
      const where = (args.where ?? {}) as StockLevelChangedWhere;
      const wanted: StockLevelFilter = {
        siteId: where.siteId ? parseGlobalId(where.siteId, "StorageSite", "where.siteId") : undefined,
        regionId: where.regionId ? parseGlobalId(where.regionId, "Region", "where.regionId") : undefined,
        tier: where.tier ?? undefined,
        itemId: where.itemId ? parseGlobalId(where.itemId, "SupplyItem", "where.itemId") : undefined,
      };
      const events = (context as AppContext).services.stock.events;
      return pipe(
        events.subscribe(STOCK_LEVEL_CHANGED),
        filter((event: StockLevelChangedEvent) => matchesStockLevelFilter(event, wanted)),
      );
    },
  })
  stockLevelChanged(
    @Root() event: StockLevelChangedEvent,
    @Ctx() ctx: AppContext,
    @Arg("where", () => StockLevelChangedWhere, { nullable: true, description: "库存变化范围。Which changes to receive; all when omitted." }) where?: StockLevelChangedWhere,
  ): StockLevelChange {
    void where;
    // One context lives as long as the subscription: nested fields load afresh for each event.
    freshLoadersForEvent(ctx, event);
    return Object.assign(new StockLevelChange(), {
      level: levelFromEvent(event),
      causes: event.causes,
      operationIds: event.operationIds,
      asOf: new Date(event.asOf),
    });
  }
}

@Resolver(() => StockLevel)
export class StockLevelResolver {
  @Authorized()
  @FieldResolver(() => StorageSite, { description: "储备点。The site." })
  site(@Root() level: StockLevel, @Ctx() ctx: AppContext): Promise<StorageSite> {
    return required(ctx.loaders.reserves.siteById.load(level.siteId));
  }

  @Authorized()
  @FieldResolver(() => SupplyItem, { description: "条目。The item." })
  item(@Root() level: StockLevel, @Ctx() ctx: AppContext): SupplyItem | Promise<SupplyItem> {
    // Synchronous when the page's loader fetched the items with the levels (no promise per row).
    const item = ctx.loaders.reserves.itemById.knownOrLoad(level.itemId);
    return item instanceof Promise ? required(item) : item!;
  }

  @Authorized()
  @FieldResolver(() => Int, {
    description:
      "在途 In transit: units on their way to this site on dispatch orders — issued at their source, not yet received here (nor turned back or written off short). Not part of onHand or available; the level exists from the moment an order to the site is dispatched, with on hand 0 if the site did not stock the item before.",
  })
  inTransit(@Root() level: StockLevel, @Ctx() ctx: AppContext): number | Promise<number> {
    return level.inTransit ?? ctx.loaders.reserves.inTransitByLevel.load(`${level.siteId}:${level.itemId}`);
  }

  @Authorized()
  @FieldResolver(() => [StockBatch], { description: "库存批次。The batches, earliest expiry first (先进先出 by expiry)." })
  batches(
    @Root() level: StockLevel,
    @Ctx() ctx: AppContext,
    @Arg("includeEmpty", () => Boolean, { defaultValue: false, description: "含空批次。Also batches with nothing left on hand." }) includeEmpty: boolean,
  ): Promise<StockBatch[]> {
    return ctx.loaders.reserves.batchesByLevel.load(`${level.siteId}:${level.itemId}|${includeEmpty}`);
  }
}

@Resolver(() => StockBatch)
export class StockBatchResolver {
  @Authorized()
  @FieldResolver(() => StorageSite, { description: "储备点。The site holding the batch." })
  site(@Root() batch: StockBatch, @Ctx() ctx: AppContext): Promise<StorageSite> {
    return required(ctx.loaders.reserves.siteById.load(batch.siteId));
  }

  @Authorized()
  @FieldResolver(() => SupplyItem, { description: "条目。The item." })
  item(@Root() batch: StockBatch, @Ctx() ctx: AppContext): Promise<SupplyItem> {
    return required(ctx.loaders.reserves.itemById.load(batch.itemId));
  }

  @Authorized()
  @FieldResolver(() => StockLevel, { description: "库存。The site × item level the batch counts towards." })
  level(@Root() batch: StockBatch, @Ctx() ctx: AppContext): Promise<StockLevel> {
    return required(ctx.loaders.reserves.levelBySiteItem.load(`${batch.siteId}:${batch.itemId}`));
  }
}

@Resolver(() => StockMovement)
export class StockMovementResolver {
  @Authorized()
  @FieldResolver(() => StockBatch, { description: "库存批次。The batch whose on-hand stock changed." })
  batch(@Root() movement: StockMovement, @Ctx() ctx: AppContext): Promise<StockBatch> {
    return required(ctx.loaders.reserves.batchById.load(movement.batchId));
  }

  @Authorized()
  @FieldResolver(() => StorageSite, { description: "储备点。The site." })
  site(@Root() movement: StockMovement, @Ctx() ctx: AppContext): Promise<StorageSite> {
    return required(ctx.loaders.reserves.siteById.load(movement.siteId));
  }

  @Authorized()
  @FieldResolver(() => SupplyItem, { description: "条目。The item." })
  item(@Root() movement: StockMovement, @Ctx() ctx: AppContext): Promise<SupplyItem> {
    return required(ctx.loaders.reserves.itemById.load(movement.itemId));
  }

  @Authorized()
  @FieldResolver(() => StorageSite, { nullable: true, description: "对方储备点。For transfers: the other site (where it went to or came from)." })
  counterpartSite(@Root() movement: StockMovement, @Ctx() ctx: AppContext): Promise<StorageSite | null> | null {
    return movement.counterpartSiteId === null ? null : ctx.loaders.reserves.siteById.load(movement.counterpartSiteId);
  }
}

@Resolver(() => ItemStockSummary)
export class ItemStockSummaryResolver {
  @Authorized()
  @FieldResolver(() => SupplyItem, { description: "条目。The item." })
  item(@Root() summary: ItemStockSummary, @Ctx() ctx: AppContext): Promise<SupplyItem> {
    return required(ctx.loaders.reserves.itemById.load(summary.itemId));
  }
}

@Resolver(() => StockAlert)
export class StockAlertResolver {
  @Authorized()
  @FieldResolver(() => StorageSite, { description: "储备点。The site." })
  site(@Root() alert: StockAlert, @Ctx() ctx: AppContext): Promise<StorageSite> {
    return required(ctx.loaders.reserves.siteById.load(alert.siteId));
  }

  @Authorized()
  @FieldResolver(() => SupplyItem, { description: "条目。The item." })
  item(@Root() alert: StockAlert, @Ctx() ctx: AppContext): Promise<SupplyItem> {
    return required(ctx.loaders.reserves.itemById.load(alert.itemId));
  }

  @Authorized()
  @FieldResolver(() => StockLevel, { description: "库存。The site × item level." })
  level(@Root() alert: StockAlert, @Ctx() ctx: AppContext): Promise<StockLevel> {
    return required(ctx.loaders.reserves.levelById.load(alert.levelId));
  }

  @Authorized()
  @FieldResolver(() => StockBatch, { nullable: true, description: "批次。The batch (EXPIRING/EXPIRED); null for BELOW_MINIMUM." })
  batch(@Root() alert: StockAlert, @Ctx() ctx: AppContext): Promise<StockBatch | null> | null {
    return alert.batchId === null ? null : ctx.loaders.reserves.batchById.load(alert.batchId);
  }
}

@Resolver(() => LedgerDiscrepancy)
export class LedgerDiscrepancyResolver {
  @Authorized(Role.AUDITOR)
  @FieldResolver(() => StockBatch, { description: "库存批次。The batch." })
  batch(@Root() discrepancy: LedgerDiscrepancy, @Ctx() ctx: AppContext): Promise<StockBatch> {
    return required(ctx.loaders.reserves.batchById.load(discrepancy.batchId));
  }
}
