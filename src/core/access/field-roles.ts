// Role checks done synchronously, in a plain function wrapped around the field's resolver.
//
// type-graphql runs @Authorized through an async middleware chain: four to six promises and
// microtask hops per call. On a Query or Mutation that happens once per request; on a field of
// a row type (StockLevel.item, StorageSite.stock …) it happens once per row, which made it a
// large part of the district dashboard's CPU (bench/RESULTS.md, change 2).
//
// So before the schema is built, the roles of every field are taken out of type-graphql's hands,
// and after it is built the same authChecker is called with the same roles in a plain function
// wrapped around the field's resolver (a subscription's `subscribe`): same decision, same errors,
// before any other middleware, as type-graphql would. Root fields are taken over too, so that
// their roles are checked before the input rules (core/graphql/input-check.ts): a caller without
// the role learns FORBIDDEN, not what was wrong with the input.
//
// Start-up fails rather than let a role go unchecked or checked out of order: if a declared role
// cannot be placed on a field, and if buildSchema is given `globalMiddlewares` (type-graphql runs
// them after its own role check, on every field; here they would run before the roles, or, on
// the field resolvers called directly, not at all — core/graphql/direct-field-resolvers.ts).
import {
  defaultFieldResolver,
  isInterfaceType,
  isObjectType,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from "graphql";
import { getMetadataStorage, type AuthChecker, type BuildSchemaOptions } from "type-graphql";

type RootType = "Query" | "Mutation" | "Subscription";

interface FieldRoles {
  /** The class that declares the field: an object or interface type, or for a root field its resolver. */
  typeClass: Function;
  /** Set for a field of the Query, Mutation or Subscription type. */
  rootType?: RootType;
  /** The field's name in the schema. */
  schemaName: string;
  roles: readonly string[];
  /** Where it was declared, for the start-up error. */
  declaredAt: string;
}

let takenOver: FieldRoles[] | undefined;

/** type-graphql runs global middlewares after its role check; checked here, the roles would run before them instead. */
function refuseGlobalMiddlewares(options: Pick<BuildSchemaOptions, "globalMiddlewares">): void {
  if (!options.globalMiddlewares?.length) return;
  throw new Error(
    "buildSchema is given globalMiddlewares, but core/access/field-roles.ts checks @Authorized roles outside type-graphql, so they would not run in type-graphql's order. Put the middleware on the resolvers with @UseMiddleware instead.",
  );
}

/**
 * Takes the roles of every field out of type-graphql's metadata (once per process; every later
 * buildSchema sees the same metadata) and returns them for {@link checkFieldRolesSynchronously}.
 * Call it with the options buildSchema will be given, before it is called.
 */
export function takeOverFieldRoles(options: Pick<BuildSchemaOptions, "globalMiddlewares">): FieldRoles[] {
  refuseGlobalMiddlewares(options);
  if (takenOver) return takenOver;
  const storage = getMetadataStorage();
  const roots = [
    ...storage.queries.map((r) => ({ r, rootType: "Query" as const })),
    ...storage.mutations.map((r) => ({ r, rootType: "Mutation" as const })),
    ...storage.subscriptions.map((r) => ({ r, rootType: "Subscription" as const })),
  ];
  const moved: FieldRoles[] = [];
  for (const authorized of storage.authorizedFields) {
    const key = `${authorized.target.name}.${authorized.fieldName}`;
    const root = roots.find(({ r }) => r.target === authorized.target && r.methodName === authorized.fieldName);
    if (root) {
      moved.push({ typeClass: root.r.target, rootType: root.rootType, schemaName: root.r.schemaName, roles: authorized.roles, declaredAt: key });
      continue;
    }
    const fieldResolver = storage.fieldResolvers.find((r) => r.target === authorized.target && r.methodName === authorized.fieldName);
    if (fieldResolver) {
      // Before the first build the field resolver knows its type only through its @Resolver(() => Type) class.
      const typeClass = (fieldResolver.getObjectType ?? storage.resolverClasses.find((c) => c.target === fieldResolver.target)?.getObjectType)?.();
      if (!typeClass) throw new Error(`@Authorized on ${key}: cannot tell which type the field resolver belongs to`);
      moved.push({ typeClass, schemaName: fieldResolver.schemaName, roles: authorized.roles, declaredAt: key });
      continue;
    }
    const field = storage.fields.find((f) => f.target === authorized.target && f.name === authorized.fieldName);
    if (!field) throw new Error(`@Authorized on ${key}: neither a root field, a field resolver nor a field`);
    moved.push({ typeClass: authorized.target, schemaName: field.schemaName, roles: authorized.roles, declaredAt: key });
  }
  if (storage.authorizedResolver.length) {
    // Class-level @Authorized would apply to field resolvers too; nothing here uses it.
    throw new Error("class-level @Authorized on a resolver is not supported by core/access/field-roles.ts: put it on the methods");
  }
  storage.authorizedFields = [];
  takenOver = moved;
  return moved;
}

/**
 * The classes a schema type was built from: its own, its ancestors', and its interfaces'. Every
 * class registered under the name counts: type-graphql's metadata is process-wide, so a process
 * that loaded the modules twice (jest running one file in the process whose global set-up
 * seeded the database) holds two classes for one type.
 */
function classesOf(typeName: string): Function[] {
  const storage = getMetadataStorage();
  const registered = [...storage.objectTypes, ...storage.interfaceTypes].filter((t) => t.name === typeName);
  const classes: Function[] = [];
  for (const own of registered) {
    for (let c: Function | null = own.target; c && c !== Function.prototype; c = Object.getPrototypeOf(c)) classes.push(c);
    for (const iface of own.interfaceClasses ?? []) classes.push(iface);
  }
  return classes;
}

/**
 * Wraps every field that carries roles with a synchronous call of the authChecker: the resolver,
 * or for a subscription the `subscribe` that starts it (its events are resolved for a caller
 * already checked; a connection whose grant changes is closed, core/live/socket-guard.ts).
 */
export function checkFieldRolesSynchronously<Context extends object>(
  schema: GraphQLSchema,
  fieldRoles: FieldRoles[],
  options: Pick<BuildSchemaOptions, "authChecker" | "globalMiddlewares">,
): void {
  refuseGlobalMiddlewares(options);
  const authChecker = options.authChecker;
  if (!authChecker) throw new Error("@Authorized roles need the authChecker buildSchema is given");
  const placed = new Set<FieldRoles>();
  const roots = { Query: schema.getQueryType(), Mutation: schema.getMutationType(), Subscription: schema.getSubscriptionType() };
  const wrappedRoots = new Map<GraphQLField<unknown, Context>, FieldRoles>();
  for (const declared of fieldRoles) {
    if (!declared.rootType) continue;
    const field = roots[declared.rootType]?.getFields()[declared.schemaName] as GraphQLField<unknown, Context> | undefined;
    if (!field) continue;
    // A process that loaded the modules twice declares each root field twice: wrap it once.
    const earlier = wrappedRoots.get(field);
    if (earlier && earlier.roles.join() !== declared.roles.join()) throw new Error(`@Authorized on ${declared.declaredAt} and ${earlier.declaredAt}: two sets of roles for ${declared.rootType}.${declared.schemaName}`);
    if (!earlier) {
      if (declared.rootType === "Subscription") {
        if (!field.subscribe) throw new Error(`@Authorized on ${declared.declaredAt}: Subscription.${declared.schemaName} has no subscribe to check the roles of`);
        field.subscribe = withRoles(field.subscribe, declared.roles, authChecker);
      } else field.resolve = withRoles(field.resolve ?? defaultFieldResolver, declared.roles, authChecker);
    }
    wrappedRoots.set(field, earlier ?? declared);
    placed.add(declared);
  }
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) && !isInterfaceType(type)) continue;
    if (type.name.startsWith("__")) continue;
    const classes = classesOf(type.name);
    if (!classes.length) continue;
    const fields = type.getFields() as Record<string, GraphQLField<unknown, Context>>;
    for (const declared of fieldRoles) {
      if (declared.rootType) continue;
      const field = fields[declared.schemaName];
      if (!field || !classes.includes(declared.typeClass)) continue;
      field.resolve = withRoles(field.resolve ?? defaultFieldResolver, declared.roles, authChecker);
      placed.add(declared);
    }
  }
  const lost = fieldRoles.filter((f) => !placed.has(f));
  if (lost.length) throw new Error(`@Authorized roles could not be placed on a schema field: ${lost.map((f) => f.declaredAt).join(", ")}`);
}

function withRoles<Context extends object>(resolve: GraphQLFieldResolver<unknown, Context>, roles: readonly string[], authChecker: AuthChecker<any, any>): GraphQLFieldResolver<unknown, Context> {
  const checker = authChecker as unknown as (data: { root: unknown; args: Record<string, unknown>; context: Context; info: unknown }, roles: string[]) => boolean | Promise<boolean>;
  const wanted = [...roles];
  return (root, args, context, info) => {
    const granted = checker({ root, args, context, info }, wanted);
    if (granted === true) return resolve(root, args, context, info);
    // Ours throws coded errors itself; a checker that returns false or a promise is handled as type-graphql would.
    if (granted && typeof (granted as Promise<boolean>).then === "function") {
      return (granted as Promise<boolean>).then((ok) => {
        if (!ok) throw new Error("Access denied! You don't have permission for this action!");
        return resolve(root, args, context, info);
      });
    }
    throw new Error("Access denied! You don't have permission for this action!");
  };
}
