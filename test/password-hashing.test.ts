// Password checks run in a small pool of worker threads with a bounded queue, so failed
// sign-ins cannot stall everyone else's requests: the main thread never runs bcrypt, a
// throttled or absurd attempt costs no check at all, and a full queue refuses at once.
import bcrypt from "bcryptjs";
import { PasswordHashing, PasswordHashingBusy } from "../src/modules/accounts/password-hashing";
import { DEMO_PASSWORD_HASH, UNKNOWN_USER_HASH } from "../src/modules/accounts/passwords";
import { startTestApp, DEMO_PASSWORD, type TestApp } from "./support/app";

const LOGIN = `mutation ($input: LoginInput!) { login(input: $input) { token errors { field code message } } }`;
const CREATE_ACCOUNT = `mutation ($input: CreateAccountInput!) { createAccount(input: $input) { account { username } errors { field code message } } }`;

/** Spies on every bcryptjs entry point of the main thread (the worker threads load their own copy). */
function spyOnMainThreadBcrypt() {
  const spies = (["hash", "hashSync", "compare", "compareSync"] as const).map((name) => jest.spyOn(bcrypt, name));
  return {
    calls: () => spies.reduce((sum, spy) => sum + spy.mock.calls.length, 0),
    restore: () => spies.forEach((spy) => spy.mockRestore()),
  };
}

describe("the hashing pool", () => {
  it("refuses a check at once when every thread is busy and the queue is full", async () => {
    const pool = new PasswordHashing({ threads: 1, maxQueued: 2 });
    try {
      const running = pool.verify("first", UNKNOWN_USER_HASH);
      const queued = [pool.verify("second", UNKNOWN_USER_HASH), pool.verify("third", UNKNOWN_USER_HASH)];
      await expect(pool.verify("fourth", UNKNOWN_USER_HASH)).rejects.toBeInstanceOf(PasswordHashingBusy);
      expect(pool.counts).toEqual({ jobs: 1, refused: 1 }); // refused while the first check still ran
      expect(await Promise.all([running, ...queued])).toEqual([false, false, false]);
      expect(pool.counts).toEqual({ jobs: 3, refused: 1 });
    } finally {
      await pool.close();
    }
  });

  it("makes bcrypt hashes that verify, and verifies the ones already stored", async () => {
    const pool = new PasswordHashing({ threads: 2, maxQueued: 4 });
    const mainThread = spyOnMainThreadBcrypt();
    try {
      const hash = await pool.hash("Strong-Passw0rd-2026");
      expect(hash).toMatch(/^\$2b\$11\$/);
      expect(await Promise.all([pool.verify("Strong-Passw0rd-2026", hash), pool.verify("Strong-Passw0rd-2027", hash), pool.verify(DEMO_PASSWORD, DEMO_PASSWORD_HASH)])).toEqual([true, false, true]);
      expect(mainThread.calls()).toBe(0);
    } finally {
      mainThread.restore();
      await pool.close();
    }
    // A hash bcryptjs made on the main thread before the pool existed still verifies.
    const legacy = new PasswordHashing({ threads: 1, maxQueued: 0 });
    try {
      expect(await legacy.verify("kaizhou-old", bcrypt.hashSync("kaizhou-old", 4))).toBe(true);
    } finally {
      await legacy.close();
    }
  });

  it("rejects what still waits when closed", async () => {
    const pool = new PasswordHashing({ threads: 1, maxQueued: 1 });
    const outcomes = [pool.verify("a", UNKNOWN_USER_HASH), pool.verify("b", UNKNOWN_USER_HASH)].map((check) => expect(check).rejects.toThrow(/shut down/));
    await pool.close();
    await Promise.all(outcomes);
    await expect(pool.verify("c", UNKNOWN_USER_HASH)).rejects.toThrow(/shut down/);
  });
});

describe("sign-in", () => {
  let t: TestApp;
  let mainThread: ReturnType<typeof spyOnMainThreadBcrypt>;
  beforeAll(async () => {
    t = await startTestApp({}, { PASSWORD_HASHING_THREADS: "1", PASSWORD_HASHING_QUEUE: "40", LOGIN_FAILURE_DELAY_MS: "0", LOGIN_MAX_FAILURES_PER_USERNAME: "3", LOGIN_MAX_FAILURES_PER_ADDRESS: "1000" });
  });
  afterAll(() => t.stop());
  beforeEach(() => (mainThread = spyOnMainThreadBcrypt()));
  afterEach(() => mainThread.restore());

  const pool = () => t.app.services.passwords.counts;
  const login = (username: string, password: string) => t.graphql(LOGIN, { input: { username, password } });

  it("checks concurrent failed sign-ins in the pool, one job each, none on the main thread", async () => {
    const jobsBefore = pool().jobs;
    const usernames = ["commander", "logistics", "auditor", ...Array.from({ length: 27 }, (_, i) => `nobody-${i}`)];
    const results = await Promise.all(usernames.map((username, i) => login(username, `wrong-${i}`)));
    expect(results.map((result) => result.data.login.errors[0]?.code)).toEqual(usernames.map(() => "LOGIN_FAILED"));
    expect(pool().jobs - jobsBefore).toBe(30); // unknown usernames too: checked against the decoy
    expect(pool().refused).toBe(0);
    expect(mainThread.calls()).toBe(0);
  });

  it("checks nothing for a throttled attempt, not even the right password", async () => {
    for (let i = 0; i < 3; i++) await login("leader.kz-s01", `guess-${i}`);
    const jobsBefore = pool().jobs;
    const attempts = await Promise.all([...["guess-4", "guess-5", "guess-6", "guess-7"], DEMO_PASSWORD].map((password) => login("leader.kz-s01", password)));
    expect(attempts.map((result) => result.data.login.errors[0]?.code)).toEqual(Array(5).fill("LOGIN_FAILED"));
    expect(pool().jobs).toBe(jobsBefore);
    expect(mainThread.calls()).toBe(0);
  });

  it("refuses a NUL or a 10,000-character password by the input rules, without checking it", async () => {
    const jobsBefore = pool().jobs;
    const nul = await login("admin", `${DEMO_PASSWORD}\u0000anything`);
    const huge = await login("admin", "x".repeat(10_000));
    expect([nul, huge].map((result) => result.data.login.errors.map((e: { field: string; code: string }) => [e.field, e.code]))).toEqual([[["input.password", "CONTROL_CHARACTER"]], [["input.password", "TOO_LONG"]]]);
    expect(pool().jobs).toBe(jobsBefore);
    // No password can be such a value: neither is a guess at the account's, and neither counts towards its lock.
    const [{ n }] = await t.app.dataSource.query("SELECT count(*)::int AS n FROM login_failure WHERE username = 'admin'");
    expect(n).toBe(0);
    // The right password still works (the failures are below the username's limit).
    expect((await login("admin", DEMO_PASSWORD)).data.login.token).toBeTruthy();
    expect(mainThread.calls()).toBe(0);
  });

  it("refuses new passwords bcrypt would cut short (over 72 bytes) or with a NUL, naming the field and the rule", async () => {
    const admin = await t.tokenFor("admin");
    const create = (username: string, password: string) => t.graphql(CREATE_ACCOUNT, { input: { username, displayName: "测试", password, role: "COMMANDER" } }, { token: admin });
    const jobsBefore = pool().jobs;
    const tooLong = await create("long.one", `Aa1!${"x".repeat(69)}`); // 73 bytes
    expect(tooLong.data.createAccount.errors).toEqual([{ field: "input.password", code: "TOO_LONG", message: expect.stringMatching(/at most 72 bytes/) }]);
    const chinese = await create("long.two", `Aa1!${"应".repeat(23)}`); // 4 + 69 bytes
    expect(chinese.data.createAccount.errors[0]).toMatchObject({ field: "input.password", code: "TOO_LONG" });
    const nul = await create("nul.one", "Strong-Passw0rd\u0000-2026");
    expect(nul.data.createAccount.errors).toEqual([{ field: "input.password", code: "CONTROL_CHARACTER", message: expect.stringMatching(/^input.password must contain no control characters/) }]);
    expect(pool().jobs).toBe(jobsBefore); // refused before hashing

    const longest = `Aa1!${"x".repeat(68)}`; // exactly 72 bytes
    expect((await create("long.three", longest)).data.createAccount.errors).toEqual([]);
    expect((await login("long.three", longest)).data.login.token).toBeTruthy();
    expect(pool().jobs).toBe(jobsBefore + 2);
    expect(mainThread.calls()).toBe(0);
  });
});

describe("sign-in with the hashing queue full", () => {
  it("refuses the sign-ins that find no room at once, with the same answer, counting no failure", async () => {
    const t = await startTestApp({}, { PASSWORD_HASHING_THREADS: "1", PASSWORD_HASHING_QUEUE: "1", LOGIN_FAILURE_DELAY_MS: "0", LOGIN_MAX_FAILURES_PER_ADDRESS: "1000" });
    const mainThread = spyOnMainThreadBcrypt();
    try {
      const usernames = Array.from({ length: 12 }, (_, i) => `crowd-${i}`);
      const results = await Promise.all(usernames.map((username) => t.graphql(LOGIN, { input: { username, password: "wrong" } })));
      const { jobs, refused } = t.app.services.passwords.counts;
      expect(refused).toBeGreaterThan(0);
      expect(jobs + refused).toBe(12);
      const messages = new Set(results.map((result) => JSON.stringify(result.data.login.errors)));
      expect(messages.size).toBe(1); // refused or checked, the caller cannot tell
      const [{ n }] = await t.app.dataSource.query("SELECT count(*)::int AS n FROM login_failure WHERE username LIKE 'crowd-%'");
      expect(n).toBe(jobs); // only the sign-ins that were checked count as failures
      expect(mainThread.calls()).toBe(0);
    } finally {
      mainThread.restore();
      await t.stop();
    }
  });
});
