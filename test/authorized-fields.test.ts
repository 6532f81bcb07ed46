// Every @Authorized of the real schema is enforced. core/access/field-roles.ts takes the roles out
// of type-graphql's metadata and checks them itself; should an upgrade of type-graphql keep them
// elsewhere, or a wrapper added later drop the check, a field would answer anyone. So the roles
// are learnt here without type-graphql's metadata: its decorators are wrapped and record what
// each was called with as the modules load. Then every declared field of the built schema is
// called as a caller without the role would call it, and must refuse before anything runs.
import type { GraphQLField, GraphQLFieldResolver, GraphQLResolveInfo, GraphQLSchema } from "graphql";
import { isInterfaceType, isObjectType } from "graphql";
import fs from "node:fs";
import path from "node:path";
import type { Actor } from "../src/core/access/auth";

interface Declaration {
  decorator: string;
  args: unknown[];
  target: object;
  key?: string | symbol;
}

jest.mock("type-graphql", () => {
  const actual = jest.requireActual("type-graphql");
  const declarations: Declaration[] = ((globalThis as { declaredByDecorators?: Declaration[] }).declaredByDecorators = []);
  const recorded =
    (decorator: string) =>
    (...args: unknown[]) => {
      const decorate = actual[decorator](...args);
      return (target: object, key?: string | symbol, descriptor?: unknown) => {
        declarations.push({ decorator, args, target, key });
        return decorate(target, key, descriptor);
      };
    };
  const wrapped = ["Authorized", "Query", "Mutation", "Subscription", "FieldResolver", "Resolver", "ObjectType", "InterfaceType"];
  return { ...actual, ...Object.fromEntries(wrapped.map((name) => [name, recorded(name)])) };
});

const ROOT_DECORATORS = { Query: "Query", Mutation: "Mutation", Subscription: "Subscription" } as const;
const ROLES = ["ADMIN", "COMMANDER", "LOGISTICS", "TEAM_LEADER", "DASHBOARD", "AUDITOR", "FINANCE"];

/** A schema field that carries @Authorized, as the decorators declared it. */
interface Guarded {
  coordinate: string;
  roles: string[];
  field: GraphQLField<unknown, unknown>;
  entry: "resolve" | "subscribe";
}

let schema: GraphQLSchema;
let declarations: Declaration[];
beforeAll(async () => {
  // Loaded only now, so that the decorators above record every module as it loads.
  const { createSchema } = require("../src/schema") as typeof import("../src/schema");
  const { createPubSub } = require("@graphql-yoga/subscription") as typeof import("@graphql-yoga/subscription");
  schema = await createSchema(Object.assign(createPubSub(), { close: async () => undefined }));
  declarations = (globalThis as { declaredByDecorators?: Declaration[] }).declaredByDecorators!;
});

/** The options object among a decorator's arguments (type functions and names aside). */
const optionsOf = (args: unknown[]) => args.find((a): a is { name?: string } => typeof a === "object" && a !== null) ?? {};

/** A schema type's name from its class, as @ObjectType / @InterfaceType declared it. */
function typeNameOf(typeClass: Function): string {
  const declared = declarations.find((d) => (d.decorator === "ObjectType" || d.decorator === "InterfaceType") && d.target === typeClass);
  if (!declared) throw new Error(`${typeClass.name} is no @ObjectType or @InterfaceType`);
  return typeof declared.args[0] === "string" ? declared.args[0] : (optionsOf(declared.args).name ?? typeClass.name);
}

function guardedFields(): Guarded[] {
  const guarded: Guarded[] = [];
  for (const authorized of declarations.filter((d) => d.decorator === "Authorized")) {
    const where = `${(authorized.target as { constructor: Function }).constructor.name}.${String(authorized.key)}`;
    if (authorized.key === undefined) throw new Error(`class-level @Authorized on ${(authorized.target as Function).name}`);
    const method = declarations.find((d) => d.target === authorized.target && d.key === authorized.key && d.decorator !== "Authorized");
    if (!method) throw new Error(`@Authorized on ${where} decorates no field`);
    const roles = authorized.args as string[];
    const name = optionsOf(method.args).name ?? String(method.key);
    if (method.decorator in ROOT_DECORATORS) {
      const rootType = method.decorator === "Query" ? schema.getQueryType() : method.decorator === "Mutation" ? schema.getMutationType() : schema.getSubscriptionType();
      const field = rootType?.getFields()[name];
      if (!field) throw new Error(`@Authorized on ${where}: no ${method.decorator}.${name} in the schema`);
      guarded.push({ coordinate: `${rootType!.name}.${name}`, roles, field, entry: method.decorator === "Subscription" ? "subscribe" : "resolve" });
      continue;
    }
    if (method.decorator !== "FieldResolver") throw new Error(`@Authorized on ${where} with @${method.decorator}`);
    const resolverClass = (authorized.target as { constructor: Function }).constructor;
    const resolver = declarations.find((d) => d.decorator === "Resolver" && d.target === resolverClass);
    const typeClass = typeof resolver?.args[0] === "function" ? (resolver.args[0] as () => Function)() : undefined;
    if (!typeClass) throw new Error(`@Authorized on ${where}: its @Resolver names no type`);
    const type = schema.getType(typeNameOf(typeClass));
    // A field resolver of an interface type answers on every type that implements it.
    const types = isInterfaceType(type) ? [type, ...schema.getPossibleTypes(type)] : isObjectType(type) ? [type] : [];
    if (!types.length) throw new Error(`@Authorized on ${where}: no type ${typeNameOf(typeClass)} in the schema`);
    for (const owner of types) {
      const field = owner.getFields()[name];
      if (!field) throw new Error(`@Authorized on ${where}: no ${owner.name}.${name} in the schema`);
      guarded.push({ coordinate: `${owner.name}.${name}`, roles, field, entry: "resolve" });
    }
  }
  return guarded;
}

const actor = (role: string): Actor => ({ kind: "ACCOUNT", id: 1, name: "t", role: role as Actor["role"], scopeRegionId: null, teamId: null });

/** The field called as a request would call it, with a context in which nothing else could run: no services, no loaders. */
async function call(guarded: Guarded, who: Actor | null): Promise<{ code?: string; message: string } | "answered"> {
  const info = { fieldName: guarded.field.name, path: { key: guarded.field.name, prev: undefined }, schema } as unknown as GraphQLResolveInfo;
  const context = { actor: who, authError: null, requestId: "authorized-fields", clientAddress: "127.0.0.1" };
  try {
    await (guarded.field[guarded.entry] as GraphQLFieldResolver<unknown, unknown>)({}, {}, context, info);
    return "answered";
  } catch (error) {
    return { code: (error as { extensions?: { code?: string } }).extensions?.code, message: (error as Error).message };
  }
}

it("finds every @Authorized of the source among the decorators that ran", () => {
  const files = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : []));
  const written = files(path.join(__dirname, "..", "src")).reduce((n, file) => n + (fs.readFileSync(file, "utf8").match(/^\s*@Authorized\(/gm)?.length ?? 0), 0);
  expect(written).toBeGreaterThan(150);
  expect(declarations.filter((d) => d.decorator === "Authorized")).toHaveLength(written);
});

it("refuses every @Authorized field, root and below, to an anonymous caller and to a role it does not name", async () => {
  const guarded = guardedFields();
  for (const root of ["Query", "Mutation", "Subscription"]) expect(guarded.some((g) => g.coordinate.startsWith(`${root}.`))).toBe(true);
  expect(guarded.some((g) => !/^(Query|Mutation|Subscription)\./.test(g.coordinate))).toBe(true);

  const unenforced: string[] = [];
  for (const field of guarded) {
    const anonymous = await call(field, null);
    if (anonymous === "answered" || anonymous.code !== "UNAUTHENTICATED") unenforced.push(`${field.coordinate} anonymous: ${JSON.stringify(anonymous)}`);
    const outsider = ROLES.find((role) => role !== "ADMIN" && field.roles.length > 0 && !field.roles.includes(role));
    if (!outsider) continue;
    const refused = await call(field, actor(outsider));
    if (refused === "answered" || refused.code !== "FORBIDDEN") unenforced.push(`${field.coordinate} as ${outsider} (allowed: ${field.roles.join(", ")}): ${JSON.stringify(refused)}`);
  }
  expect(unenforced).toEqual([]);
});

it("lets each field's roles through the role check (ADMIN everywhere)", async () => {
  const overreaching: string[] = [];
  for (const field of guardedFields()) {
    for (const role of ["ADMIN", ...field.roles.slice(0, 1)]) {
      const answer = await call(field, actor(role));
      // Past the role check the field runs into the missing services; only the role check's refusals count here.
      if (answer !== "answered" && (answer.code === "FORBIDDEN" || answer.code === "UNAUTHENTICATED") && /^Role \w+ may not do this|^Sign in first/.test(answer.message)) {
        overreaching.push(`${field.coordinate} as ${role}: ${answer.message}`);
      }
    }
  }
  expect(overreaching).toEqual([]);
});
