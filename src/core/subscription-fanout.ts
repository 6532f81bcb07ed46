// Fan-out of one event to many subscribers, executed once.
//
// graphql's subscribe() runs the subscription's selection set once per subscriber per event:
// with 1,000 wall screens watching stock, one receipt costs 1,000 executions, each with its
// own loaders and so its own SQL for the site and the item. But subscribers who sent the same
// operation with the same variables, and who may see the same things, get the same answer.
// `sharedSubscribe` (graphql-ws's `subscribe` option) executes such a group's answer once per
// event and hands the one result to each of them; graphql-ws serialises it per socket.
//
// "May see the same things" is the actor's role, township scope and team: the only inputs the
// authorization checks and personal-data masks read (core/auth.ts, core/personal-data.ts). The
// one exception, a field shown because it is the actor's own (isOwn: their own account's
// name), marks the execution actor-specific (markActorSpecific), and its result then goes to
// that same actor only; everyone else executes their own.
//
// Publishers publish a new object for every event (the services do), which is what keys the
// sharing: a WeakMap from the event to its results, gone when the event is.
import { createSourceEventStream, execute, type ExecutionArgs, type ExecutionResult } from "graphql";
import type { Actor } from "./auth";

/** Counts what sharing saves, for /metrics (see core/metrics.ts). */
export interface FanoutCounters {
  executed(): void;
  shared(): void;
}

interface ActorContext {
  actor?: Actor | null;
  [ACTOR_SPECIFIC]?: boolean;
}

const ACTOR_SPECIFIC = Symbol("execution depends on who the actor is");

/** Called where a field's value depends on the actor's identity, not only their role. */
export function markActorSpecific(context: unknown): void {
  if (context && typeof context === "object") (context as ActorContext)[ACTOR_SPECIFIC] = true;
}

interface SharedResult {
  result: ExecutionResult;
  /** Set when the execution read the actor's identity: only that actor may reuse it. */
  onlyFor: string | null;
}

function identityOf(actor: Actor | null | undefined): string {
  return actor ? `${actor.kind}:${actor.id}` : "anonymous";
}

/** What decides the answer: the operation, its variables, and what the actor may see. */
function sharingKey(args: ExecutionArgs): string {
  const actor = (args.contextValue as ActorContext | undefined)?.actor;
  const sees = actor ? `${actor.role}|${actor.scopeRegionId ?? ""}|${actor.teamId ?? ""}` : "anonymous";
  const query = args.document.loc?.source.body ?? JSON.stringify(args.document);
  return JSON.stringify([query, args.operationName ?? null, args.variableValues ?? null, sees]);
}

export function sharedSubscribe(counters: FanoutCounters) {
  const resultsByEvent = new WeakMap<object, Map<string, Promise<SharedResult>>>();

  async function executeOnce(args: ExecutionArgs, key: string, event: unknown): Promise<ExecutionResult> {
    const context = args.contextValue as ActorContext;
    const run = async (): Promise<SharedResult> => {
      // Events of one subscription run one after another, so the flag is this event's alone.
      context[ACTOR_SPECIFIC] = false;
      const result = await execute({ ...args, rootValue: event });
      counters.executed();
      return { result, onlyFor: context[ACTOR_SPECIFIC] ? identityOf(context.actor) : null };
    };
    if (typeof event !== "object" || event === null) return (await run()).result;

    let results = resultsByEvent.get(event);
    if (!results) resultsByEvent.set(event, (results = new Map()));
    const earlier = results.get(key);
    if (earlier) {
      const shared = await earlier;
      if (shared.onlyFor === null || shared.onlyFor === identityOf(context.actor)) {
        counters.shared();
        return shared.result;
      }
      return (await run()).result;
    }
    const mine = run();
    results.set(key, mine);
    return (await mine).result;
  }

  return async (args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> => {
    const stream = await createSourceEventStream(args);
    if (!(Symbol.asyncIterator in stream)) return stream as ExecutionResult; // refused before it began
    const key = sharingKey(args);
    return mapAsyncIterator(stream as AsyncIterable<unknown>, (event) => executeOnce(args, key, event));
  };
}

/**
 * Maps an async iterator, passing return() straight to the source: a client that unsubscribes
 * while no event is pending must end the source now (an async generator would wait for its
 * pending next(), which may never come, and leak the listener).
 */
function mapAsyncIterator<T, U>(iterable: AsyncIterable<T>, map: (value: T) => Promise<U>): AsyncIterableIterator<U> {
  const iterator = iterable[Symbol.asyncIterator]();
  const closeSource = async () => {
    try {
      await iterator.return?.();
    } catch {
      // already closed
    }
  };
  const mapResult = async (result: IteratorResult<T>): Promise<IteratorResult<U>> => {
    if (result.done) return { done: true, value: undefined };
    try {
      return { done: false, value: await map(result.value) };
    } catch (error) {
      await closeSource();
      throw error;
    }
  };
  const mapped: AsyncIterableIterator<U> = {
    next: async () => mapResult(await iterator.next()),
    return: async () => {
      await closeSource();
      return { done: true, value: undefined };
    },
    throw: async (error: unknown) => {
      if (iterator.throw) return mapResult(await iterator.throw(error));
      await closeSource();
      throw error;
    },
    [Symbol.asyncIterator]: () => mapped,
  } as AsyncIterableIterator<U>;
  return mapped;
}
