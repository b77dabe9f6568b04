// The generic case forms in a real browser: an incident answered by an orientation, a
// collaborator's monthly report returned, and a complaint letter flagged as escalated.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "./server.mjs";

const shots = process.env.PHOIHOP_SCREENSHOTS;

// Signs out (by forgetting the session cookie) and signs in as `username`.
async function switchTo(s, username) {
  await s.page.context().clearCookies();
  await s.signIn(username);
}

async function openCase(s, number) {
  await s.page.goto(`${s.base}/cases/${number}`);
}

async function state(s) {
  return (await s.page.textContent("#case-state")).trim();
}

// Fills the action form `#action-<action>` (inputs by id, e.g. "note" is #<action>-note)
// and submits it; the page comes back to the case.
async function act(s, action, fields = {}) {
  const form = s.page.locator(`#action-${action}`);
  for (const [name, value] of Object.entries(fields)) {
    await form.locator(`#${action}-${name}`).fill(value);
  }
  await Promise.all([s.page.waitForNavigation(), form.locator("button[type=submit]").click()]);
}

// Submits the new-case form and returns the new case's number (from the address it lands on).
async function submitNew(s) {
  await Promise.all([s.page.waitForNavigation(), s.page.click("#case-form button[type=submit]")]);
  return decodeURIComponent(new URL(s.page.url()).pathname.replace("/cases/", ""));
}

// Today as the app counts it (Vietnam, UTC+7), dd/mm/yyyy.
function todayVn() {
  const d = new Date(Date.now() + 7 * 3600 * 1000);
  const two = (n) => String(n).padStart(2, "0");
  return `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
}

test("an incident is reported, asked about, concluded and answered by an orientation", async () => {
  const s = await startServer({ idleSecs: 900 });
  try {
    await s.signIn("daumoi.syt");
    await s.page.goto(`${s.base}/cases/new?kind=incident`);
    await s.page.fill("#title", "Tin đồn thất thiệt về vắc xin tại xã Đăk Hà");
    await s.page.fill("#body", "Trên mạng xã hội lan truyền tin vắc xin gây tử vong, người dân hoang mang.");
    const incident = await submitNew(s);
    assert.match(incident, /^VV-/);
    assert.equal(await state(s), "Mới báo cáo");

    await switchTo(s, "chuyenvien");
    await openCase(s, incident);
    await act(s, "acknowledge");
    assert.equal(await state(s), "Đã tiếp nhận");
    await act(s, "request_info", { note: "Đề nghị cho biết số người tiêm và tình hình sức khỏe." });
    assert.equal(await state(s), "Đang yêu cầu thông tin");

    await switchTo(s, "daumoi.syt");
    await openCase(s, incident);
    await act(s, "provide_info", { note: "Đã tiêm 120 người, không có ca phản ứng nặng." });
    assert.equal(await state(s), "Đã cung cấp thông tin");
    // Concluding needs a document first: the page says so, and has the upload form.
    assert.match(await s.page.textContent("#action-conclude"), /Cần đính kèm văn bản/);
    await s.page.setInputFiles("#attachment-file", {
      name: "bao-cao-kiem-tra.txt",
      mimeType: "text/plain",
      buffer: Buffer.from("Báo cáo kết quả kiểm tra: thông tin sai sự thật.\n"),
    });
    await Promise.all([s.page.waitForNavigation(), s.page.click("#attachment-form button[type=submit]")]);
    assert.match(await s.page.textContent("#attachment-list"), /bao-cao-kiem-tra\.txt/);
    await act(s, "conclude", { conclusion: "Thông tin sai sự thật; đã cải chính trên trang của Sở." });
    assert.equal(await state(s), "Đã có kết luận");

    await switchTo(s, "chuyenvien");
    await s.page.goto(`${s.base}/cases/new?kind=orientation`);
    await s.page.fill("#title", "Định hướng thông tin về an toàn tiêm chủng");
    await s.page.fill("#body", "Khẳng định vắc xin an toàn; đề nghị các cơ quan tuyên truyền đúng thông tin.");
    await s.page.fill("#incidents", incident);
    const orientation = await submitNew(s);
    assert.match(orientation, /^DH-/);
    assert.equal(await state(s), "Đang soạn");
    assert.match(await s.page.textContent("#case-links"), new RegExp(incident));
    await act(s, "submit");
    assert.equal(await state(s), "Chờ duyệt");

    await switchTo(s, "lanhdao");
    await openCase(s, orientation);
    await act(s, "approve");
    assert.equal(await state(s), "Đã duyệt");

    await switchTo(s, "chuyenvien");
    await openCase(s, orientation);
    const recipients = s.page.locator("#send-recipients");
    await recipients.getByLabel("Sở Y tế", { exact: true }).check();
    await recipients.getByLabel(/Sở Giáo dục/).check();
    await act(s, "send");
    assert.equal(await state(s), "Đã gửi");
    assert.equal(await s.page.locator("#recipients li").count(), 2);

    await switchTo(s, "daumoi.syt");
    await openCase(s, orientation);
    await act(s, "acknowledge_receipt");
    assert.equal(await state(s), "Đã gửi", "one of two has acknowledged");

    await switchTo(s, "daumoi.sgddt");
    await openCase(s, orientation);
    await act(s, "acknowledge_receipt");
    assert.equal(await state(s), "Các cơ quan đã nhận");
    assert.doesNotMatch(await s.page.textContent("#recipients"), /chưa xác nhận/);
    if (shots) await s.page.screenshot({ path: `${shots}/orientation-received.png`, fullPage: true });

    await switchTo(s, "chuyenvien");
    await openCase(s, incident);
    assert.equal(await state(s), "Đã định hướng tuyên truyền");
    if (shots) await s.page.screenshot({ path: `${shots}/incident-oriented.png`, fullPage: true });
  } finally {
    await s.close();
  }
});

test("a collaborator files last month's report with two topics, and it is returned with a reason", async () => {
  const s = await startServer({ idleSecs: 900 });
  try {
    await s.signIn("congtacvien");
    await s.page.goto(`${s.base}/cases`);
    const numbers = await s.page.locator("#cases tbody tr td:first-child code").allTextContents();
    assert.ok(numbers.length > 0, "the collaborator has reports");
    for (const n of numbers) assert.match(n, /^DL-/, `only their own reports: ${n}`);
    const waiting = s.page.locator("#cases tbody tr", { hasText: "Chờ gửi báo cáo" }).first();
    const report = (await waiting.locator("td:first-child code").textContent()).trim();
    await Promise.all([s.page.waitForNavigation(), waiting.locator("td:first-child a").click()]);
    assert.equal(await state(s), "Chờ gửi báo cáo");

    const form = s.page.locator("#action-submit");
    const rows = form.locator("table.rows tbody tr");
    if ((await rows.count()) < 2) await form.locator("[data-add-row]").click();
    assert.ok((await rows.count()) >= 2);
    // Each row: a topic, one of the localities this collaborator covers, an attitude.
    const topics = [
      ["Người dân quan tâm giá phân bón tăng", "Xã Ia Chim", "concerned"],
      ["Ủng hộ làm đường liên thôn", "Xã Sa Thầy", "supportive"],
    ];
    for (const [i, [topic, locality, attitude]] of topics.entries()) {
      await s.page.fill(`#submit-topics-${i}-topic`, topic);
      await s.page.selectOption(`#submit-topics-${i}-locality`, { label: locality });
      await s.page.selectOption(`#submit-topics-${i}-attitude`, attitude);
    }
    await act(s, "submit");
    assert.equal(await state(s), "Đã gửi");
    for (const [topic] of topics) assert.match(await s.page.textContent("body"), new RegExp(topic));

    await switchTo(s, "chuyenvien");
    await openCase(s, report);
    // An empty reason is refused at the field, in Vietnamese, and the page still works.
    const [response] = await Promise.all([s.page.waitForNavigation(), s.page.click("#action-return button[type=submit]")]);
    assert.ok(response === null || response.status() < 500, "no server error");
    assert.equal(await state(s), "Đã gửi");
    const error = (await s.page.locator("#action-return .field-error").first().textContent()).trim();
    assert.match(error, /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/i, `a Vietnamese message: ${error}`);
    await act(s, "return", { note: "Thiếu số liệu cụ thể ở vấn đề thứ hai, đề nghị bổ sung." });
    assert.equal(await state(s), "Bị trả lại");

    await switchTo(s, "congtacvien");
    await openCase(s, report);
    assert.equal(await state(s), "Bị trả lại");
    const timeline = await s.page.textContent("#timeline");
    assert.match(timeline, /Trả lại báo cáo/);
    assert.match(timeline, /Thiếu số liệu cụ thể ở vấn đề thứ hai/);
    if (shots) await s.page.screenshot({ path: `${shots}/report-returned.png`, fullPage: true });
  } finally {
    await s.close();
  }
});

test("a letter to the province about the same dispute is flagged as escalated past the commune", async () => {
  const s = await startServer({ idleSecs: 900 });
  const title = "Tranh chấp đất rẫy giáp ranh với hộ ông Lê Văn Sáu";
  const body = "Hộ ông Lê Văn Sáu lấn chiếm khoảng 500 m2 đất rẫy của gia đình tại thôn 3, đề nghị giải quyết.";
  try {
    await s.signIn("chuyenvien");
    await s.page.goto(`${s.base}/cases/new?kind=complaint`);
    await s.page.fill("#title", title);
    await s.page.fill("#body", body);
    await s.page.selectOption("#letter_type", { label: "Khiếu nại" });
    await s.page.selectOption("#level", { label: "Cấp xã" });
    await s.page.selectOption("#handling_org", { label: "Ủy ban nhân dân xã Đăk Hà" });
    await s.page.fill("#received_on", todayVn());
    await s.page.fill("#complainants-0-name", "Nguyễn Văn Bình");
    await s.page.fill("#complainants-0-address", "Thôn 3, xã Đăk Hà");
    await s.page.fill("#complainants-0-phone", "0905123456");
    const first = await submitNew(s);
    assert.match(first, /^DT-/);
    assert.equal(await state(s), "Đã vào sổ");
    assert.equal(await s.page.locator("#fact-escalated_from").count(), 0, "the first letter is not flagged");

    await s.page.goto(`${s.base}/cases/new?kind=complaint`);
    await s.page.fill("#title", title);
    await s.page.fill("#body", body);
    await s.page.selectOption("#letter_type", { label: "Khiếu nại" });
    await s.page.selectOption("#level", { label: "Cấp tỉnh" });
    await s.page.selectOption("#handling_org", { label: "Ủy ban nhân dân tỉnh" });
    await s.page.fill("#received_on", todayVn());
    await s.page.fill("#complainants-0-name", "Nguyen Van Binh");
    await s.page.fill("#complainants-0-address", "thon 3 Dak Ha");
    await s.page.fill("#complainants-0-phone", "0905 123 456");
    const second = await submitNew(s);
    assert.match(second, /^DT-/);
    assert.notEqual(second, first);
    const flag = s.page.locator("#fact-escalated_from a");
    assert.equal((await flag.textContent()).trim(), first);
    assert.equal(await flag.getAttribute("href"), `/cases/${first}`);
    if (shots) await s.page.screenshot({ path: `${shots}/complaint-escalated.png`, fullPage: true });

    await openCase(s, first);
    assert.equal(await s.page.locator("#fact-escalated_from").count(), 0, "still not flagged");

    // No address, phone or e-mail: refused at the sender row, what was typed kept.
    await s.page.goto(`${s.base}/cases/new?kind=complaint`);
    await s.page.fill("#title", "Phản ánh tiếng ồn karaoke ban đêm");
    await s.page.fill("#body", "Quán karaoke hát đến khuya, ảnh hưởng giấc ngủ.");
    await s.page.selectOption("#letter_type", { label: "Phản ánh" });
    await s.page.selectOption("#level", { label: "Cấp xã" });
    await s.page.selectOption("#handling_org", { label: "Ủy ban nhân dân xã Đăk Hà" });
    await s.page.fill("#received_on", todayVn());
    await s.page.fill("#complainants-0-name", "Trần Thị Hoa");
    await Promise.all([s.page.waitForNavigation(), s.page.click("#case-form button[type=submit]")]);
    assert.equal(new URL(s.page.url()).pathname.startsWith("/cases/DT-"), false, "not registered");
    const row = s.page.locator("#complainants tbody tr").first();
    assert.match(await row.textContent(), /Cần ít nhất một cách để trả lời người gửi đơn/);
    assert.equal(await s.page.inputValue("#complainants-0-name"), "Trần Thị Hoa");
    assert.equal(await s.page.inputValue("#title"), "Phản ánh tiếng ồn karaoke ban đêm");
    assert.equal(await s.page.inputValue("#received_on"), todayVn());
    if (shots) await s.page.screenshot({ path: `${shots}/complaint-refused.png`, fullPage: true });
  } finally {
    await s.close();
  }
});
