// Database URLs naming several hosts, as libpq takes them:
//   postgres://user:pw@db-a:5432,db-b:5432/kaizhou?target_session_attrs=read-write
// node-postgres 8.23 does not: pg-connection-string hands the URL to WHATWG `new URL`, which
// refuses a host list, and pg knows no target_session_attrs (brianc/node-postgres#2781 open,
// pull request #3643 not merged; once pg has it, this file can go). So the list is handled here, in
// one place, at connect time: every new connection of the pool goes to the host found to accept
// writes (libpq's test: `SHOW transaction_read_only` answers off), remembered until a connection
// to it fails or finds it read-only; then the hosts are tried again in the order given. After a
// failover (the primary gone, a standby promoted: Patroni, or `pg_ctl promote`) the pool's broken
// connections are dropped as they fail and new ones reach the promoted server.
import pg from "pg";
import { message, type Message, type MessageKey, type MessageParams } from "../i18n/i18n";

/** What is wrong with a database URL's host list, as a catalogue message (config.ts names the setting). */
export class HostListError extends Error {
  readonly said: Message;
  constructor(key: MessageKey, params?: MessageParams) {
    super(key);
    this.said = message(key, params);
    this.name = "HostListError";
  }
}

export interface HostPort {
  host: string;
  port: number;
}

export interface ParsedDatabaseUrl {
  hosts: HostPort[];
  /** The URL with the first host only and without target_session_attrs: what pg can parse. */
  firstHostUrl: string;
  /** libpq's target_session_attrs: "any" (default) or "read-write". */
  targetSessionAttrs: "any" | "read-write";
}

const URL_SHAPE = /^(postgres(?:ql)?:\/\/)([^@/?#]*@)?([^/?#]*)(.*)$/i;

/** Splits a (possibly multi-host) PostgreSQL URL; throws a plain Error saying what is wrong. */
export function parseDatabaseUrl(raw: string): ParsedDatabaseUrl {
  const match = URL_SHAPE.exec(raw.trim());
  if (!match) throw new HostListError("hosts.notPostgres");
  const [, scheme, userinfo = "", hostList, rest] = match;
  const hosts = hostList.split(",").map((entry) => {
    const hostPort = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(entry.trim());
    if (!hostPort) throw new HostListError("hosts.invalidHost", { entry });
    const port = hostPort[2] ? Number(hostPort[2]) : 5432;
    if (port < 1 || port > 65535) throw new HostListError("hosts.invalidPort", { entry });
    return { host: hostPort[1].replace(/^\[(.*)\]$/, "$1"), port };
  });
  if (!hosts.length || !hosts[0].host) throw new HostListError("hosts.noHost");
  const queryStart = rest.indexOf("?");
  const path = queryStart === -1 ? rest : rest.slice(0, queryStart);
  const params = new URLSearchParams(queryStart === -1 ? "" : rest.slice(queryStart + 1));
  const attrs = params.get("target_session_attrs") ?? "any";
  if (attrs !== "any" && attrs !== "read-write") throw new HostListError("hosts.targetSessionAttrs", { attrs });
  params.delete("target_session_attrs");
  const query = params.toString();
  const first = hostList.split(",")[0].trim();
  return { hosts, firstHostUrl: `${scheme}${userinfo}${first}${path}${query ? `?${query}` : ""}`, targetSessionAttrs: attrs };
}

/** A connection error of our own, with a SQLSTATE core/db/database-errors.ts counts as "unavailable". */
function unavailable(text: string): Error {
  return Object.assign(new Error(text), { code: "08001" }); // sqlclient_unable_to_establish_sqlconnection
}

/** Which host of a list takes writes now: found by probing, remembered until it fails. */
export class WritableHost {
  private current?: HostPort;
  private finding?: Promise<HostPort>;

  constructor(private readonly hosts: HostPort[], private readonly probeConfig: pg.ClientConfig) {}

  /** The remembered host, or the first one of the list that answers and accepts writes. */
  find(): Promise<HostPort> {
    if (this.current) return Promise.resolve(this.current);
    this.finding ??= this.probeAll().finally(() => (this.finding = undefined));
    return this.finding;
  }

  forget(host: HostPort): void {
    if (this.current === host) this.current = undefined;
  }

  private async probeAll(): Promise<HostPort> {
    const refusals: string[] = [];
    for (const host of this.hosts) {
      const client = new pg.Client(this.probeConfig);
      aim(client, host);
      client.on("error", () => undefined);
      try {
        await client.connect();
        if (await acceptsWrites(client)) return (this.current = host);
        refusals.push(`${host.host}:${host.port} is read-only`);
      } catch (error) {
        refusals.push(`${host.host}:${host.port}: ${(error as Error).message}`);
      } finally {
        await client.end().catch(() => undefined);
      }
    }
    throw unavailable(`no host accepts writes (target_session_attrs=read-write): ${refusals.join("; ")}`);
  }
}

/** Points a client not yet connected at `target` (the URL it was made from names the first host). */
function aim(client: pg.Client, target: HostPort): void {
  const self = client as unknown as { host: string; port: number; connectionParameters: { host: string; port: number } };
  self.host = self.connectionParameters.host = target.host;
  self.port = self.connectionParameters.port = target.port;
}

async function acceptsWrites(client: pg.Client): Promise<boolean> {
  const { rows } = await client.query<{ transaction_read_only: string }>("SHOW transaction_read_only");
  return rows[0]?.transaction_read_only === "off";
}

/**
 * A pg Client class (the pool's `Client` option) whose connections go to the writable host of
 * `hosts`, checked read-write once connected.
 */
export function writableHostClient(hosts: HostPort[], probeConfig: pg.ClientConfig): typeof pg.Client {
  const writable = new WritableHost(hosts, probeConfig);
  class WritableHostClient extends pg.Client {
    // pg-pool calls connect(callback); everyone else, connect().
    connect(): Promise<pg.Client>;
    connect(callback: ((err: Error) => void) | ((err: null, c: pg.Client) => void)): void;
    connect(callback?: ((err: Error) => void) | ((err: null, c: pg.Client) => void)): Promise<pg.Client> | void {
      const connecting = this.connectToWritable().then(() => this as pg.Client);
      if (!callback) return connecting;
      const done = callback as (err: Error | null, c?: pg.Client) => void;
      connecting.then((client) => done(null, client), (error: Error) => done(error));
    }

    private async connectToWritable(): Promise<void> {
      const target = await writable.find();
      aim(this, target);
      try {
        await super.connect();
      } catch (error) {
        writable.forget(target);
        throw error;
      }
      if (!(await acceptsWrites(this).catch(() => false))) {
        writable.forget(target);
        await this.end().catch(() => undefined);
        throw unavailable(`${target.host}:${target.port} no longer accepts writes (target_session_attrs=read-write)`);
      }
    }
  }
  return WritableHostClient as unknown as typeof pg.Client;
}

/** The URL for messages: the password hidden, every host shown. */
export function describeDatabaseUrl(url: string): string {
  try {
    const { hosts, firstHostUrl } = parseDatabaseUrl(url);
    const parsed = new URL(firstHostUrl);
    if (parsed.password) parsed.password = "***";
    if (hosts.length === 1) return parsed.toString();
    const hostList = hosts.map((h) => `${h.host.includes(":") ? `[${h.host}]` : h.host}:${h.port}`).join(",");
    const userinfo = parsed.username ? `${parsed.username}${parsed.password ? `:${parsed.password}` : ""}@` : "";
    return `${parsed.protocol}//${userinfo}${hostList}${parsed.pathname}${parsed.search}`;
  } catch {
    return "(invalid URL)";
  }
}
