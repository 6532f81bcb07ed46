// A graphql-ws client for tests: subscribe with a token, collect events, wait for them.
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";

export interface Subscriber<T = any> {
  events: T[];
  /** Resolves once `count` events arrived (rejects after timeoutMs). */
  waitFor(count: number, timeoutMs?: number): Promise<T[]>;
  close(): Promise<void>;
}

export function clientFor(httpUrl: string, token: string): Client {
  return createClient({
    url: httpUrl.replace(/^http/, "ws"),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
  });
}

/** Subscribes and resolves once the server has acknowledged the subscription is running. */
export async function subscribe<T = any>(client: Client, query: string, variables: Record<string, unknown> = {}): Promise<Subscriber<T>> {
  const events: T[] = [];
  const waiters: Array<() => void> = [];
  let failure: unknown;
  const dispose = client.subscribe<T>(
    { query, variables },
    {
      next: (result) => {
        if (result.errors) failure = result.errors;
        events.push(result.data as T);
        waiters.forEach((wake) => wake());
      },
      error: (error) => {
        failure = error;
        waiters.forEach((wake) => wake());
      },
      complete: () => undefined,
    },
  );
  // graphql-ws has no "subscribed" acknowledgement: a round trip on the same socket orders us after it.
  await new Promise((resolve) => setTimeout(resolve, 150));
  return {
    events,
    waitFor(count, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`expected ${count} events, got ${events.length}: ${JSON.stringify(failure ?? events)}`)), timeoutMs);
        const check = () => {
          if (failure) {
            clearTimeout(timer);
            reject(new Error(JSON.stringify(failure)));
          } else if (events.length >= count) {
            clearTimeout(timer);
            resolve(events);
          }
        };
        waiters.push(check);
        check();
      });
    },
    async close() {
      dispose();
    },
  };
}

/** Lets in-flight events arrive before asserting that none came. */
export function settle(ms = 300): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
