// Offline checks of flake.nix (the Nix path to a dev shell and `nix run`).
//
// Nothing is downloaded: nixpkgs is replaced by test/nix-stub, a tiny flake
// whose packages link this machine's own node, npm, python3, make and
// compiler, with `--override-input nixpkgs path:<stub>`.  The stub's npm can
// fake `npm ci` / `npm start` and log its calls (see test/nix-stub/npm.sh), so
// the shellHook's install and autostart logic is observed without touching the
// registry.  An untracked flake.nix is invisible to Nix inside a git checkout,
// so everything runs on a copy of the needed files in a fresh temporary git
// repository, which also works from a clean clone in CI.
//
// Skips only when `nix` is not installed (apt-get install -y nix-bin).
//
//   node --import tsx --test test/nix/flake.test.ts

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const SYSTEMS = ["x86_64-linux", "aarch64-linux", "x86_64-darwin", "aarch64-darwin"];

// What the flake needs besides itself, relative to the repository root.
const FLAKE_FILES = ["flake.nix", "nix", "package.json", "package-lock.json", "test/nix-stub"];

const nixVersion = spawnSync("nix", ["--version"], { encoding: "utf8" });
const skip =
  nixVersion.status === 0
    ? false
    : "nix is not installed (apt-get install -y nix-bin): skipping the flake.nix checks";

const NIX_CONFIG = [
  "experimental-features = nix-command flakes",
  "build-users-group =",
  "sandbox = false",
  "substituters =",
  "warn-dirty = false",
].join("\n");

let work = ""; // the temporary checkout
let scratch = ""; // logs, fake browser opener, caches: outside the checkout
let stubDir = "";
let system = "";
let baseEnv: NodeJS.ProcessEnv = {};
const serverPids: number[] = [];

function overrideArgs(): string[] {
  return ["--no-write-lock-file", "--override-input", "nixpkgs", `path:${stubDir}`];
}

function run(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeout?: number } = {},
): SpawnSyncReturns<string> {
  const result = spawnSync(cmd, args, {
    cwd: opts.cwd ?? work,
    env: { ...baseEnv, ...opts.env },
    encoding: "utf8",
    timeout: opts.timeout ?? 90_000,
  });
  if (result.error) throw result.error;
  return result;
}

function describeRun(what: string, r: SpawnSyncReturns<string>): string {
  return `${what} exited ${r.status}\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;
}

function nixOk(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): string {
  const r = run("nix", args, opts);
  assert.equal(r.status, 0, describeRun(`nix ${args.join(" ")}`, r));
  return r.stdout;
}

// `nix develop` in the temporary checkout; STUB_NPM_FAKE=1 unless overridden,
// so the stub's npm never installs or serves for real.
function develop(command: string[], env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return run("nix", ["develop", ...overrideArgs(), ".", "--command", ...command], {
    env: { STUB_NPM_FAKE: "1", ...env },
  });
}

function developOk(command: string[], env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  const r = develop(command, env);
  assert.equal(r.status, 0, describeRun(`nix develop --command ${command.join(" ")}`, r));
  return r;
}

function logLines(file: string): string[] {
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8").split("\n").filter(Boolean) : [];
}

const npmLog = () => path.join(scratch, "npm.log");
const nodeLog = () => path.join(scratch, "node.log");
const openLog = () => path.join(scratch, "open.log");
const marker = () => path.join(work, "node_modules", ".cardtrail-lock-hash");
const lockSha = () =>
  createHash("sha256").update(fs.readFileSync(path.join(work, "package-lock.json"))).digest("hex");

function resetLogs(): void {
  for (const f of [npmLog(), nodeLog(), openLog()]) fs.rmSync(f, { force: true });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function git(args: string[], cwd = work): string {
  const r = run("git", args, { cwd });
  assert.equal(r.status, 0, describeRun(`git ${args.join(" ")}`, r));
  return r.stdout.trim();
}

describe("flake.nix (offline, nixpkgs replaced by test/nix-stub)", { skip, timeout: 240_000 }, () => {
  before(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "cardtrail-flake-"));
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "cardtrail-flake-scratch-"));
    for (const rel of FLAKE_FILES) {
      fs.cpSync(path.join(repoRoot, rel), path.join(work, rel), { recursive: true });
    }
    fs.writeFileSync(path.join(work, ".gitignore"), "node_modules/\n");
    fs.writeFileSync(path.join(work, "NOTES.txt"), "a tracked file the update test edits\n");
    stubDir = path.join(work, "test", "nix-stub");

    // A fake browser opener ahead of everything else on PATH (the dev shell
    // appends the caller's PATH after its own packages, and the stub ships none).
    const fakeBin = path.join(scratch, "bin");
    fs.mkdirSync(fakeBin);
    for (const opener of ["xdg-open", "wslview", "open"]) {
      fs.writeFileSync(
        path.join(fakeBin, opener),
        `#!/bin/sh\nprintf '%s %s\\n' "${opener}" "$*" >> "${openLog()}"\n`,
        { mode: 0o755 },
      );
    }

    baseEnv = Object.fromEntries(
      Object.entries(process.env).filter(
        ([k]) =>
          !k.startsWith("CARDTRAIL_") &&
          !k.startsWith("STUB_") &&
          !["NIX_CONFIG", "IN_NIX_SHELL", "WSL_DISTRO_NAME"].includes(k),
      ),
    );
    Object.assign(baseEnv, {
      NIX_CONFIG,
      XDG_CACHE_HOME: path.join(scratch, "cache"),
      PATH: `${fakeBin}:${process.env.PATH ?? ""}`,
      STUB_NPM_LOG: npmLog(),
      STUB_NODE_LOG: nodeLog(),
      GIT_AUTHOR_NAME: "flake test",
      GIT_AUTHOR_EMAIL: "flake-test@example.invalid",
      GIT_COMMITTER_NAME: "flake test",
      GIT_COMMITTER_EMAIL: "flake-test@example.invalid",
      GIT_CONFIG_NOSYSTEM: "1",
      HOME: scratch,
    });

    git(["init", "-q", "-b", "main"]);
    git(["add", "-A"]);
    git(["commit", "-q", "-m", "flake test checkout"]);
    system = nixOk(["eval", "--impure", "--raw", "--expr", "builtins.currentSystem"]);
  });

  after(() => {
    for (const pid of serverPids) {
      try {
        process.kill(pid, "SIGTERM");
      } catch {
        // already gone
      }
    }
    if (work) fs.rmSync(work, { recursive: true, force: true });
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  test("declares nixpkgs as its only input", () => {
    const inputs = JSON.parse(
      nixOk(["eval", "--impure", "--json", "--expr", `builtins.attrNames (import ${work}/flake.nix).inputs`]),
    );
    assert.deepEqual(inputs, ["nixpkgs"]);
  });

  test("nix flake check passes", () => {
    nixOk(["flake", "check", ...overrideArgs(), "."]);
  });

  test("nix flake show lists devShells.default and apps.default for all four systems", () => {
    const show = JSON.parse(nixOk(["flake", "show", "--json", ...overrideArgs(), "."]));
    for (const sys of SYSTEMS) {
      assert.equal(show.devShells?.[sys]?.default?.type, "derivation", `devShells.${sys}.default`);
      assert.equal(show.apps?.[sys]?.default?.type, "app", `apps.${sys}.default`);
    }
  });

  test("every system's app is an app whose program is a store path", () => {
    const apps = JSON.parse(
      nixOk([
        "eval",
        "--json",
        ...overrideArgs(),
        ".#apps",
        "--apply",
        "builtins.mapAttrs (sys: apps: builtins.mapAttrs (name: app: { inherit (app) type program; }) apps)",
      ]),
    );
    assert.deepEqual(Object.keys(apps).sort(), [...SYSTEMS].sort());
    for (const sys of SYSTEMS) {
      assert.equal(apps[sys].default.type, "app", `apps.${sys}.default.type`);
      assert.match(apps[sys].default.program, /^\/nix\/store\/[^/]+\/bin\/[^/]+$/, `apps.${sys}.default.program`);
    }
  });

  test("the shellHook evaluates for every system and is valid bash", () => {
    const hooks = JSON.parse(
      nixOk(["eval", "--json", ...overrideArgs(), ".#devShells", "--apply", "builtins.mapAttrs (sys: s: s.default.shellHook)"]),
    );
    assert.deepEqual(Object.keys(hooks).sort(), [...SYSTEMS].sort());
    const hookFile = path.join(scratch, "shellHook.sh");
    fs.writeFileSync(hookFile, hooks[system]);
    const syntax = run("bash", ["-n", hookFile]);
    assert.equal(syntax.status, 0, describeRun("bash -n shellHook", syntax));
    for (const word of ["npm ci", "npm start", "npm test", ".cardtrail-lock-hash", "CARDTRAIL_AUTOSTART", "CARDTRAIL_UPDATE"]) {
      assert.ok(hooks[system].includes(word), `shellHook mentions ${word}`);
    }
  });

  test("first entry runs npm ci, records the lock hash and prints how to start and test", async () => {
    resetLogs();
    fs.rmSync(path.join(work, "node_modules"), { recursive: true, force: true });
    const port = await freePort();
    const r = developOk(["bash", "-c", 'printf "%s" "$PATH"'], {
      CARDTRAIL_PORT: String(port),
      STUB_NPM_SERVE: "1", // if anything ran `npm start`, a server would answer on the port
    });
    assert.deepEqual(logLines(npmLog()).filter((l) => /^npm ci\b/.test(l)), ["npm ci"], "npm ci ran once");
    assert.ok(fs.existsSync(marker()), "node_modules/.cardtrail-lock-hash written");
    assert.match(fs.readFileSync(marker(), "utf8"), new RegExp(`^sha256:${lockSha()}\\b`));
    assert.match(r.stderr, /npm start/, "says how to start");
    assert.match(r.stderr, /npm test/, "says how to test");

    // The shell's own PATH comes first and holds the flake's packages.
    const shellPath = r.stdout.split(":");
    for (const pkg of ["nodejs", "python3", "gnumake", "pkg-config", "cc"]) {
      assert.ok(
        shellPath.some((dir) => new RegExp(`^/nix/store/[^/]+-stub-${pkg}/bin$`).test(dir)),
        `dev shell PATH has ${pkg}: ${r.stdout}`,
      );
    }

    // Not asked to autostart: nothing started, nothing listens, nothing opened.
    await sleep(1500);
    assert.ok(!logLines(npmLog()).some((l) => /^npm (start|run)/.test(l)), `no npm start: ${logLines(npmLog())}`);
    assert.ok(!logLines(nodeLog()).some((l) => l.includes("cardtrail.js")), "server not started with node directly");
    assert.equal(await listening(port), false, `nothing listens on CARDTRAIL_PORT ${port}`);
    assert.deepEqual(logLines(openLog()), [], "no browser opened");
  });

  test("second entry is instant: no install when package-lock.json is unchanged", () => {
    resetLogs();
    const started = Date.now();
    developOk(["true"]);
    const seconds = (Date.now() - started) / 1000;
    assert.deepEqual(logLines(npmLog()), [], "npm not called at all");
    assert.ok(seconds < 30, `second nix develop took ${seconds}s`);
  });

  test("a stale marker or a changed package-lock.json installs again", () => {
    resetLogs();
    fs.writeFileSync(marker(), "sha256:stale\n");
    developOk(["true"]);
    assert.deepEqual(logLines(npmLog()), ["npm ci"], "stale marker: npm ci");
    assert.match(fs.readFileSync(marker(), "utf8"), new RegExp(`^sha256:${lockSha()}\\b`));

    resetLogs();
    fs.appendFileSync(path.join(work, "package-lock.json"), "\n");
    developOk(["true"]);
    assert.deepEqual(logLines(npmLog()), ["npm ci"], "changed lock: npm ci");
    assert.match(fs.readFileSync(marker(), "utf8"), new RegExp(`^sha256:${lockSha()}\\b`));
    git(["checkout", "--", "package-lock.json"]);
  });

  test("a failing npm ci leaves no marker and still gives a usable shell", () => {
    resetLogs();
    fs.rmSync(marker(), { force: true });
    const r = developOk(["bash", "-c", "echo shell-ok"], { STUB_NPM_FAIL: "1" });
    assert.equal(r.stdout.trim(), "shell-ok");
    assert.match(r.stderr, /npm ci failed/);
    assert.equal(fs.existsSync(marker()), false, "no marker after a failed install");
    developOk(["true"]); // and the next entry retries and succeeds
    assert.deepEqual(logLines(npmLog()), ["npm ci", "npm ci"]);
    assert.ok(fs.existsSync(marker()));
  });

  test("CARDTRAIL_AUTOSTART=0 does not start a server either", async () => {
    resetLogs();
    const port = await freePort();
    developOk(["true"], { CARDTRAIL_AUTOSTART: "0", CARDTRAIL_PORT: String(port), STUB_NPM_SERVE: "1" });
    await sleep(1000);
    assert.deepEqual(logLines(npmLog()), []);
    assert.equal(await listening(port), false);
  });

  test("CARDTRAIL_AUTOSTART=1 starts npm start -- --no-open in the background and opens the browser", async () => {
    resetLogs();
    const port = await freePort();
    const started = Date.now();
    const r = developOk(["true"], { CARDTRAIL_AUTOSTART: "1", CARDTRAIL_PORT: String(port), STUB_NPM_SERVE: "1" });
    assert.ok(Date.now() - started < 30_000, "the shell did not wait for the server");
    const pidFile = path.join(work, "node_modules", ".cardtrail-server.pid");
    if (fs.existsSync(pidFile)) serverPids.push(Number(fs.readFileSync(pidFile, "utf8").trim()));
    const url = `http://127.0.0.1:${port}/`;
    for (let i = 0; i < 60 && logLines(openLog()).length === 0; i++) await sleep(250);
    assert.deepEqual(logLines(npmLog()), ["npm start -- --no-open"], describeRun("autostart", r));
    assert.deepEqual(logLines(openLog()), [`xdg-open ${url}`], "browser opened once the server answered");
    assert.equal(await listening(port), true, "the server answers");
  });

  test("CARDTRAIL_UPDATE=1 fast-forwards a clean checkout and leaves a dirty one alone", () => {
    const origin = path.join(scratch, "origin.git");
    const upstream = path.join(scratch, "upstream");
    git(["clone", "-q", "--bare", work, origin], scratch);
    git(["remote", "add", "origin", origin]);
    git(["fetch", "-q", "origin"]);
    git(["branch", "-q", "--set-upstream-to", "origin/main"]);
    git(["clone", "-q", origin, upstream], scratch);
    fs.writeFileSync(path.join(upstream, "UPSTREAM.txt"), "new upstream commit\n");
    git(["add", "UPSTREAM.txt"], upstream);
    git(["commit", "-q", "-m", "upstream change"], upstream);
    git(["push", "-q", "origin", "main"], upstream);
    const before = git(["rev-parse", "HEAD"]);
    const target = git(["rev-parse", "HEAD"], upstream);

    developOk(["true"]); // not asked: no pull
    assert.equal(git(["rev-parse", "HEAD"]), before, "no pull without CARDTRAIL_UPDATE=1");

    fs.appendFileSync(path.join(work, "NOTES.txt"), "local edit\n");
    const dirty = developOk(["true"], { CARDTRAIL_UPDATE: "1" });
    assert.equal(git(["rev-parse", "HEAD"]), before, "dirty work tree: no pull");
    assert.match(dirty.stderr, /local changes/);
    assert.match(fs.readFileSync(path.join(work, "NOTES.txt"), "utf8"), /local edit/, "local edit kept");

    git(["checkout", "--", "NOTES.txt"]);
    developOk(["true"], { CARDTRAIL_UPDATE: "1" });
    assert.equal(git(["rev-parse", "HEAD"]), target, "clean work tree: fast-forwarded");
    assert.ok(fs.existsSync(path.join(work, "UPSTREAM.txt")));
  });

  test("nix develop --command node -e \"require('better-sqlite3')\" works with the project's node_modules", () => {
    const real = path.join(repoRoot, "node_modules");
    assert.ok(
      fs.existsSync(path.join(real, "better-sqlite3")),
      `${real}/better-sqlite3 is missing: run npm ci in the repository first`,
    );
    // Link each installed package into the checkout's node_modules (which
    // holds the marker the hook wrote), so no install is due and nothing in
    // the repository's own node_modules can be touched.
    const own = path.join(work, "node_modules");
    for (const entry of fs.readdirSync(real)) {
      if (entry.startsWith(".cardtrail")) continue;
      fs.rmSync(path.join(own, entry), { recursive: true, force: true });
      fs.symlinkSync(path.join(real, entry), path.join(own, entry));
    }
    resetLogs();
    const r = developOk([
      "node",
      "-e",
      "const Database = require('better-sqlite3'); console.log(new Database(':memory:').prepare('select 41 + 1 as x').get().x)",
    ]);
    assert.equal(r.stdout.trim(), "42", describeRun("require('better-sqlite3')", r));
    assert.deepEqual(logLines(npmLog()), [], "no install when the marker matches");
  });

  test("nix run installs when needed, then runs npm start with the given arguments", () => {
    resetLogs();
    fs.rmSync(marker(), { force: true });
    const args = ["run", ...overrideArgs(), ".", "--", "--example-flag"];
    const first = run("nix", args, { env: { STUB_NPM_FAKE: "1" } });
    assert.equal(first.status, 0, describeRun("nix run", first));
    assert.deepEqual(logLines(npmLog()), ["npm ci", "npm start -- --example-flag"]);

    resetLogs();
    const second = run("nix", args, { env: { STUB_NPM_FAKE: "1" } });
    assert.equal(second.status, 0, describeRun("nix run (again)", second));
    assert.deepEqual(logLines(npmLog()), ["npm start -- --example-flag"], "installed already: only npm start");

    const outside = run("nix", ["run", ...overrideArgs(), work], { cwd: scratch, env: { STUB_NPM_FAKE: "1" } });
    assert.notEqual(outside.status, 0, "nix run outside a checkout fails");
    assert.match(outside.stderr, /Cardtrail checkout/);
  });
});
