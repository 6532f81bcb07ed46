// Roles on fields below the root are checked by core/access/field-roles.ts in a plain function instead
// of type-graphql's async middleware chain. The decisions must stay exactly those @Authorized
// declares: these types exist only in this test file (each jest file has its own metadata).
import "reflect-metadata";
import { graphql, type GraphQLSchema } from "graphql";
import { Authorized, buildSchema, Field, FieldResolver, ObjectType, Query, Resolver, Root, type BuildSchemaOptions, type MiddlewareFn } from "type-graphql";
import { authChecker, Role, type Actor } from "../src/core/access/auth";
import { checkFieldRolesSynchronously, takeOverFieldRoles } from "../src/core/access/field-roles";

@ObjectType({ description: "A test depot." })
class Depot {
  @Field(() => String, { description: "Code." })
  code: string;

  @Authorized(Role.AUDITOR)
  @Field(() => String, { description: "Only auditors (and ADMIN) read this." })
  auditNote: string;
}

@Resolver(() => Depot)
class DepotResolver {
  @Authorized()
  @Query(() => [Depot], { description: "Depots." })
  depots(): Depot[] {
    return [Object.assign(new Depot(), { code: "A", auditNote: "counted 3 March" }), Object.assign(new Depot(), { code: "B", auditNote: "ok" })];
  }

  @Authorized()
  @FieldResolver(() => String, { description: "Any signed-in actor." })
  label(@Root() depot: Depot): string {
    return `depot ${depot.code}`;
  }

  @Authorized(Role.COMMANDER)
  @FieldResolver(() => String, { description: "COMMANDER (and ADMIN) only." })
  orders(@Root() depot: Depot): string {
    return `orders of ${depot.code}`;
  }
}

const actor = (role: Role): Actor => ({ kind: "ACCOUNT", id: 1, name: "t", role, scopeRegionId: null, teamId: null });

let schema: GraphQLSchema;
beforeAll(async () => {
  const options: BuildSchemaOptions = { resolvers: [DepotResolver], authChecker, authMode: "error", validate: false };
  const fieldRoles = takeOverFieldRoles(options);
  schema = await buildSchema(options);
  checkFieldRolesSynchronously(schema, fieldRoles, options);
});

const run = (source: string, who: Actor | null) => graphql({ schema, source, contextValue: { actor: who } });
const codes = (result: Awaited<ReturnType<typeof run>>) => (result.errors ?? []).map((e) => [e.path?.join("."), e.extensions?.code]);
/** A refused non-null field nulls the list; a synchronous refusal stops at the first row, so one error or more. */
const refusedRows = (result: Awaited<ReturnType<typeof run>>, field: string) => {
  expect(result.data).toBeNull();
  expect(result.errors?.length).toBeGreaterThan(0);
  for (const [path, code] of codes(result)) {
    expect(path).toMatch(new RegExp(`^depots\\.\\d\\.${field}$`));
    expect(code).toBe("FORBIDDEN");
  }
};

it("lets every signed-in role through a field with @Authorized() and no roles", async () => {
  for (const role of Object.values(Role)) {
    const result = await run("{ depots { code label } }", actor(role));
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ depots: [{ code: "A", label: "depot A" }, { code: "B", label: "depot B" }] });
  }
});

it("refuses a field resolver's roles to others", async () => {
  refusedRows(await run("{ depots { code orders } }", actor(Role.DASHBOARD)), "orders");
  for (const role of [Role.COMMANDER, Role.ADMIN]) {
    const allowed = await run("{ depots { orders } }", actor(role));
    expect(allowed.errors).toBeUndefined();
    expect(allowed.data).toEqual({ depots: [{ orders: "orders of A" }, { orders: "orders of B" }] });
  }
});

it("refuses a plain field's roles to others", async () => {
  refusedRows(await run("{ depots { auditNote } }", actor(Role.COMMANDER)), "auditNote");
  expect((await run("{ depots { auditNote } }", actor(Role.AUDITOR))).data).toEqual({ depots: [{ auditNote: "counted 3 March" }, { auditNote: "ok" }] });
});

it("refuses anonymous callers at the root, as type-graphql does", async () => {
  expect(codes(await run("{ depots { code } }", null))).toEqual([["depots", "UNAUTHENTICATED"]]);
});

it("answers a role-checked field without a promise, so lists of rows stay synchronous", () => {
  const label = (schema.getType("Depot") as any).getFields().label;
  const value = label.resolve(Object.assign(new Depot(), { code: "C" }), {}, { actor: actor(Role.DASHBOARD) }, {} as never);
  expect(value).toBe("depot C");
});

it("refuses to start when buildSchema is given global middlewares, which type-graphql would run after the roles", () => {
  const logEveryField: MiddlewareFn = (_data, next) => next();
  expect(() => takeOverFieldRoles({ globalMiddlewares: [logEveryField] })).toThrow(/^buildSchema is given globalMiddlewares, but core\/access\/field-roles\.ts checks @Authorized roles outside type-graphql/);
  expect(() => checkFieldRolesSynchronously(schema, [], { authChecker, globalMiddlewares: [logEveryField] })).toThrow(/globalMiddlewares.*@UseMiddleware/);
});
