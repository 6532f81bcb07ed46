// The service as a real process (`npm start`'s command), for start-up, signal and crash tests.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

const ROOT = path.join(__dirname, "..", "..");
/** The command `npm start` runs (package.json "start"), without npm in between so signals reach Node. */
export const START_COMMAND = [process.execPath, "--enable-source-maps", "-r", "./scripts/register.js", "src/main.ts"];

export interface ServiceProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves with the start-up line's URL, or rejects when the process exits first. */
  ready(): Promise<string>;
  exited(): Promise<number | null>;
}

export function spawnService(env: Record<string, string | undefined>): ServiceProcess {
  const child = spawn(START_COMMAND[0], START_COMMAND.slice(1), {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: "warn", PORT: "0", HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    child,
    output: () => output,
    exited: () => exit,
    ready: () =>
      new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`service did not start in 60 s:\n${output}`)), 60_000);
        const check = () => {
          const match = /listening on (http:\/\/\S+\/graphql)/.exec(output);
          if (match) {
            clearTimeout(timer);
            resolve(match[1]);
          }
        };
        child.stdout!.on("data", check);
        exit.then((code) => {
          clearTimeout(timer);
          reject(new Error(`service exited with ${code} before it was ready:\n${output}`));
        });
        check();
      }),
  };
}

export async function regionCount(url: string): Promise<number> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: "{ regions(first: 0) { totalCount } }" }),
  });
  const body = (await response.json()) as any;
  return body.data.regions.totalCount;
}
