// Starts a real `phoihop serve --demo` on a free port in a fresh data folder and a
// headless Debian Chromium; both are stopped by the returned `close()`.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";

const BIN = process.env.PHOIHOP_BIN || resolve(import.meta.dirname, "../../target/debug/phoihop");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

export async function startServer({ idleSecs }) {
  const data = mkdtempSync(join(tmpdir(), "phoihop-browser-"));
  const env = { ...process.env, PHOIHOP_SESSION_IDLE_SECS: String(idleSecs), PHOIHOP_SQLITE_SYNCHRONOUS: "NORMAL" };
  delete env.PHOIHOP_TEST_DATABASE_URL;
  const child = spawn(BIN, ["serve", "--demo", "--data", data, "--listen", "127.0.0.1:0"], { env });
  let output = "";
  const base = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error("server did not start:\n" + output)), 30000);
    const read = (chunk) => {
      output += chunk;
      const found = output.match(/http:\/\/127\.0\.0\.1:\d+/);
      if (found) { clearTimeout(timer); ok(found[0]); }
    };
    child.stdout.on("data", read);
    child.stderr.on("data", read);
    child.on("exit", (code) => { clearTimeout(timer); fail(new Error(`server exited ${code}:\n${output}`)); });
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  return {
    base,
    page,
    async signIn(username) {
      await page.goto(`${base}/login`);
      await page.fill("#username", username);
      await page.fill("#password", "demo");
      await Promise.all([page.waitForURL((u) => !u.pathname.startsWith("/login")), page.click("#login-form button[type=submit]")]);
    },
    async close() {
      await browser.close();
      child.removeAllListeners("exit");
      child.kill("SIGTERM");
      await new Promise((ok) => { child.once("exit", ok); setTimeout(ok, 5000); });
      rmSync(data, { recursive: true, force: true });
    },
  };
}
