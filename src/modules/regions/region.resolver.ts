import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import type { AppContext } from "../../context";
import { byIdOrCode, codeArgumentDescription, cursorFor, isPlainFirstPage, makeConnection, PageArgs, pageSize, type Connection, type OrderTerm } from "../../core/graphql/relay";
import { REGION_ORDER, type RegionOrderField } from "./region.orders";
import { Region } from "./region.entity";
import { RegionWhere } from "./region.inputs";
import { RegionConnection } from "./region.service";

@Resolver(() => Region)
export class RegionResolver {
  @Authorized()
  @Query(() => RegionConnection, { description: "行政区划 Regions of the administrative tree, ordered by code." })
  regions(
    @Ctx() ctx: AppContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("orderBy", () => [REGION_ORDER.Input], { nullable: true, description: REGION_ORDER.argument }) orderBy?: OrderTerm<RegionOrderField>[] | null,
    @Arg("where", () => RegionWhere, { nullable: true, description: "筛选条件。Conditions the regions must meet." }) where?: RegionWhere,
  ): Promise<Connection<Region>> {
    return ctx.services.regions.list(where, page, orderBy);
  }

  @Authorized()
  @Query(() => Region, { nullable: true, description: "行政区划。One region by global id; null if there is none." })
  region(
    @Ctx() ctx: AppContext,
    @Arg("id", () => ID, { nullable: true, description: "区域 ID。Global id of the region." }) id?: string | null,
    @Arg("code", () => String, { nullable: true, description: codeArgumentDescription("region", "KZ-S01") }) code?: string | null,
  ): Promise<Region | null> {
    return byIdOrCode<Region>("Region", id, code, { byId: ctx.loaders.regions.regionById, byCode: ctx.loaders.regions.regionByCode });
  }

  @FieldResolver(() => Region, { nullable: true, description: "上级区划。The region this one belongs to; null for a district." })
  parent(@Root() region: Region, @Ctx() ctx: AppContext): Promise<Region | null> | null {
    return region.parentId === null ? null : ctx.loaders.regions.regionById.load(region.parentId);
  }

  @FieldResolver(() => [Region], { description: "上级路径。Ancestors from the root down to the parent (e.g. 开州区 → 汉丰街道 for a community)." })
  async path(@Root() region: Region, @Ctx() ctx: AppContext): Promise<Region[]> {
    const ancestors = await ctx.loaders.regions.regionById.loadMany(ctx.services.regions.ancestorIds(region));
    return ancestors.filter((r): r is Region => r instanceof Region);
  }

  @FieldResolver(() => RegionConnection, { description: "下级区划。Direct children, ordered by code." })
  async children(
    @Root() region: Region,
    @Ctx() ctx: AppContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("orderBy", () => [REGION_ORDER.Input], { nullable: true, description: REGION_ORDER.argument }) orderBy?: OrderTerm<RegionOrderField>[] | null,
  ): Promise<Connection<Region>> {
    const first = pageSize(page.first);
    const order = REGION_ORDER.sorting.resolve(orderBy);
    if (!isPlainFirstPage(page, order)) {
      // Paging deeper into one parent's children, back, or in another order: a keyset query of its own.
      return ctx.services.regions.list({ parentId: region.globalId }, page, orderBy);
    }
    // The first page is batched across every parent in the response.
    const { rows, total } = await ctx.loaders.regions.firstChildren.load(`${region.id}:${first + 1}`);
    return makeConnection(rows, first, false, (row) => cursorFor(order, row), async () => total, RegionConnection);
  }
}
