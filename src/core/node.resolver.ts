// `node(id:)`: fetch any object by its global id. Each module registers how to load its
// types (through the request's DataLoaders), so core stays free of module imports.
import { Arg, Authorized, Ctx, ID, Query, Resolver } from "type-graphql";
import { fromGlobalId, Node } from "./relay";

export type NodeFetcher<C> = (context: C, id: number) => Promise<object | null>;

export function createNodeResolver<C>(fetchers: Record<string, NodeFetcher<C>>) {
  @Resolver()
  class NodeResolver {
    @Authorized()
    @Query(() => Node, { nullable: true, description: "Any object by its global id; null when it does not exist or the id is not one of ours." })
    async node(@Ctx() ctx: C, @Arg("id", () => ID, { description: "Global id of any object." }) id: string): Promise<object | null> {
      const parsed = fromGlobalId(id);
      const fetch = parsed && fetchers[parsed.typeName];
      return fetch ? fetch(ctx, parsed.id) : null;
    }
  }
  return NodeResolver;
}
