// Role checks done synchronously, in a plain function wrapped around the field's resolver.
//
// type-graphql runs @Authorized through an async middleware chain: four to six promises and
// microtask hops per call. On a Query or Mutation that happens once per request; on a field of
// a row type (StockLevel.item, StorageSite.stock …) it happens once per row, and the district
// dashboard's 1,900 stock levels spent about a third of their CPU there (bench/RESULTS.md, S1).
//
// So before the schema is built, the roles of every field but the subscriptions' are taken out
// of type-graphql's hands, and after it is built the same authChecker is called with the same
// roles in a plain function wrapped around the field's resolver: same decision, same errors,
// before any other middleware, as type-graphql would. Root Query and Mutation fields are taken
// over too, so that their roles are checked before the input rules (core/graphql/input-check.ts): a
// caller without the role learns FORBIDDEN, not what was wrong with the input. Subscriptions
// keep type-graphql's check, which it makes in `subscribe`. Start-up fails if a declared role
// cannot be placed on a field, so no @Authorized is ever dropped silently.
import {
  defaultFieldResolver,
  isInterfaceType,
  isObjectType,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from "graphql";
import { getMetadataStorage, type AuthChecker } from "type-graphql";

interface FieldRoles {
  /** The class that declares the field: an object or interface type, or for a root field its resolver. */
  typeClass: Function;
  /** Set for a field of the Query or Mutation type. */
  rootType?: "Query" | "Mutation";
  /** The field's name in the schema. */
  schemaName: string;
  roles: readonly string[];
  /** Where it was declared, for the start-up error. */
  declaredAt: string;
}

let takenOver: FieldRoles[] | undefined;

/**
 * Takes the roles of every field but the subscriptions' out of type-graphql's metadata (once per
 * process; every later buildSchema sees the same metadata) and returns them for
 * {@link checkFieldRolesSynchronously}.
 */
export function takeOverFieldRoles(): FieldRoles[] {
  if (takenOver) return takenOver;
  const storage = getMetadataStorage();
  const isSubscription = new Set(storage.subscriptions.map((r) => `${r.target.name}.${r.methodName}`));
  const roots = [...storage.queries.map((r) => ({ r, rootType: "Query" as const })), ...storage.mutations.map((r) => ({ r, rootType: "Mutation" as const }))];
  const keep = [];
  const moved: FieldRoles[] = [];
  for (const authorized of storage.authorizedFields) {
    const key = `${authorized.target.name}.${authorized.fieldName}`;
    if (isSubscription.has(key)) {
      keep.push(authorized);
      continue;
    }
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
  storage.authorizedFields = keep;
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

/** Wraps every field that carries roles with a synchronous call of the authChecker. */
export function checkFieldRolesSynchronously<Context extends object, R>(schema: GraphQLSchema, fieldRoles: FieldRoles[], authChecker: AuthChecker<Context, R>): void {
  const placed = new Set<FieldRoles>();
  const roots = { Query: schema.getQueryType(), Mutation: schema.getMutationType() };
  const wrappedRoots = new Map<GraphQLField<unknown, Context>, FieldRoles>();
  for (const declared of fieldRoles) {
    if (!declared.rootType) continue;
    const field = roots[declared.rootType]?.getFields()[declared.schemaName] as GraphQLField<unknown, Context> | undefined;
    if (!field) continue;
    // A process that loaded the modules twice declares each root field twice: wrap it once.
    const earlier = wrappedRoots.get(field);
    if (earlier && earlier.roles.join() !== declared.roles.join()) throw new Error(`@Authorized on ${declared.declaredAt} and ${earlier.declaredAt}: two sets of roles for ${declared.rootType}.${declared.schemaName}`);
    if (!earlier) field.resolve = withRoles(field.resolve ?? defaultFieldResolver, declared.roles, authChecker);
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

function withRoles<Context extends object, R>(resolve: GraphQLFieldResolver<unknown, Context>, roles: readonly string[], authChecker: AuthChecker<Context, R>): GraphQLFieldResolver<unknown, Context> {
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
