// `node(id:)`: fetch any object by its global id. Each module registers how to load its
// types (through the request's DataLoaders), so core stays free of module imports.
//
// `node` answers only what the type's own query would: a type whose list is for some roles
// (staff accounts: ADMIN and AUDITOR) registers those roles, and anyone else gets FORBIDDEN, as
// from that query — never a masked copy of what they may not list.
import { Arg, Authorized, Ctx, ID, Query, Resolver } from "type-graphql";
import { assertRole, type AuthContext, type Role } from "../access/auth";
import { fromGlobalId, Node } from "./relay";

export interface NodeFetcher<C extends AuthContext> {
  load(context: C, id: number): Promise<object | null>;
  /** Roles that may read this type (ADMIN always may), as its own query declares; omitted: every signed-in caller. */
  roles?: readonly Role[];
  /** An object the caller may read whatever their role (their own account, as `me` shows it). */
  isOwn?(context: C, id: number): boolean;
}

export function createNodeResolver<C extends AuthContext>(fetchers: Record<string, NodeFetcher<C>>) {
  @Resolver()
  class NodeResolver {
    @Authorized()
    @Query(() => Node, { nullable: true, description: "按全局 ID 查询任意对象。Any object by its global id; null when it does not exist or the id is not one of ours. Answers only what the type's own query would answer the caller (FORBIDDEN otherwise)." })
    async node(@Ctx() ctx: C, @Arg("id", () => ID, { description: "全局 ID。Global id of any object." }) id: string): Promise<object | null> {
      const parsed = fromGlobalId(id);
      const fetcher = parsed && fetchers[parsed.typeName];
      if (!fetcher) return null;
      if (fetcher.roles && !fetcher.isOwn?.(ctx, parsed.id)) assertRole(ctx.actor, fetcher.roles);
      return fetcher.load(ctx, parsed.id);
    }
  }
  return NodeResolver;
}
