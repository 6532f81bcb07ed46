// S4's peer: a bare `ws` server that sends one pre-serialised message to every connected
// client whose filter matches, with the same filter function our stockLevelChanged uses.
// Clients send their filter (JSON) as their first message; POST /publish with
// { event, payload } broadcasts `payload` (a string, sent as is) to the matching clients.
//
// Usage: node -r ./scripts/register.js bench/servers/s4-raw-broadcast.ts <port>
import http from "node:http";
import { WebSocketServer, type WebSocket } from "ws";
import { matchesStockLevelFilter, type StockLevelChangedEvent, type StockLevelFilter } from "../../src/modules/reserves/reserves.events";

const port = Number(process.argv[2]);
const clients = new Map<WebSocket, StockLevelFilter | null>();

const server = http.createServer((req, res) => {
  if (req.method !== "POST" || req.url !== "/publish") {
    res.writeHead(404).end();
    return;
  }
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const { event, payload } = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { event: StockLevelChangedEvent; payload: string };
    let sent = 0;
    for (const [socket, filter] of clients) {
      if (filter && matchesStockLevelFilter(event, filter)) {
        socket.send(payload);
        sent++;
      }
    }
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ sent }));
  });
});

const wss = new WebSocketServer({ server, path: "/raw" });
wss.on("connection", (socket) => {
  clients.set(socket, null);
  socket.once("message", (data) => clients.set(socket, JSON.parse(String(data)) as StockLevelFilter));
  socket.on("close", () => clients.delete(socket));
});

server.listen(port, "127.0.0.1", () => console.log(`S4 raw broadcast listening on ${port}`));
