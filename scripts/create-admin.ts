// `npm run create-admin -- <username>`: the first administrator of a real installation,
// without demo data. The password comes from KAIZHOU_ADMIN_PASSWORD (automation) or is asked
// for on the terminal without echo; weak passwords are refused.
import "reflect-metadata";
import { LocalizedProblem, message } from "../src/core/i18n/i18n";
import crypto from "node:crypto";
import readline from "node:readline";
import { Writable } from "node:stream";
import { loadConfig } from "../src/config";
import { Role } from "../src/core/access/auth";
import { UserErrorsException } from "../src/core/graphql/errors";
import { UnitOfWork } from "../src/core/mutation/unit-of-work";
import { operatorActor } from "./sheet-cli";
import { AccountService } from "../src/modules/accounts/account.service";
import { PasswordHashing } from "../src/modules/accounts/password-hashing";
import { openDatabase } from "./database";
import { cliLocale, say } from "./cli-language";

async function askPassword(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) throw new LocalizedProblem(message("cli.createAdmin.noTerminal"));
  let muted = false;
  const output = new Writable({
    write(chunk, _encoding, done) {
      if (!muted) process.stdout.write(chunk);
      done();
    },
  });
  const rl = readline.createInterface({ input: process.stdin, output, terminal: true });
  return new Promise((resolve) => {
    rl.question(prompt, (answer) => {
      rl.close();
      process.stdout.write("\n");
      resolve(answer);
    });
    muted = true;
  });
}

async function main() {
  const username = process.argv[2];
  if (!username) {
    console.error(say("cli.createAdmin.usage"));
    process.exit(2);
  }
  let password = process.env.KAIZHOU_ADMIN_PASSWORD;
  if (!password) {
    password = await askPassword(say("cli.createAdmin.password", { username }));
    const again = await askPassword(say("cli.createAdmin.repeat"));
    if (again !== password) throw new LocalizedProblem(message("cli.createAdmin.differ"));
  }
  const config = loadConfig();
  const { dataSource, close } = await openDatabase(config);
  const passwords = new PasswordHashing({ threads: 1, maxQueued: 0 });
  try {
    // Audited like createAccount through the API, in the same transaction, as the operator.
    const unit = UnitOfWork.forOperator(operatorActor(), "createAccount", { input: { username, role: Role.ADMIN, password: "[redacted]" } }, `cli-${crypto.randomUUID()}`);
    const { account } = await new AccountService(dataSource, passwords, null).create(unit, { username, displayName: username, password, role: Role.ADMIN });
    console.log(say("cli.createAdmin.done", { username: account.username }));
  } catch (error) {
    if (error instanceof UserErrorsException) {
      throw new Error(error.errors.map((e) => e.text(cliLocale)).join("; "));
    }
    throw error;
  } finally {
    await passwords.close();
    await close();
  }
}

main().catch((error) => {
  console.error(say("cli.createAdmin.failed", { reason: error.message ?? String(error) }));
  process.exit(1);
});
