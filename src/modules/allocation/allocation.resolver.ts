import { Arg, Authorized, Ctx, FieldResolver, Query, Resolver, Root } from "type-graphql";
import type { AppContext } from "../../context";
import { ReservePartner } from "../reserves/reserve-partner.entity";
import { StockBatch } from "../reserves/stock-batch.entity";
import { StorageSite } from "../reserves/storage-site.entity";
import { SupplyItem } from "../reserves/supply-item.entity";
import { PlanAllocationInput } from "./allocation.inputs";
import { AllocationPlan, PlannedLine, PlannedSource } from "./allocation.types";

@Resolver(() => AllocationPlan)
export class AllocationResolver {
  @Authorized()
  @Query(() => AllocationPlan, {
    description:
      "Propose sources for items going to a destination, changing nothing: nearest first, escalating by tier (village room → township point → district depot → partner agreement stock → production capacity), keeping sites' minimums unless allowed (URGENT), earliest expiry first, splitting lines, reporting shortfall and why each source was chosen. A township-scoped account is offered only its township's sites.",
  })
  planAllocation(@Ctx() ctx: AppContext, @Arg("input", () => PlanAllocationInput, { description: "Destination, lines and rules." }) input: PlanAllocationInput): Promise<AllocationPlan> {
    return ctx.services.allocation.planAllocation(ctx.actor!, input);
  }
}

@Resolver(() => PlannedLine)
export class PlannedLineResolver {
  @Authorized()
  @FieldResolver(() => SupplyItem, { description: "The item." })
  async item(@Root() line: PlannedLine, @Ctx() ctx: AppContext): Promise<SupplyItem> {
    return (await ctx.loaders.reserves.itemById.load(line.itemId))!;
  }
}

@Resolver(() => PlannedSource)
export class PlannedSourceResolver {
  @Authorized()
  @FieldResolver(() => StorageSite, { nullable: true, description: "The storage site, for site stock." })
  site(@Root() source: PlannedSource, @Ctx() ctx: AppContext): Promise<StorageSite | null> | null {
    return source.siteId === null ? null : ctx.loaders.reserves.siteById.load(source.siteId);
  }

  @Authorized()
  @FieldResolver(() => StockBatch, { nullable: true, description: "The batch, for site stock." })
  batch(@Root() source: PlannedSource, @Ctx() ctx: AppContext): Promise<StockBatch | null> | null {
    return source.batchId === null ? null : ctx.loaders.reserves.batchById.load(source.batchId);
  }

  @Authorized()
  @FieldResolver(() => ReservePartner, { nullable: true, description: "The partner enterprise, for partner stock or capacity." })
  partner(@Root() source: PlannedSource, @Ctx() ctx: AppContext): Promise<ReservePartner | null> | null {
    return source.partnerId === null ? null : ctx.loaders.reserves.partnerById.load(source.partnerId);
  }
}
