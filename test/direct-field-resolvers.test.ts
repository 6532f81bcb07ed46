// Field resolver methods with only @Root() and @Ctx() are called directly instead of through
// type-graphql's wrapper (core/graphql/direct-field-resolvers.ts). The answers must be the ones the
// wrapper gives; anything the wrapper does more (arguments, middlewares) keeps it. These types
// exist only in this test file (each jest file has its own metadata).
import "reflect-metadata";
import { graphql, type GraphQLSchema } from "graphql";
import { Arg, Authorized, buildSchema, Ctx, Field, FieldResolver, Int, ObjectType, Query, Resolver, Root, UseMiddleware, type BuildSchemaOptions, type MiddlewareFn } from "type-graphql";
import { authChecker, Role, type Actor } from "../src/core/access/auth";
import { callFieldResolversDirectly } from "../src/core/graphql/direct-field-resolvers";
import { checkFieldRolesSynchronously, takeOverFieldRoles } from "../src/core/access/field-roles";

@ObjectType({ description: "A test shelf." })
class Shelf {
  @Field(() => String, { description: "Code." })
  code: string;

  describe(): string {
    return `shelf ${this.code}`;
  }
}

interface TestContext {
  actor: Actor;
  greeting: string;
}

@Resolver(() => Shelf)
class ShelfResolver {
  @Query(() => [Shelf], { description: "Shelves, as plain objects (not Shelf instances)." })
  shelves(): Shelf[] {
    return [{ code: "A" }, { code: "B" }] as Shelf[];
  }

  @FieldResolver(() => String, { description: "Root and context." })
  label(@Root() shelf: Shelf, @Ctx() context: TestContext): string {
    return `${context.greeting} ${shelf.describe()}`;
  }

  @FieldResolver(() => String, { description: "Context before root." })
  reversed(@Ctx() context: TestContext, @Root() shelf: Shelf): string {
    return `${shelf.code} ${context.greeting}`;
  }

  @FieldResolver(() => String, { description: "With an argument: left to type-graphql." })
  repeated(@Root() shelf: Shelf, @Arg("times", () => Int, { description: "How often." }) times: number): string {
    return shelf.code.repeat(times);
  }

  @UseMiddleware(async (_data, next) => `[${await next()}]`)
  @FieldResolver(() => String, { description: "With a middleware: left to type-graphql." })
  wrapped(@Root() shelf: Shelf): string {
    return shelf.code;
  }

  @Authorized(Role.AUDITOR)
  @FieldResolver(() => String, { description: "AUDITOR (and ADMIN) only." })
  audit(@Root() shelf: Shelf): string {
    return `audited ${shelf.code}`;
  }
}

const actor = (role: Role): Actor => ({ kind: "ACCOUNT", id: 1, name: "t", role, scopeRegionId: null, teamId: null });
let schema: GraphQLSchema;
let replaced: number;
beforeAll(async () => {
  const options: BuildSchemaOptions = { resolvers: [ShelfResolver], authChecker, authMode: "error", validate: false };
  const fieldRoles = takeOverFieldRoles(options);
  schema = await buildSchema(options);
  replaced = callFieldResolversDirectly(schema, options);
  checkFieldRolesSynchronously(schema, fieldRoles, options);
});
const run = (source: string, role = Role.COMMANDER) => graphql({ schema, source, contextValue: { actor: actor(role), greeting: "hello" } });

it("calls root-and-context methods directly, the root made an instance of its class as type-graphql does", async () => {
  expect(replaced).toBe(3); // label, reversed, audit
  const result = await run("{ shelves { label reversed } }");
  expect(result.errors).toBeUndefined();
  expect(result.data).toEqual({ shelves: [{ label: "hello shelf A", reversed: "A hello" }, { label: "hello shelf B", reversed: "B hello" }] });
});

it("leaves arguments and middlewares to type-graphql", async () => {
  const result = await run("{ shelves { repeated(times: 2) wrapped } }");
  expect(result.errors).toBeUndefined();
  expect(result.data).toEqual({ shelves: [{ repeated: "AA", wrapped: "[A]" }, { repeated: "BB", wrapped: "[B]" }] });
});

it("still checks roles on a directly called method", async () => {
  const refused = await run("{ shelves { audit } }", Role.DASHBOARD);
  expect(refused.data).toBeNull();
  expect(refused.errors?.[0].extensions?.code).toBe("FORBIDDEN");
  const allowed = await run("{ shelves { audit } }", Role.AUDITOR);
  expect(allowed.data).toEqual({ shelves: [{ audit: "audited A" }, { audit: "audited B" }] });
});

it("refuses to start when buildSchema is given global middlewares, which a direct call would skip", async () => {
  const logEveryField: MiddlewareFn = (_data, next) => next();
  const options: BuildSchemaOptions = { resolvers: [ShelfResolver], authChecker, authMode: "error", validate: false, globalMiddlewares: [logEveryField] };
  const withMiddlewares = await buildSchema(options);
  expect(() => callFieldResolversDirectly(withMiddlewares, options)).toThrow(/^buildSchema is given globalMiddlewares, but core\/graphql\/direct-field-resolvers\.ts calls field resolvers without type-graphql's wrapper/);
});
