// Fan-out of one event to many subscribers, executed once.
//
// graphql's subscribe() runs the subscription's selection set once per subscriber per event:
// with 1,000 wall screens watching stock, one receipt costs 1,000 executions, each with its
// own loaders and so its own SQL for the site and the item. But subscribers who sent the same
// operation with the same variables, and who may see the same things, get the same answer.
// `sharedSubscribe` (graphql-ws's `subscribe` option) puts them in one group: the group listens
// to the event source once, executes once per event and hands the one result to each of them;
// graphql-ws serialises it per socket.
//
// "May see the same things" is the actor's role, township scope and team: the only inputs the
// authorization checks and personal-data masks read (core/access/auth.ts, core/access/personal-data.ts). The
// one exception, a field shown because it is the actor's own (isOwn: their own account's
// name), marks the execution actor-specific (markActorSpecific), and its result then goes to
// that same actor only; everyone else executes their own.
//
// Every subscriber is still checked on its own when it subscribes; a group ends when its last
// member leaves, and its source with it.
import { createSourceEventStream, execute, type ExecutionArgs, type ExecutionResult } from "graphql";
import type { Actor } from "../access/auth";

/** Counts what sharing saves, for /metrics (see core/ops/metrics.ts). */
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

/**
 * One subscriber's stream: results pushed by its group, taken by graphql-ws. Leaving (return)
 * takes the subscriber out of the group at once, even while it waits for the next event.
 */
class Member implements AsyncIterableIterator<ExecutionResult> {
  private readonly queue: ExecutionResult[] = [];
  private waiting: { resolve: (result: IteratorResult<ExecutionResult>) => void; reject: (error: unknown) => void } | null = null;
  private finished = false;
  private failure: { error: unknown } | null = null;

  constructor(
    readonly args: ExecutionArgs,
    private readonly leave: (member: Member) => void,
  ) {}

  get actor(): Actor | null | undefined {
    return (this.args.contextValue as ActorContext | undefined)?.actor;
  }

  push(result: ExecutionResult): void {
    if (this.finished) return;
    if (this.waiting) {
      this.waiting.resolve({ done: false, value: result });
      this.waiting = null;
    } else this.queue.push(result);
  }

  /** The source ended (or failed): the stream ends after what is queued. */
  end(failure?: { error: unknown }): void {
    if (this.finished) return;
    this.finished = true;
    this.failure = failure ?? null;
    if (this.waiting) {
      if (this.failure) this.waiting.reject(this.failure.error);
      else this.waiting.resolve({ done: true, value: undefined });
      this.waiting = null;
    }
  }

  next(): Promise<IteratorResult<ExecutionResult>> {
    if (this.queue.length) return Promise.resolve({ done: false, value: this.queue.shift()! });
    if (this.finished) {
      const failure = this.failure;
      this.failure = null;
      return failure ? Promise.reject(failure.error) : Promise.resolve({ done: true, value: undefined });
    }
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  async return(): Promise<IteratorResult<ExecutionResult>> {
    this.queue.length = 0;
    this.end();
    this.leave(this);
    return { done: true, value: undefined };
  }

  async throw(error?: unknown): Promise<IteratorResult<ExecutionResult>> {
    await this.return();
    throw error;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<ExecutionResult> {
    return this;
  }
}

/** Subscribers with the same sharing key: one source stream and one execution per event. */
interface Group {
  key: string;
  members: Set<Member>;
  source: AsyncIterator<unknown>;
}

/**
 * graphql-ws's `subscribe`. Each subscriber is still checked on its own when it subscribes
 * (createSourceEventStream runs its authorization and arguments); then it joins the group of
 * subscribers with the same operation, variables and visibility. The group listens to the event
 * source once, filters once, executes once per event and pushes the one result to each member:
 * per subscriber there is no listener, no filter call and no iterator of its own on the source
 * any more, which is what the fan-out spent most of its time on (bench/RESULTS.md, change 17).
 */
export function sharedSubscribe(counters: FanoutCounters) {
  const groups = new Map<string, Group>();

  async function execution(args: ExecutionArgs, event: unknown): Promise<SharedResult> {
    const context = args.contextValue as ActorContext;
    // Events of one group run one after another, so the flag is this execution's alone.
    context[ACTOR_SPECIFIC] = false;
    const result = await execute({ ...args, rootValue: event });
    counters.executed();
    return { result, onlyFor: context[ACTOR_SPECIFIC] ? identityOf(context.actor) : null };
  }

  /** One event to every member: one execution, or one per actor when the answer read who they are. */
  async function deliver(group: Group, event: unknown): Promise<void> {
    const members = [...group.members];
    if (!members.length) return;
    const first = await execution(members[0].args, event);
    const byActor = new Map<string, ExecutionResult>();
    if (first.onlyFor !== null) byActor.set(first.onlyFor, first.result);
    for (const [i, member] of members.entries()) {
      if (first.onlyFor === null) {
        if (i > 0) counters.shared();
        member.push(first.result);
        continue;
      }
      const identity = identityOf(member.actor);
      let result = byActor.get(identity);
      if (result === undefined) byActor.set(identity, (result = (await execution(member.args, event)).result));
      else if (i > 0) counters.shared();
      member.push(result);
    }
  }

  async function listen(group: Group): Promise<void> {
    let failure: { error: unknown } | undefined;
    try {
      for (;;) {
        const { done, value } = await group.source.next();
        if (done || !group.members.size) break;
        await deliver(group, value);
      }
    } catch (error) {
      failure = { error };
    } finally {
      if (groups.get(group.key) === group) groups.delete(group.key);
      for (const member of group.members) member.end(failure);
    }
  }

  function leave(group: Group, member: Member): void {
    group.members.delete(member);
    if (group.members.size) return;
    // The last one left: the group ends now (a newcomer starts a new one), and so does its source.
    if (groups.get(group.key) === group) groups.delete(group.key);
    void Promise.resolve(group.source.return?.()).catch(() => undefined);
  }

  return async (args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> => {
    const stream = await createSourceEventStream(args);
    if (!(Symbol.asyncIterator in stream)) return stream as ExecutionResult; // refused before it began
    const source = (stream as AsyncIterable<unknown>)[Symbol.asyncIterator]();
    const key = sharingKey(args);
    let group = groups.get(key);
    if (group) {
      // Checked and accepted; the group's source serves it from here.
      void Promise.resolve(source.return?.()).catch(() => undefined);
    } else {
      group = { key, members: new Set(), source };
      groups.set(key, group);
      void listen(group);
    }
    const joined = group;
    const member = new Member(args, (m) => leave(joined, m));
    joined.members.add(member);
    return member;
  };
}
