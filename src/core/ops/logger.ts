// Structured JSON logs (pino). Secrets never reach a log line: request bodies are not
// logged, and the paths below are censored wherever they appear.
import pino from "pino";

export const logger = pino({
  level: process.env.LOG_LEVEL?.trim() || "info",
  base: { service: "kaizhou-emergency-resources" },
  redact: {
    paths: ["password", "*.password", "token", "*.token", "authorization", "*.authorization", "headers.authorization", 'headers["x-api-key"]', "apiKey", "*.apiKey", "secret", "*.secret"],
    censor: "[redacted]",
  },
});

export type Logger = pino.Logger;
