import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import type { AppContext } from "../../context";
import { Role } from "../../core/access/auth";
import { mutationPayload } from "../../core/graphql/errors";
import { Unit, type UnitOfWork } from "../../core/mutation/unit-of-work";
import { byIdOrCode, codeArgumentDescription, PageArgs, parseGlobalId, type Connection, type OrderTerm } from "../../core/graphql/relay";
import { Region } from "../regions/region.entity";
import { CreateReservePartnerInput, ReservePartnerWhere, UpdateReservePartnerInput } from "./reserves.inputs";
import { ReservePartnerConnection, ReservePartnerPayload } from "./reserves.types";
import { PartnerCapacity, PartnerStockAgreement, ReservePartner } from "./reserve-partner.entity";
import { SupplyItem } from "./supply-item.entity";
import { RESERVE_PARTNER_ORDER, type ReservePartnerOrderField } from "./reserves.orders";

@Resolver(() => ReservePartner)
export class ReservePartnerResolver {
  @Authorized()
  @Query(() => ReservePartnerConnection, { description: "协议企业 Partner enterprises with agreed stock or production capacity, ordered by code." })
  reservePartners(
    @Ctx() ctx: AppContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("orderBy", () => [RESERVE_PARTNER_ORDER.Input], { nullable: true, description: RESERVE_PARTNER_ORDER.argument }) orderBy?: OrderTerm<ReservePartnerOrderField>[] | null,
    @Arg("where", () => ReservePartnerWhere, { nullable: true, description: "筛选条件。Conditions the partners must meet." }) where?: ReservePartnerWhere,
  ): Promise<Connection<ReservePartner>> {
    return ctx.services.reserves.listPartners(where, page, orderBy);
  }

  @Authorized()
  @Query(() => ReservePartner, { nullable: true, description: "协议企业。One partner enterprise by global id; null if there is none." })
  reservePartner(
    @Ctx() ctx: AppContext,
    @Arg("id", () => ID, { nullable: true, description: "协议企业 ID。Global id of the partner." }) id?: string | null,
    @Arg("code", () => String, { nullable: true, description: codeArgumentDescription("partner enterprise", "KZ-EP-01") }) code?: string | null,
  ): Promise<ReservePartner | null> {
    return byIdOrCode<ReservePartner>("ReservePartner", id, code, { byId: ctx.loaders.reserves.partnerById, byCode: ctx.loaders.reserves.partnerByCode });
  }

  @Authorized()
  @FieldResolver(() => Region, { description: "所在区域。Region where the partner's warehouse or plant is." })
  async region(@Root() partner: ReservePartner, @Ctx() ctx: AppContext): Promise<Region> {
    return (await ctx.loaders.regions.regionById.load(partner.regionId))!;
  }

  @Authorized()
  @FieldResolver(() => [PartnerStockAgreement], { description: "协议储备。Stock the partner holds for the district, per item." })
  agreedStock(@Root() partner: ReservePartner, @Ctx() ctx: AppContext): Promise<PartnerStockAgreement[]> {
    return ctx.loaders.reserves.agreementsByPartner.load(partner.id);
  }

  @Authorized()
  @FieldResolver(() => [PartnerCapacity], { description: "产能储备。What the partner can produce on call, per item." })
  capacities(@Root() partner: ReservePartner, @Ctx() ctx: AppContext): Promise<PartnerCapacity[]> {
    return ctx.loaders.reserves.capacitiesByPartner.load(partner.id);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => ReservePartnerPayload, { description: "新增协议企业。Adds a partner enterprise with its agreement (ADMIN)." })
  createReservePartner(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => CreateReservePartnerInput, { description: "新协议企业。The new partner." }) input: CreateReservePartnerInput) {
    return mutationPayload(() => ctx.services.reserves.createPartner(unit, input));
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => ReservePartnerPayload, { description: "修改协议企业。Changes a partner enterprise, its agreed stock or capacity (ADMIN)." })
  updateReservePartner(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => UpdateReservePartnerInput, { description: "修改内容。The changes." }) input: UpdateReservePartnerInput) {
    return mutationPayload(() => ctx.services.reserves.updatePartner(unit, input));
  }
}

@Resolver(() => PartnerStockAgreement)
export class PartnerStockAgreementResolver {
  @Authorized()
  @FieldResolver(() => ReservePartner, { description: "协议企业。The partner enterprise." })
  async partner(@Root() agreement: PartnerStockAgreement, @Ctx() ctx: AppContext): Promise<ReservePartner> {
    return (await ctx.loaders.reserves.partnerById.load(agreement.partnerId))!;
  }

  @Authorized()
  @FieldResolver(() => SupplyItem, { description: "条目。The item." })
  async item(@Root() agreement: PartnerStockAgreement, @Ctx() ctx: AppContext): Promise<SupplyItem> {
    return (await ctx.loaders.reserves.itemById.load(agreement.itemId))!;
  }
}

@Resolver(() => PartnerCapacity)
export class PartnerCapacityResolver {
  @Authorized()
  @FieldResolver(() => ReservePartner, { description: "协议企业。The partner enterprise." })
  async partner(@Root() capacity: PartnerCapacity, @Ctx() ctx: AppContext): Promise<ReservePartner> {
    return (await ctx.loaders.reserves.partnerById.load(capacity.partnerId))!;
  }

  @Authorized()
  @FieldResolver(() => SupplyItem, { description: "条目。The item." })
  async item(@Root() capacity: PartnerCapacity, @Ctx() ctx: AppContext): Promise<SupplyItem> {
    return (await ctx.loaders.reserves.itemById.load(capacity.itemId))!;
  }
}
