// The service as a real process (`npm start`'s command), for start-up, signal and crash tests.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const ROOT = path.join(__dirname, "..", "..");
/** The command `npm start` runs (package.json "start"), started without npm in between. */
export const START_COMMAND = [process.execPath, "--max-semi-space-size=64", "--enable-source-maps", "-r", "./scripts/register.js", "src/main.ts"];

export interface ServiceProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves with the start-up line's URL, or rejects when the process exits first. */
  ready(): Promise<string>;
  exited(): Promise<number | null>;
}

/** The command `npm start` runs, as package.json says it: `exec` replaces npm's shell with Node. */
export const START_SCRIPT = `exec node ${START_COMMAND.slice(1).join(" ")}`;

export function spawnService(env: Record<string, string | undefined>): ServiceProcess {
  return watch(spawn(START_COMMAND[0], START_COMMAND.slice(1), { cwd: ROOT, env: serviceEnv(env), stdio: ["ignore", "pipe", "pipe"] }));
}

/** `npm start` itself: npm, the shell it runs the script with (`shell`, else npm's default), and Node below. */
export function spawnNpmStart(env: Record<string, string | undefined>, shell?: string, options: { ownProcessGroup?: boolean } = {}): ServiceProcess {
  return watch(
    spawn("npm", ["start"], {
      cwd: ROOT,
      // A process group of its own, as a terminal gives a foreground job: Ctrl-C signals it whole.
      detached: options.ownProcessGroup ?? false,
      env: { ...serviceEnv(env), NPM_CONFIG_UPDATE_NOTIFIER: "false", ...(shell ? { NPM_CONFIG_SCRIPT_SHELL: shell } : {}) },
      stdio: ["ignore", "pipe", "pipe"],
    }),
  );
}

function serviceEnv(env: Record<string, string | undefined>): Record<string, string | undefined> {
  // A data directory of its own even with DATABASE_URL: the generated auth secret lives there.
  // English, as the rest of the suite (test/support/app.ts); test/i18n.test.ts starts one as shipped.
  return { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: "warn", PORT: "0", HOST: "127.0.0.1", DEFAULT_LOCALE: "en", DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "kaizhou-svc-")), ...env };
}

function watch(child: ChildProcess): ServiceProcess {
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
          const match = /(?:listening on|监听) (http:\/\/\S+\/graphql)/.exec(output);
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

async function post(url: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<any> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return response.json();
}

/** Signs in as the seeded demo admin and counts the regions. */
export async function regionCount(url: string): Promise<number> {
  const login = await post(url, `mutation ($input: LoginInput!) { login(input: $input) { token } }`, { input: { username: "admin", password: "kaizhou-demo" } });
  const body = await post(url, "{ regions(first: 0) { totalCount } }", {}, login.data.login.token);
  return body.data.regions.totalCount;
}
