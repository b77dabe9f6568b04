// Search in a real browser: typed without diacritics, narrowed by a facet, on a phone.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "./server.mjs";

const shots = process.env.PHOIHOP_SCREENSHOTS;

test("a specialist finds the Ia Chim case typing without diacritics, then narrows by a facet", async () => {
  const s = await startServer({ idleSecs: 900 });
  try {
    await s.signIn("chuyenvien");
    await s.page.click("nav a[href='/search']");
    await s.page.fill("#q", "dat dai ia chim");
    await Promise.all([s.page.waitForURL((u) => u.pathname === "/search" && u.searchParams.get("q") === "dat dai ia chim"),
      s.page.click("#search-form button[type=submit]")]);
    // The index is built in the background at start: wait for it by reloading.
    for (let i = 0; i < 20 && !(await s.page.isVisible("#results")); i++) {
      await new Promise((r) => setTimeout(r, 500));
      await s.page.reload();
    }
    const first = s.page.locator("#results li").first();
    assert.match(await first.textContent(), /Tranh chấp đất đai (ở|tại) xã Ia Chim/);
    assert.equal(await first.locator("a.title mark").first().textContent(), "đất đai");
    assert.equal(await s.page.inputValue("#q"), "dat dai ia chim", "the query stays in the box");
    if (shots) await s.page.screenshot({ path: `${shots}/search.png`, fullPage: true });
    // Narrow to a year: every result then carries it, and the filter can be removed.
    const year = s.page.locator("[data-facet=year] li a").first();
    const label = (await year.textContent()).trim();
    await Promise.all([s.page.waitForURL((u) => u.searchParams.get("year") === label), year.click()]);
    for (const meta of await s.page.locator("#results .meta").allTextContents()) {
      assert.match(meta, new RegExp(`/${label} `));
    }
    await s.page.setViewportSize({ width: 390, height: 800 });
    const box = await s.page.locator("#q").boundingBox();
    assert.ok(box && box.width > 200, "the search box fits a phone");
  } finally {
    await s.close();
  }
});
