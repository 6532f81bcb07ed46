// A TCP proxy in front of PostgreSQL, for tests of a database that goes away: it can refuse
// connections, stop forwarding (a hung server or network), or cut a connection right after a
// given statement has reached the server (so the server runs it and the client never hears).
import net from "node:net";

export interface DatabaseProxy {
  /** The database URL, pointed at the proxy. */
  url: string;
  /** Stops forwarding in both directions (bytes wait, nothing is answered) until resume(). */
  hang(): void;
  resume(): void;
  /** Closes every connection and refuses new ones until resume(). */
  refuse(): void;
  /**
   * The next time a client sends bytes containing `text`, they are delivered to the server and
   * then that client's connection is cut: the server executes, the client gets no answer.
   */
  cutAfterSending(text: string): Promise<void>;
  close(): Promise<void>;
}

export async function startDatabaseProxy(databaseUrl: string): Promise<DatabaseProxy> {
  const target = new URL(databaseUrl);
  const pairs = new Set<{ client: net.Socket; server: net.Socket }>();
  let mode: "forward" | "hang" | "refuse" = "forward";
  let cut: { text: Buffer; done: () => void } | undefined;
  const held: Array<() => void> = [];

  const proxy = net.createServer((client) => {
    if (mode === "refuse") return void client.destroy();
    const server = net.connect(Number(target.port || 5432), target.hostname);
    const pair = { client, server };
    pairs.add(pair);
    let cutHere = false;
    const forget = () => {
      pairs.delete(pair);
      client.destroy();
      // A cut connection's server side is only ended: destroying it now could reset it before
      // the server has read the last statement.
      if (!cutHere) server.destroy();
    };
    client.on("error", forget).on("close", forget);
    server.on("error", forget).on("close", forget);
    const relay = (from: net.Socket, to: net.Socket, upstream: boolean) =>
      from.on("data", (chunk: Buffer) => {
        const send = () => {
          if (upstream && cut && chunk.includes(cut.text)) {
            const { done } = cut;
            cut = undefined;
            cutHere = true;
            // Delivered, then the server's side ended (it reads what was sent first, answers into
            // the void, and sees the end) and the client's dropped.
            server.removeAllListeners("data");
            server.resume();
            to.end(chunk, () => {
              client.destroy();
              done();
            });
            return;
          }
          to.write(chunk);
        };
        if (mode === "hang") held.push(send);
        else send();
      });
    relay(client, server, true);
    relay(server, client, false);
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const port = (proxy.address() as net.AddressInfo).port;
  const url = new URL(databaseUrl);
  url.hostname = "127.0.0.1";
  url.port = String(port);

  return {
    url: url.toString(),
    hang: () => void (mode = "hang"),
    resume() {
      mode = "forward";
      for (const send of held.splice(0)) send();
    },
    refuse() {
      mode = "refuse";
      held.length = 0;
      for (const { client, server } of pairs) {
        client.destroy();
        server.destroy();
      }
    },
    cutAfterSending: (text) => new Promise<void>((resolve) => (cut = { text: Buffer.from(text), done: resolve })),
    async close() {
      for (const { client, server } of pairs) {
        client.destroy();
        server.destroy();
      }
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    },
  };
}
