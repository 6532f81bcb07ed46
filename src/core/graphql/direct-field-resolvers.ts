// Field resolver methods called directly.
//
// type-graphql calls a @FieldResolver method through a generic wrapper: a container lookup for
// the resolver instance, a sorted copy of the parameter list mapped to values, a check of each
// for promises, and a middleware runner — on every call. On a row type that is once per row
// (StockLevel.item on the district page), and the wrapper cost as much as the method
// (bench/RESULTS.md, change 4).
//
// For a method whose parameters are only @Root() and @Ctx(), with no middleware and no roles
// left on it (core/access/field-roles.ts checks roles in its own wrapper, applied after this), the
// schema field is given a resolver that does what type-graphql's does, directly: the root
// converted to the declared class as type-graphql's convertToType would (kept as is when it is
// one already), the context, and the method called on one instance of the resolver class.
// Anything else (arguments, @Info, middlewares, class-level roles) keeps type-graphql's wrapper.
// Global middlewares (buildSchema's `globalMiddlewares`) would be skipped by the direct call
// without a sign, so a schema built with them is refused at start-up instead.
import { isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from "graphql";
import { getMetadataStorage, type BuildSchemaOptions } from "type-graphql";

type Class = new () => object;

interface ParamMetadata {
  kind: string;
  index: number;
  propertyName?: string;
  getType?: () => unknown;
}

/** type-graphql's convertToType for a root: instances pass, plain objects become one. */
function asInstanceOf(type: unknown, value: unknown): unknown {
  if (value === null || value === undefined || typeof type !== "function" || typeof value !== "object") return value;
  if (value instanceof (type as Class) || Array.isArray(value) || value instanceof Date) return value;
  return Object.assign(new (type as Class)(), value);
}

/** For the field resolvers of the classes the schema was built from, given the options buildSchema was given. */
export function callFieldResolversDirectly(schema: GraphQLSchema, options: Pick<BuildSchemaOptions, "resolvers" | "globalMiddlewares">): number {
  if (options.globalMiddlewares?.length) {
    throw new Error(
      "buildSchema is given globalMiddlewares, but core/graphql/direct-field-resolvers.ts calls field resolvers without type-graphql's wrapper, so they would skip them. Put the middleware on the resolvers with @UseMiddleware instead.",
    );
  }
  const resolverClasses: readonly Function[] = options.resolvers;
  const storage = getMetadataStorage();
  const instances = new Map<Function, object>();
  let replaced = 0;
  for (const resolver of storage.fieldResolvers) {
    // type-graphql's metadata is process-wide: another schema's classes (or a second load of
    // the same modules) may be in it too.
    if (!resolverClasses.includes(resolver.target)) continue;
    if (resolver.kind !== "external" || resolver.middlewares?.length || resolver.roles?.length) continue;
    const target = resolver.target as unknown as Class;
    if (target.length > 0) continue; // needs constructor arguments: leave it to the container
    const params = ([...(resolver.params ?? [])] as ParamMetadata[]).sort((a, b) => a.index - b.index);
    if (!params.every((p) => (p.kind === "root" || p.kind === "context") && !p.propertyName)) continue;
    const objectClass = resolver.getObjectType?.();
    const typeName = storage.objectTypes.find((t) => t.target === objectClass)?.name;
    const type = typeName ? schema.getType(typeName) : undefined;
    if (!isObjectType(type)) continue;
    const field = type.getFields()[resolver.schemaName];
    if (!field) continue;

    let instance = instances.get(target);
    if (!instance) instances.set(target, (instance = new target()));
    const method = (instance as Record<string, (...args: unknown[]) => unknown>)[resolver.methodName];
    const rootType = params.find((p) => p.kind === "root")?.getType?.();
    const self = instance;
    const direct: GraphQLFieldResolver<unknown, unknown> =
      params.length === 2 && params[0].kind === "root" && params[1].kind === "context"
        ? (root, _args, context) => method.call(self, asInstanceOf(rootType, root), context)
        : (root, _args, context) => method.apply(self, params.map((p) => (p.kind === "root" ? asInstanceOf(rootType, root) : context)));
    field.resolve = direct;
    replaced += 1;
  }
  return replaced;
}
