// Browser smoke test: first-run setup, log in, create a model through the form, find it in
// the filtered list, download the XLSX export, rate a model on a rating sheet, send a crime
// report as a citizen and follow it with the receipt, take it on as the commune officer, form
// a Tổ bảo vệ ANTT and enter its leader.
// Runs Debian's chromium headless.
//
// Usage: ANTQ_URL=http://127.0.0.1:PORT ANTQ_SETUP=<setup link> node smoke.mjs
import { chromium } from "playwright-core";
import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const base = process.env.ANTQ_URL;
const setup = process.env.ANTQ_SETUP;
if (!base || !setup) {
  console.error("ANTQ_URL and ANTQ_SETUP are required");
  process.exit(2);
}
const password = "mat-khau-trinh-duyet-2025";
const modelName = "Camera giám sát ANTT tổ dân phố 12 (trình duyệt)";
const axePath = join(dirname(fileURLToPath(import.meta.url)), "node_modules/axe-core/axe.min.js");
let failures = 0;
let passes = 0;
function check(cond, what) {
  if (cond) { passes++; console.log(`ok - ${what}`); } else { failures++; console.log(`not ok - ${what}`); }
}

// axe-core on the page as it stands: no violation of WCAG 2.1 A/AA.
async function accessible(p, what) {
  await p.addScriptTag({ path: axePath });
  const r = await p.evaluate(async () => await window.axe.run(document, { runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] }));
  const v = r.violations.map((x) => `${x.id}: ${x.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
  check(v.length === 0, `${what} passes axe (${v.join("; ")})`);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"],
});
const context = await browser.newContext({ acceptDownloads: true });
const page = await context.newPage();
const consoleErrors = [];
page.on("console", (m) => { if (m.type() === "error") consoleErrors.push(m.text()); });
try {
  // First-run setup.
  await page.goto(setup);
  await page.fill('input[name="username"]', "quantri");
  await page.fill('input[name="display_name"]', "Quản trị viên");
  await page.selectOption('select[name="unit_code"]', "56");
  await page.fill('input[name="password"]', password);
  await page.fill('input[name="password2"]', password);
  await Promise.all([page.waitForURL(base + "/"), page.click('button[type="submit"]')]);
  check((await page.textContent("main")).includes("Tổng quan phong trào"), "setup logs the administrator in");

  // Log out and in again.
  await Promise.all([page.waitForURL(/\/login/), page.click('header form button[type="submit"]')]);
  await page.fill('input[name="username"]', "quantri");
  await page.fill('input[name="password"]', password);
  await Promise.all([page.waitForURL(base + "/"), page.click('main button[type="submit"]')]);
  check((await page.textContent("header")).includes("Quản trị viên"), "login works");

  // Create a model through the form (the commune list is loaded by htmx).
  await page.goto(base + "/models/new");
  await page.fill('input[name="name"]', modelName);
  await page.selectOption('select[name="type_id"]', { label: "Camera giám sát ANTT" });
  await page.selectOption('form.card select[name="province"]', "56");
  await page.waitForSelector('#commune-code option[value="22333"]', { state: "attached" });
  await page.selectOption("#commune-code", "22333");
  await page.selectOption('select[name="host_org"]', "cong_an");
  await page.fill('input[name="members"]', "14");
  await Promise.all([page.waitForURL(/\/models\/\d+\?saved=1/), page.click("#save-model")]);
  check((await page.textContent("h1")).includes(modelName), "model created through the form");

  // Find it in the filtered list (htmx swaps the results).
  await page.goto(base + "/models");
  await page.fill('input[name="q"]', "trinh duyet");
  await page.waitForFunction(() => document.querySelectorAll("#model-table tbody tr").length === 1);
  check((await page.textContent("#model-table tbody")).includes(modelName), "the filtered list finds it without diacritics");

  // Download the XLSX export of the filtered list.
  await page.goto(base + "/models?q=trinh+duyet");
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export-xlsx")]);
  const dir = mkdtempSync(join(tmpdir(), "antq-"));
  const file = join(dir, download.suggestedFilename());
  await download.saveAs(file);
  check(download.suggestedFilename().endsWith(".xlsx") && statSync(file).size > 1000, "XLSX export downloads");

  // A target of next year set from its form, then shown with its live value.
  const nextYear = new Date().getFullYear() + 1;
  await page.goto(base + `/targets?year=${nextYear}&province=56`);
  await page.selectOption('#target-form select[name="indicator_id"]', { label: "Số camera giám sát ANTT lắp đặt mới trong năm (Số lượng)" });
  await page.fill('#target-form input[name="value"]', "1.500");
  await Promise.all([page.waitForURL(/\/targets\?year=/), page.click('#target-form button[type="submit"]')]);
  check((await page.textContent("#targets-table")).includes("1.500"), "a target is set from its form and listed with its progress");

  // Administration: create an account, then find its creation in the audit trail.
  await page.goto(base + "/admin/users");
  check((await page.textContent("table.matrix")).includes("Xem nhật ký hệ thống"), "the permissions matrix is shown");
  await page.fill('input[name="username"]', "canbo.xa");
  await page.selectOption('select[name="role"]', "commune_officer");
  await page.fill('input[name="unit_code"]', "22333");
  await page.fill('form.form-grid input[name="password"]', "mot-mat-khau-rat-dai-2025");
  await Promise.all([page.waitForURL(/\/admin\/users\/\d+/), page.click('form.form-grid button[type="submit"]')]);
  check((await page.textContent("h1")).includes("canbo.xa"), "an account is created from the administration page");
  await page.goto(base + "/audit?object_type=user");
  check((await page.textContent("main table")).includes("canbo.xa"), "the audit trail shows the new account");

  // Yearly ratings: this year's open demo round; rate one model on a commune's sheet.
  await page.goto(base + "/ratings");
  await Promise.all([page.waitForURL(/\/rating-rounds\/\d+$/), page.click("main table tbody tr:first-child a")]);
  await Promise.all([page.waitForURL(/\/units\/22333$/), page.click('a[href$="/units/22333"]')]);
  const row = page.locator('form.rating-row:has(option[value="kha"])').first();
  await row.locator('select[name="rating"]').selectOption("kha");
  await row.locator('input[type="checkbox"]').first().check();
  await Promise.all([page.waitForURL(/\/units\/22333#t\d+-\d+$/), row.locator('button[type="submit"]').click()]);
  check((await page.locator("#targets .rated").first().textContent()).includes("Khá"), "a rating is saved from the sheet");
  await page.goto(base + "/stats/ratings?year=" + (new Date().getFullYear() - 1));
  check(!(await page.textContent("#pivot tbody")).includes("Chưa có"), "the ratings statistics show an approved year");

  // A citizen without an account sends a tip (communes loaded by htmx), keeps the receipt, follows it.
  const citizen = await browser.newContext();
  const cp = await citizen.newPage();
  cp.on("console", (m) => { if (m.type() === "error") consoleErrors.push(m.text()); });
  await cp.goto(base + "/to-giac");
  await cp.selectOption('select[name="category"]', "ma_tuy");
  await cp.fill('textarea[name="summary"]', "Có nhóm người bán ma túy ở đầu hẻm 12 vào buổi tối (trình duyệt).");
  await cp.selectOption('select[name="province_code"]', "56");
  await cp.waitForSelector('#commune-code option[value="22333"]', { state: "attached" });
  await cp.selectOption("#commune-code", "22333");
  await cp.check('input[name="anonymous"]');
  await Promise.all([cp.waitForSelector("#receipt-secret"), cp.click('#report-form button[type="submit"]')]);
  const code = (await cp.textContent("#receipt-code")).trim();
  const secret = (await cp.textContent("#receipt-secret")).trim();
  check(code.startsWith("TG-") && secret.length === 29, "the citizen gets a receipt code and a secret");
  await cp.goto(base + "/to-giac/tra-cuu");
  await cp.fill('input[name="code"]', code);
  await cp.fill('input[name="secret"]', secret);
  await Promise.all([cp.waitForSelector("#citizen-status"), cp.click('main form button[type="submit"]')]);
  check((await cp.textContent("#citizen-status")).includes("Đã tiếp nhận"), "the receipt shows the status in plain words");
  await citizen.close();

  // The commune officer finds it in the unit's queue with its 24-hour clock and takes it on.
  // CSP bypassed in this context only, so axe-core can be injected.
  const officer = await browser.newContext({ bypassCSP: true });
  const op = await officer.newPage();
  await op.goto(base + "/login");
  await op.fill('input[name="username"]', "canbo.xa");
  await op.fill('input[name="password"]', "mot-mat-khau-rat-dai-2025");
  await Promise.all([op.waitForURL(base + "/"), op.click('main button[type="submit"]')]);
  await op.goto(base + "/reports?q=" + encodeURIComponent(code));
  check((await op.textContent("#report-queue")).includes("còn 23 giờ"), "the queue shows the transfer countdown");
  await Promise.all([op.waitForURL(/\/reports\/\d+$/), op.click("#report-queue tbody a")]);
  await op.click('#steps form:has(input[value="accept"]) button');
  await op.waitForFunction(() => document.querySelector("#report-state")?.textContent.includes("Đang giải quyết"));
  check((await op.textContent("#report-state")).includes("Đang giải quyết"), "the officer takes the report on");

  await op.goto(base + "/models/new");
  check((await op.locator('fieldset.former input[name="former_commune"]').count()) === 1, "the model form takes a former place");
  await accessible(op, "the model form with its former-place section");

  // The same officer forms a Tổ bảo vệ ANTT, establishes it and enters its leader.
  await op.goto(base + "/teams/new");
  await op.fill('input[name="name"]', "Tổ bảo vệ ANTT trình duyệt");
  await op.check('input[name="area_ids"] >> nth=0');
  await Promise.all([op.waitForURL(/\/teams\/\d+/), op.click('main form.card button[type="submit"]')]);
  check((await op.textContent("#team-state")).includes("Dự kiến thành lập"), "a team is created from its form");
  await op.click('#steps details:has(input[value="establish"]) summary');
  await op.fill('#steps details:has(input[value="establish"]) input[name="decision_no"]', "99/QĐ-UBND");
  await op.fill('#steps details:has(input[value="establish"]) input[name="signer"]', "Chủ tịch UBND phường");
  await Promise.all([op.waitForURL(/saved=1/), op.click('#steps details:has(input[value="establish"]) button')]);
  check((await op.textContent("#team-state")).includes("Đã thành lập"), "the team is established by decision");
  await Promise.all([op.waitForURL(/\/members\/new/), op.click("#add-member")]);
  await op.fill('input[name="full_name"]', "Trần Văn Trình Duyệt");
  await op.fill('input[name="born_on"]', "1979-04-30");
  await op.selectOption('select[name="sex"]', "nam");
  await op.fill('input[name="citizen_id"]', "056079123456");
  await op.selectOption('select[name="education"]', "thpt");
  await op.fill('input[name="health_cert_on"]', "2026-01-15");
  await op.fill('input[name="resident_since"]', "2001-01-01");
  await op.selectOption('select[name="role"]', "to_truong");
  await Promise.all([op.waitForURL(/\/members\/\d+/), op.click('main form.card button[type="submit"]')]);
  check((await op.textContent("#citizen-id-masked")) === "••••••••3456", "the citizen id is masked on the member page");
  await Promise.all([op.waitForSelector("#citizen-id"), op.click('#person form button[type="submit"]')]);
  check((await op.textContent("#citizen-id")) === "056079123456", "an officer reads it in full on request");
  await op.goto(base + "/force/alerts");
  check((await op.textContent("main")).includes("Cảnh báo"), "the alerts page answers");

  // The officer records a conference, an opinion tasked to a unit, a commendation proposal,
  // and every page of the movement passes axe.
  // The demo already holds this year's activities: the statistics must grow by exactly 75.
  const participantsTotal = async () => {
    await op.goto(base + "/stats/activities");
    return op.evaluate(() => {
      const heads = [...document.querySelectorAll("#stats-table thead th")].map((th) => th.textContent.trim());
      const cells = document.querySelectorAll("#stats-table tfoot tr > *");
      return Number(cells[heads.indexOf("Lượt người tham dự")].textContent.replace(/\D/g, ""));
    });
  };
  const participantsBefore = await participantsTotal();
  await op.goto(base + "/activities/new");
  await accessible(op, "the activity form");
  await op.selectOption('select[name="kind_id"]', { label: "Hội nghị «Công an lắng nghe ý kiến Nhân dân»" });
  await op.fill('input[name="title"]', "Hội nghị lắng nghe ý kiến trình duyệt");
  await op.fill('input[name="participants"]', "75");
  await Promise.all([op.waitForURL(/\/activities\/\d+$/), op.click('#activity-form button[type="submit"]')]);
  check((await op.textContent("main h1")).includes("Hội nghị lắng nghe ý kiến trình duyệt"), "an activity is recorded from its form");
  await op.fill('#new-opinion input[name="topic"]', "Chiếu sáng");
  await op.fill('#new-opinion textarea[name="content"]', "Đèn đường ngõ 5 hỏng");
  await op.fill('#new-opinion input[name="tasked_unit"]', "UBND phường");
  await op.fill('#new-opinion input[name="due_on"]', "2099-01-01");
  await Promise.all([op.waitForURL(/\/activities\/\d+$/), op.click('#new-opinion button[type="submit"]')]);
  check((await op.textContent("#opinions")).includes("Đèn đường ngõ 5 hỏng"), "an opinion is recorded and waits for its answer");
  await accessible(op, "the activity page");
  for (const [path, what] of [["/activities", "the activity register"], ["/opinions", "the waiting opinions"],
      ["/stats/activities", "the activity statistics"], ["/activity-kinds", "the activity kinds"],
      ["/commendations", "the commendations register"], ["/commendations/proposals", "the medal proposals"],
      ["/stats/commendations", "the commendation statistics"]]) {
    await op.goto(base + path);
    await accessible(op, what);
  }
  const participantsAfter = await participantsTotal();
  check(participantsAfter - participantsBefore === 75, `the statistics count the participants (${participantsBefore} → ${participantsAfter})`);
  // A camera point from its form, then every camera page passes axe.
  await op.goto(base + "/cameras/new");
  await accessible(op, "the camera form");
  await op.fill('input[name="name"]', "Ngã ba chợ trình duyệt");
  await op.fill('input[name="latitude"]', "12,2388");
  await op.fill('input[name="longitude"]', "109,1967");
  await op.selectOption('select[name="watches"]', "cho");
  await op.selectOption('select[name="funding"]', "xa_hoi_hoa");
  await op.fill('input[name="cost_vnd"]', "12.500.000");
  await Promise.all([op.waitForURL(/\/cameras\/\d+$/), op.click('#camera-form button[type="submit"]')]);
  check((await op.textContent("#camera-status")).includes("Hoạt động"), "a camera is recorded from its form");
  await accessible(op, "the camera page");
  for (const [path, what] of [["/cameras", "the camera register"], ["/stats/cameras", "the camera statistics"],
      ["/camera-centres", "the monitoring centres"]]) {
    await op.goto(base + path);
    await accessible(op, what);
  }
  for (const [path, what] of [["/targets", "the commune's targets"], ["/targets/communes", "the communes' progress"],
      ["/target-indicators", "the indicators"]]) {
    await op.goto(base + path);
    await accessible(op, what);
  }
  await op.goto(base + "/targets/communes");
  check((await op.locator("#progress-table tbody tr").count()) === 2, "a commune officer sees the province's line and their own commune's progress");
  await op.goto(base + "/commendations/new");
  await accessible(op, "the commendation form");
  await op.selectOption('select[name="form"]', "giay_khen_ubnd_xa");
  await op.fill('input[name="recipient_name"]', "Tổ dân phố 12");
  await op.fill('textarea[name="reason"]', "Thành tích xuất sắc trong phong trào");
  await Promise.all([op.waitForURL(/\/commendations\/\d+$/), op.click('#commendation-form button[type="submit"]')]);
  check((await op.textContent("main")).includes("Đề xuất"), "a commendation is proposed from its form");
  await accessible(op, "the commendation page");
  await officer.close();

  // The dashboard's charts, the offline map and the official report: drawn under the real
  // content security policy (any violation is a console error), checked with axe in a second
  // session of the administrator (axe is injected inline, so that session bypasses the CSP).
  const analyst = await browser.newContext({ acceptDownloads: true, bypassCSP: true });
  const an = await analyst.newPage();
  await an.goto(base + "/login");
  await an.fill('input[name="username"]', "quantri");
  await an.fill('input[name="password"]', password);
  await Promise.all([an.waitForURL(base + "/"), an.click('main button[type="submit"]')]);
  for (const p of [page, an]) {
    await p.goto(base + "/");
    await p.waitForSelector("figure.chart.drawn canvas");
  }
  check((await page.locator("figure.chart.drawn").count()) >= 3, "the dashboard draws its charts from the tables beside them");
  await accessible(an, "the dashboard with its charts");
  for (const p of [page, an]) {
    await p.goto(base + "/map");
    await p.waitForSelector('#map[data-ready="1"]');
  }
  check((await page.locator("#map path.province").count()) === 34, "the map shows the 34 provinces");
  const labels = await page.locator("#map .archipelago-label").allTextContents();
  check(labels.length === 2 && labels[0].includes("Hoàng Sa") && labels[0].includes("Đà Nẵng") && labels[1].includes("Trường Sa")
    && labels[1].includes("Khánh Hòa"), `the map labels the two archipelagos as Vietnamese territory (${labels.join(" | ")})`);
  check((await page.locator("#map-table tbody tr").count()) === 34, "the table beside the map lists the 34 provinces");
  await page.screenshot({ path: join(dir, "map.png") });
  await accessible(an, "the map of the country");
  for (const p of [page, an]) {
    await p.goto(base + "/map?province=56&kpi=cameras");
    await p.waitForSelector('#map[data-ready="1"]');
  }
  check((await page.locator("#map path.commune").count()) > 50, "a province's communes are points at their centroids");
  check((await page.locator("#map path.camera").count()) > 0, "its cameras with coordinates are points");
  await page.screenshot({ path: join(dir, "map-56.png") });
  await accessible(an, "the map of a province");
  await an.goto(base + "/pivot?source=models&rows=commune&cols=type");
  check((await an.locator("#pivot-table tbody tr").count()) > 10, "the pivot lists the communes by model type");
  await accessible(an, "the pivot table");
  await an.goto(base + "/official-reports?province=56&year=2025&kind=6t");
  await accessible(an, "the official report page");
  const [pdf] = await Promise.all([an.waitForEvent("download"), an.click("#official-pdf")]);
  check(statSync(await pdf.path()).size > 10000, "the report downloads as a PDF");
  await Promise.all([an.waitForURL(/\/official-reports\/\d+$/), an.click("#official-draft")]);
  await accessible(an, "a draft report");
  await an.fill('textarea[name="assessment"]', "Đánh giá từ trình duyệt");
  await Promise.all([an.waitForURL(/\/official-reports\/\d+$/), an.click('#official-form button[type="submit"]')]);
  await Promise.all([an.waitForURL(/\/official-reports\/\d+$/), an.click("#official-issue")]);
  check((await an.textContent("#official-state")).includes("Đã ban hành"), "a draft is issued from its page");
  await accessible(an, "an issued report");
  // The map's history: a former name found by search, the former unit, a current unit's
  // lineage, the pivot as of a day before 1 July 2025.
  await an.goto(base + "/units?q=vinh+luong");
  check((await an.locator('#results a[href="/units/former/truoc_2025/commune/22384"]').count()) === 1, "search finds a former commune");
  await accessible(an, "the unit search with former names");
  await an.goto(base + "/units/former/truoc_2025/commune/22384");
  check((await an.textContent("#became ~ table")).includes("Bắc Nha Trang"), "a former commune names what it became");
  await accessible(an, "a former commune");
  await an.goto(base + "/units/former/truoc_2025/district/568");
  await accessible(an, "a former district with its communes");
  await an.goto(base + "/units/22333");
  check((await an.locator("#came-from ~ table tbody tr").count()) > 3, "a current ward lists what it came from");
  await accessible(an, "a current unit with its lineage");
  await an.goto(base + "/pivot?source=ratings&as_of=2024-06-30&province=56");
  await accessible(an, "a pivot as of a former day");
  await an.goto(base + "/stats/ratings?year=2023&by=legacy_province");
  check((await an.locator("#legacy-help").count()) === 1, "ratings of 2023 by former province");
  await accessible(an, "ratings by former province");
  await an.goto(base + "/stats/former?year=2023");
  check((await an.locator("#stats-table tbody tr").count()) > 1, "the movement of 2023 by former province");
  await accessible(an, "statistics by the former map");
  // The next change of the map: a table checked (nothing written), saved as pending, refused
  // before its day, cancelled.
  await an.goto(base + "/admin/unit-changes");
  await accessible(an, "the page of changes of the map");
  const table = "Cấp,Mã hiện tại,Mã mới,Tên mới,Loại,Tỉnh mới,Hình thức,Tỷ lệ (‰),Mặc định\nxã,22333,22333,Bắc Nha Trang Mới,,,Đổi tên,,\n";
  await an.fill('input[name="generation"]', "smoke2099");
  await an.fill('input[name="name"]', "Bản đồ thử");
  await an.fill('input[name="legal_basis"]', "1/NQ-THU");
  await an.fill('input[name="effective_on"]', "2099-01-01");
  await an.setInputFiles('input[name="file"]', { name: "bang.csv", mimeType: "text/csv", buffer: Buffer.from(table) });
  await an.click('button[value="check"]');
  await an.waitForSelector("#change-check");
  check((await an.textContent("#change-check")).includes("1"), "a change table is checked from the page");
  await accessible(an, "a checked change table");
  await an.setInputFiles('input[name="file"]', { name: "bang.csv", mimeType: "text/csv", buffer: Buffer.from(table) });
  await Promise.all([an.waitForURL(/\/admin\/unit-changes\/\d+/), an.click('button[value="save"]')]);
  check((await an.locator("#blocked").count()) === 1, "a saved table waits for its day");
  await accessible(an, "a pending change table");
  an.once("dialog", (d) => d.accept());
  await Promise.all([an.waitForURL(/\/admin\/unit-changes\/\d+\?done=cancelled/), an.click("#change-cancel")]);
  check((await an.textContent("#change-state")).includes("Đã hủy"), "a pending table is cancelled from its page");
  await analyst.close();

  await page.screenshot({ path: join(dir, "models.png"), fullPage: true });
  console.log(`screenshot: ${join(dir, "models.png")}`);
  check(consoleErrors.length === 0, `no console errors (${consoleErrors.join("; ")})`);
} catch (e) {
  failures++;
  console.log(`not ok - ${e.message}`);
} finally {
  await browser.close();
}
console.log(`${passes} passed, ${failures} failed`);
process.exit(failures === 0 ? 0 : 1);
