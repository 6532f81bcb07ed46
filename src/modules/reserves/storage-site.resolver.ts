import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import type { AppContext } from "../../context";
import { Role } from "../../core/access/auth";
import { mutationPayload } from "../../core/graphql/errors";
import { Unit, type UnitOfWork } from "../../core/mutation/unit-of-work";
import { byIdOrCode, codeArgumentDescription, cursorFor, isPlainFirstPage, makeConnection, PageArgs, pageSize, parseGlobalId, type Connection, type OrderTerm } from "../../core/graphql/relay";
import { Region } from "../regions/region.entity";
import { CreateStorageSiteInput, SiteStockWhere, StorageSiteWhere, UpdateStorageSiteInput } from "./reserves.inputs";
import { StockLevelConnection, StorageSiteConnection, StorageSitePayload } from "./reserves.types";
import type { LevelFilter } from "./stock-query.service";
import type { StockLevel } from "./stock-level.entity";
import { StorageSite } from "./storage-site.entity";
import { STOCK_LEVEL_ORDER, STORAGE_SITE_ORDER, type StockLevelOrderField, type StorageSiteOrderField } from "./reserves.orders";

@Resolver(() => StorageSite)
export class StorageSiteResolver {
  @Authorized()
  @Query(() => StorageSiteConnection, { description: "储备点。Storage sites of the three-tier reserve, ordered by code." })
  storageSites(
    @Ctx() ctx: AppContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("orderBy", () => [STORAGE_SITE_ORDER.Input], { nullable: true, description: STORAGE_SITE_ORDER.argument }) orderBy?: OrderTerm<StorageSiteOrderField>[] | null,
    @Arg("where", () => StorageSiteWhere, { nullable: true, description: "筛选条件。Conditions the sites must meet." }) where?: StorageSiteWhere,
  ): Promise<Connection<StorageSite>> {
    return ctx.services.reserves.listSites(where, page, orderBy);
  }

  @Authorized()
  @Query(() => StorageSite, { nullable: true, description: "储备点。One storage site by global id; null if there is none." })
  storageSite(
    @Ctx() ctx: AppContext,
    @Arg("id", () => ID, { nullable: true, description: "储备点 ID。Global id of the site." }) id?: string | null,
    @Arg("code", () => String, { nullable: true, description: codeArgumentDescription("site", "KZ-S01-P") }) code?: string | null,
  ): Promise<StorageSite | null> {
    return byIdOrCode<StorageSite>("StorageSite", id, code, { byId: ctx.loaders.reserves.siteById, byCode: ctx.loaders.reserves.siteByCode });
  }

  @Authorized()
  @FieldResolver(() => Region, { description: "服务区域。The region the site serves: the district, a township-level unit or a village." })
  async region(@Root() site: StorageSite, @Ctx() ctx: AppContext): Promise<Region> {
    return (await ctx.loaders.regions.regionById.load(site.regionId))!;
  }

  @Authorized()
  @FieldResolver(() => StockLevelConnection, { description: "储备点库存。What the site holds, one level per item (on hand, reserved, available, minimum), ordered by item." })
  async stock(
    @Root() site: StorageSite,
    @Ctx() ctx: AppContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("orderBy", () => [STOCK_LEVEL_ORDER.Input], { nullable: true, description: STOCK_LEVEL_ORDER.argument }) orderBy?: OrderTerm<StockLevelOrderField>[] | null,
    @Arg("where", () => SiteStockWhere, { nullable: true, description: "筛选条件。Conditions the levels must meet." }) where?: SiteStockWhere,
  ): Promise<Connection<StockLevel>> {
    const first = pageSize(page.first);
    const filter: LevelFilter = {};
    if (where?.itemIds) filter.itemIds = where.itemIds.map((id, i) => parseGlobalId(id, "SupplyItem", `where.itemIds[${i}]`));
    if (where?.belowMinimum !== null && where?.belowMinimum !== undefined) filter.belowMinimum = where.belowMinimum;
    const order = STOCK_LEVEL_ORDER.sorting.resolve(orderBy);
    if (!isPlainFirstPage(page, order)) {
      // Paging deeper into one site's stock, back, or in another order: a keyset query of its own.
      return ctx.services.stock.queries.listLevels({ ...filter, siteId: site.id }, page, orderBy);
    }
    // The first page is batched across every site in the response.
    const { rows, total } = await ctx.loaders.reserves.siteStockFirstPage.load(`${site.id}|${first + 1}|${JSON.stringify(filter)}`);
    return makeConnection(rows, first, false, (level) => cursorFor(order, level), async () => total, StockLevelConnection);
  }

  @Authorized()
  @FieldResolver(() => Int, { description: "低于最低库存的物资数。How many items the site holds below their minimum (for a map's status colour)." })
  itemsBelowMinimum(@Root() site: StorageSite, @Ctx() ctx: AppContext): Promise<number> {
    return ctx.loaders.reserves.belowMinimumBySite.load(site.id);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => StorageSitePayload, { description: "新建储备点。Adds a storage site (ADMIN)." })
  createStorageSite(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => CreateStorageSiteInput, { description: "新储备点。The new site." }) input: CreateStorageSiteInput) {
    return mutationPayload(() => ctx.services.reserves.createSite(unit, input));
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => StorageSitePayload, { description: "修改储备点。Changes a storage site's details or status (ADMIN)." })
  updateStorageSite(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => UpdateStorageSiteInput, { description: "修改内容。The changes." }) input: UpdateStorageSiteInput) {
    return mutationPayload(() => ctx.services.reserves.updateSite(unit, input));
  }
}
