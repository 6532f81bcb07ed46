// Logs (pino): one line per event, every line with an ISO 8601 time (UTC, `2026-07-14T02:32:05.123Z`).
// LOG_FORMAT=json (the default) writes JSON lines for log shippers (Loki, Elasticsearch, journald);
// LOG_FORMAT=pretty writes the same lines for a person at a terminal (pino-pretty, in-process):
// local time, level, the message, then the fields on one line.
//
// No secrets and no personal data reach a log line: request bodies and variables are never
// logged (request lines carry names of operations, codes and counts: core/ops/request-log.ts),
// the paths below are censored wherever they appear, and errors are logged without the values
// a database error carries (its query parameters, its `detail` `Key (id_number)=(…)`, a data
// exception's quoted value).
import pino from "pino";
import pretty from "pino-pretty";

export const LOG_FORMATS = ["json", "pretty"] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** An error as a log line keeps it: type, message, stack, database code and constraint; no values. */
function errorWithoutValues(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const serialized = pino.stdSerializers.err(error) as unknown as Record<string, unknown>;
  // TypeORM's QueryFailedError: the statement's parameters are the request's values; pg's
  // DatabaseError: detail and where quote the row.
  for (const key of ["parameters", "detail", "where", "driverError", "internalQuery"]) delete serialized[key];
  const code = typeof serialized.code === "string" ? serialized.code : undefined;
  if (code?.startsWith("22") && typeof serialized.message === "string") {
    // A data exception quotes the value it refused: invalid input syntax for type integer: "13800000000".
    serialized.message = serialized.message.replace(/: ".*"$/s, ": …");
    if (typeof serialized.stack === "string") serialized.stack = serialized.stack.replace(/: ".*?"(\n|$)/, ": …$1");
  }
  if (serialized.cause) serialized.cause = errorWithoutValues((error as { cause?: unknown }).cause);
  return serialized;
}

export interface LoggerOptions {
  level?: string;
  format?: LogFormat;
  /** Where lines go; standard output when omitted. */
  destination?: pino.DestinationStream;
}

/** A logger as the service's: its level, format, time, redaction and error serializer. */
export function createLogger(options: LoggerOptions = {}): pino.Logger {
  const pinoOptions: pino.LoggerOptions = {
    level: options.level ?? "info",
    base: { service: "kaizhou-emergency-resources" },
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: { err: errorWithoutValues },
    redact: {
      paths: ["password", "*.password", "token", "*.token", "authorization", "*.authorization", "headers.authorization", 'headers["x-api-key"]', "apiKey", "*.apiKey", "secret", "*.secret", "variables", "*.variables"],
      censor: "[redacted]",
    },
  };
  if ((options.format ?? "json") === "pretty") {
    const toTerminal = options.destination === undefined;
    return pino(
      pinoOptions,
      pretty({
        destination: options.destination ?? 1,
        sync: true,
        colorize: toTerminal && process.stdout.isTTY === true,
        // The district's local time with its offset; the JSON format keeps UTC.
        translateTime: "SYS:yyyy-mm-dd HH:MM:ss.l o",
        ignore: "pid,hostname,service",
        singleLine: true,
      }),
    );
  }
  return options.destination ? pino(pinoOptions, options.destination) : pino(pinoOptions);
}

function formatFromEnvironment(): LogFormat {
  const given = process.env.LOG_FORMAT?.trim().toLowerCase();
  // config.ts refuses other values at start-up; a script that never loads the config gets JSON.
  return given === "pretty" ? "pretty" : "json";
}

export const logger = createLogger({ level: process.env.LOG_LEVEL?.trim() || "info", format: formatFromEnvironment() });

export type Logger = pino.Logger;
