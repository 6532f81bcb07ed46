// The headless Chromium the explorer test drives (through playwright-core): Debian's
// /usr/bin/chromium when the system has one, else the Chromium that the npm package
// @sparticuz/chromium carries inside its tarball — a devDependency, so `npm install` alone
// brings a browser and nothing is downloaded when the test runs. EXPLORER_BROWSER=system or
// EXPLORER_BROWSER=packaged forces one (CI runs the explorer test with each).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const SYSTEM_CHROMIUM = "/usr/bin/chromium";
const CHOICES = ["system", "packaged"] as const;
export type BrowserKind = (typeof CHOICES)[number];

/** Which Chromium this run uses; a wrong EXPLORER_BROWSER is an error, never a silent fallback. */
export function browserKind(): BrowserKind {
  const forced = process.env.EXPLORER_BROWSER;
  if (forced === undefined || forced === "") return fs.existsSync(SYSTEM_CHROMIUM) ? "system" : "packaged";
  if (!(CHOICES as readonly string[]).includes(forced)) throw new Error(`EXPLORER_BROWSER must be ${CHOICES.join(" or ")}, not "${forced}"`);
  return forced as BrowserKind;
}

function packagedVersion(): string {
  // The package's exports do not include its package.json; it sits two folders above the entry point.
  const manifest = path.join(path.dirname(require.resolve("@sparticuz/chromium")), "..", "..", "package.json");
  return JSON.parse(fs.readFileSync(manifest, "utf8")).version;
}

export function describeBrowser(kind: BrowserKind): string {
  return kind === "system" ? `system Chromium (${SYSTEM_CHROMIUM})` : `packaged Chromium (@sparticuz/chromium ${packagedVersion()})`;
}

/** The executable of the chosen Chromium. */
export function browserExecutable(kind: BrowserKind): string {
  if (kind === "packaged") return unpackedChromium();
  if (!fs.existsSync(SYSTEM_CHROMIUM)) throw new Error(`EXPLORER_BROWSER=system, but there is no Chromium at ${SYSTEM_CHROMIUM}: apt-get install chromium (or leave EXPLORER_BROWSER unset for the packaged one)`);
  return SYSTEM_CHROMIUM;
}

/**
 * The package keeps Chromium brotli-compressed and unpacks it into os.tmpdir() — and reuses
 * whatever `chromium` it finds there, of any version, even half-written. So it unpacks in a
 * child process whose TMPDIR is a fresh folder (jest's process.env is a copy that os.tmpdir()
 * does not read), which is then renamed, complete, to one folder per version: later runs start
 * from there at once, a broken run leaves no partial binary behind, and of two runs at once
 * each ends up with a whole one.
 */
function unpackedChromium(): string {
  // Per user too: the unpacked binary is private to whoever unpacked it (mode 700).
  const folder = path.join(os.tmpdir(), `kaizhou-chromium-${packagedVersion()}-uid${os.userInfo().uid}`);
  const executable = path.join(folder, "chromium");
  if (fs.existsSync(executable)) return executable;
  const staging = fs.mkdtempSync(`${folder}-unpacking-`);
  const unpack = spawnSync(process.execPath, ["-e", `require("@sparticuz/chromium").executablePath().then((file) => console.log(file))`], {
    cwd: path.join(__dirname, "..", ".."),
    env: { ...process.env, TMPDIR: staging },
    encoding: "utf8",
  });
  if (unpack.status !== 0 || unpack.stdout.trim() !== path.join(staging, "chromium")) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw new Error(`@sparticuz/chromium did not unpack its Chromium into ${staging}:\n${unpack.stdout}${unpack.stderr}`);
  }
  try {
    fs.renameSync(staging, folder);
  } catch (error) {
    // Another run put a complete one in place first.
    if (!fs.existsSync(executable)) throw error;
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return executable;
}
