// Which reads go to a streaming replica (DATABASE_READ_URL; core/db/read-replicas.ts says how one
// is chosen): queries of API keys (dashboards), of data URLs (GET /data/*, saved documents), and
// exports (the sheet downloads) — the reads that multiply in a flood and can stand a replica's
// lag of a moment. Everything else reads the primary: staff screens, mutations and everything
// inside them (their payloads' fields), subscriptions (an event is read as it commits, before a
// replica may have it), and a batch of several operations over HTTP (they share one context).
// Once Apollo knows the operation, the request's context gets the chosen replica's services and
// loaders in place of the primary's: services and loaders stay unaware of replicas.
import type { ApolloServerPlugin } from "@apollo/server";
import { Kind, type OperationDefinitionNode } from "graphql";
import type { AppContext } from "./context";
import type { ReadReplicas, Replica } from "./core/db/read-replicas";
import { createLoaders } from "./loaders";
import type { Services } from "./services";

/** Root query fields that are exports: a staff account's export may read a replica too. */
export const EXPORT_FIELDS: ReadonlySet<string> = new Set(["exportStock", "exportTravelTimes"]);

function onlyExports(operation: OperationDefinitionNode): boolean {
  const fields = operation.selectionSet.selections;
  let exports = 0;
  for (const selection of fields) {
    if (selection.kind !== Kind.FIELD) return false;
    if (selection.name.value === "__typename") continue;
    if (!EXPORT_FIELDS.has(selection.name.value)) return false;
    exports++;
  }
  return exports > 0;
}

/** Whether this query may read a replica (which one, and whether any, is ReadReplicas' choice). */
export function mayReadFromReplica(context: AppContext, operation: OperationDefinitionNode): boolean {
  if (operation.operation !== "query" || context.batched) return false;
  return context.actor?.kind === "API_KEY" || context.savedDocument || onlyExports(operation);
}

/** The key a writer's last write is remembered by. */
export function writerOf(context: AppContext): string | undefined {
  return context.actor ? `${context.actor.kind}:${context.actor.id}` : undefined;
}

export function readRoutingPlugin(replicas: ReadReplicas, servicesOf: (replica: Replica) => Services): ApolloServerPlugin<AppContext> {
  return {
    async requestDidStart() {
      let routed: Replica | undefined;
      let writer: string | undefined;
      return {
        async didResolveOperation({ contextValue, operation }) {
          if (!operation) return;
          if (operation.operation === "mutation") {
            writer = writerOf(contextValue);
            if (writer) replicas.writing(writer);
            return;
          }
          if (!mayReadFromReplica(contextValue, operation)) return;
          routed = replicas.replicaFor(writerOf(contextValue));
          if (!routed) return;
          contextValue.services = servicesOf(routed);
          contextValue.loaders = createLoaders(contextValue.services);
        },
        async willSendResponse({ response }) {
          if (writer) replicas.wrote(writer);
          if (!routed) return;
          const body = response.body.kind === "single" ? response.body.singleResult : undefined;
          if (body?.errors?.some((error) => error.extensions?.code === "DATABASE_UNAVAILABLE")) replicas.failed(routed);
        },
      };
    },
  };
}
