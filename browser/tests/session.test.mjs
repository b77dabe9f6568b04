// Sign-in, the home page, and the idle-timeout warning in a real browser.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "./server.mjs";

const shots = process.env.PHOIHOP_SCREENSHOTS; // a folder, to look at the pages by eye

test("a demo user signs in and sees the home page", async () => {
  const s = await startServer({ idleSecs: 900 });
  try {
    await s.signIn("daumoi.syt");
    assert.equal(new URL(s.page.url()).pathname, "/");
    assert.match(await s.page.textContent("#whoami"), /Y Blống/);
    assert.match(await s.page.textContent("#whoami"), /Sở Y tế/);
    assert.equal((await s.page.textContent("#count-agencies")).trim(), "12");
    assert.equal(await s.page.isHidden("#idle-warning"), true);
    if (shots) await s.page.screenshot({ path: `${shots}/home.png`, fullPage: true });
  } finally {
    await s.close();
  }
});

test("the idle warning counts down and 'stay signed in' keeps the session and the typing", async () => {
  const s = await startServer({ idleSecs: 64 });
  try {
    await s.signIn("chuyenvien");
    await s.page.goto(`${s.base}/organisations`);
    await s.page.fill("#q", "Sở Y tế");
    // The warning appears 60 s before the end, here after about 4 s.
    await s.page.waitForSelector("#idle-warning", { state: "visible", timeout: 15000 });
    const first = Number(await s.page.textContent("#idle-countdown"));
    assert.ok(first <= 60 && first > 50, `countdown starts near 60, got ${first}`);
    await s.page.waitForFunction((n) => Number(document.getElementById("idle-countdown").textContent) < n, first, { timeout: 5000 });
    assert.match(await s.page.textContent("#idle-warning"), /Thời gian chờ:/);
    if (shots) await s.page.screenshot({ path: `${shots}/idle-warning.png` });
    await s.page.click("#stay-signed-in");
    await s.page.waitForSelector("#idle-warning", { state: "hidden", timeout: 5000 });
    assert.equal(await s.page.inputValue("#q"), "Sở Y tế", "what was typed is still there");
    const status = await s.page.evaluate(() => fetch("/session/status").then((r) => r.json()));
    assert.equal(status.alive, true);
    assert.ok(status.remaining_ms > 60000, `session extended, ${status.remaining_ms} ms left`);
  } finally {
    await s.close();
  }
});

test("at zero the person lands on the sign-in page, then returns with what they typed", async () => {
  const s = await startServer({ idleSecs: 5 });
  try {
    await s.signIn("admin");
    await s.page.goto(`${s.base}/organisations/new`);
    await s.page.fill("#name", "Sở Công Thương");
    await s.page.fill("#code", "SCT");
    await s.page.waitForURL((u) => u.pathname === "/login" && u.searchParams.get("reason") === "idle", { timeout: 20000 });
    assert.match(await s.page.textContent("#login-notice"), /quá lâu không thao tác/);
    await s.page.fill("#username", "admin");
    await s.page.fill("#password", "demo");
    await Promise.all([s.page.waitForURL((u) => u.pathname === "/organisations/new"), s.page.click("#login-form button[type=submit]")]);
    assert.equal(await s.page.inputValue("#name"), "Sở Công Thương");
    assert.equal(await s.page.inputValue("#code"), "SCT");
    assert.equal(await s.page.isVisible("#draft-restored"), true);
  } finally {
    await s.close();
  }
});
