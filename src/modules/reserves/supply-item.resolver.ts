import { Arg, Args, Authorized, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import type { AppContext } from "../../context";
import { Role } from "../../core/access/auth";
import { mutationPayload } from "../../core/graphql/errors";
import { Unit, type UnitOfWork } from "../../core/mutation/unit-of-work";
import { byIdOrCode, codeArgumentDescription, PageArgs, parseGlobalId, type Connection, type OrderTerm } from "../../core/graphql/relay";
import { CreateSupplyItemInput, SupplyItemWhere, UpdateSupplyItemInput } from "./reserves.inputs";
import { SupplyItemConnection, SupplyItemPayload } from "./reserves.types";
import { SupplyItem } from "./supply-item.entity";
import { SUPPLY_ITEM_ORDER, type SupplyItemOrderField } from "./reserves.orders";

@Resolver(() => SupplyItem)
export class SupplyItemResolver {
  @Authorized()
  @Query(() => SupplyItemConnection, { description: "物资目录 The supply catalogue, ordered by GB/T 38565-2020 code." })
  supplyItems(
    @Ctx() ctx: AppContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("orderBy", () => [SUPPLY_ITEM_ORDER.Input], { nullable: true, description: SUPPLY_ITEM_ORDER.argument }) orderBy?: OrderTerm<SupplyItemOrderField>[] | null,
    @Arg("where", () => SupplyItemWhere, { nullable: true, description: "筛选条件。Conditions the items must meet." }) where?: SupplyItemWhere,
  ): Promise<Connection<SupplyItem>> {
    return ctx.services.reserves.listItems(where, page, orderBy);
  }

  @Authorized()
  @Query(() => SupplyItem, { nullable: true, description: "物资。One catalogue item by global id; null if there is none." })
  supplyItem(
    @Ctx() ctx: AppContext,
    @Arg("id", () => ID, { nullable: true, description: "物资 ID。Global id of the item." }) id?: string | null,
    @Arg("code", () => String, { nullable: true, description: codeArgumentDescription("catalogue item", "1010101") }) code?: string | null,
  ): Promise<SupplyItem | null> {
    return byIdOrCode<SupplyItem>("SupplyItem", id, code, { byId: ctx.loaders.reserves.itemById, byCode: ctx.loaders.reserves.itemByCode });
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => SupplyItemPayload, { description: "新增物资目录条目。Adds an item to the catalogue (ADMIN)." })
  createSupplyItem(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => CreateSupplyItemInput, { description: "新物资。The new item." }) input: CreateSupplyItemInput) {
    return mutationPayload(() => ctx.services.reserves.createItem(unit, input));
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => SupplyItemPayload, { description: "修改物资目录条目。Changes a catalogue item (ADMIN)." })
  updateSupplyItem(@Ctx() ctx: AppContext, @Unit() unit: UnitOfWork, @Arg("input", () => UpdateSupplyItemInput, { description: "修改内容。The changes." }) input: UpdateSupplyItemInput) {
    return mutationPayload(() => ctx.services.reserves.updateItem(unit, input));
  }
}
