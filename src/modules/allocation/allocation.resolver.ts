import { Arg, Authorized, Ctx, FieldResolver, Query, Resolver, Root } from "type-graphql";
import type { AppContext } from "../../context";
import { ReservePartner } from "../reserves/reserve-partner.entity";
import { StockBatch } from "../reserves/stock-batch.entity";
import { StorageSite } from "../reserves/storage-site.entity";
import { SupplyItem } from "../reserves/supply-item.entity";
import { PlanAllocationInput } from "./allocation.inputs";
import { AllocationPlan, AllocationRule, PassedOverSource, PlannedLine, PlannedSource } from "./allocation.types";
import { PlanningPurpose, SOURCE_RULES } from "./source-rules";

@Resolver(() => AllocationPlan)
export class AllocationResolver {
  @Authorized()
  @Query(() => AllocationPlan, {
    description:
      "调拨方案: propose sources for items going to a destination, changing nothing. The source rules (`allocationRules`) say who may give for the order's purpose (its incident and priority) and in which round; within a round the source with the shortest travel time (通行时间, over the travel-time table with its road closures, by water where roads are cut) goes first. Sites keep their minimums unless the rules let an URGENT order waive them; earliest expiry first; lines split; shortfall reported; each source says why, and sources that cannot reach are passed over with the reason. A township-scoped account is offered only its township's sites.",
  })
  planAllocation(@Ctx() ctx: AppContext, @Arg("input", () => PlanAllocationInput, { description: "目的地、需求明细与规则。Destination, lines and rules." }) input: PlanAllocationInput): Promise<AllocationPlan> {
    return ctx.services.allocation.planAllocation(ctx.actor!, input);
  }

  @Authorized()
  @Query(() => [AllocationRule], { description: "调拨规则: the source rules the planner reads, one row per relation of a source to the destination, in tie-break order." })
  allocationRules(): AllocationRule[] {
    return SOURCE_RULES.map((rule) =>
      Object.assign(new AllocationRule(), {
        relation: rule.relation,
        name: rule.name,
        tier: rule.tier,
        routineRound: rule.round[PlanningPurpose.ROUTINE],
        incidentRound: rule.round[PlanningPurpose.INCIDENT],
        urgentIncidentRound: rule.round[PlanningPurpose.URGENT_INCIDENT],
        mayGoBelowMinimum: rule.mayGoBelowMinimum,
        restriction: rule.never ? `${rule.never.zh} — ${rule.never.en}` : null,
      }),
    );
  }
}

@Resolver(() => PlannedLine)
export class PlannedLineResolver {
  @Authorized()
  @FieldResolver(() => SupplyItem, { description: "条目。The item." })
  async item(@Root() line: PlannedLine, @Ctx() ctx: AppContext): Promise<SupplyItem> {
    return (await ctx.loaders.reserves.itemById.load(line.itemId))!;
  }
}

@Resolver(() => PlannedSource)
export class PlannedSourceResolver {
  @Authorized()
  @FieldResolver(() => StorageSite, { nullable: true, description: "储备点。The storage site, for site stock." })
  site(@Root() source: PlannedSource, @Ctx() ctx: AppContext): Promise<StorageSite | null> | null {
    return source.siteId === null ? null : ctx.loaders.reserves.siteById.load(source.siteId);
  }

  @Authorized()
  @FieldResolver(() => StockBatch, { nullable: true, description: "库存批次。The batch, for site stock." })
  batch(@Root() source: PlannedSource, @Ctx() ctx: AppContext): Promise<StockBatch | null> | null {
    return source.batchId === null ? null : ctx.loaders.reserves.batchById.load(source.batchId);
  }

  @Authorized()
  @FieldResolver(() => ReservePartner, { nullable: true, description: "协议企业。The partner enterprise, for partner stock or capacity." })
  partner(@Root() source: PlannedSource, @Ctx() ctx: AppContext): Promise<ReservePartner | null> | null {
    return source.partnerId === null ? null : ctx.loaders.reserves.partnerById.load(source.partnerId);
  }
}

@Resolver(() => PassedOverSource)
export class PassedOverSourceResolver {
  @Authorized()
  @FieldResolver(() => StorageSite, { nullable: true, description: "储备点。The storage site, for site stock." })
  site(@Root() source: PassedOverSource, @Ctx() ctx: AppContext): Promise<StorageSite | null> | null {
    return source.siteId === null ? null : ctx.loaders.reserves.siteById.load(source.siteId);
  }

  @Authorized()
  @FieldResolver(() => ReservePartner, { nullable: true, description: "协议企业。The partner enterprise, for partner stock or capacity." })
  partner(@Root() source: PassedOverSource, @Ctx() ctx: AppContext): Promise<ReservePartner | null> | null {
    return source.partnerId === null ? null : ctx.loaders.reserves.partnerById.load(source.partnerId);
  }
}
