// End-to-end and accessibility checks of the dashboard in a real Chromium.
//
// node e2e.mjs BASE_URL PASSWORD EXPECTED_JSON [SCREENSHOT_DIR [ROLES_PASSWORD]]
//
// Logs in as `admin`, opens every page, runs axe-core's WCAG 2.2 A and AA
// rules on each, uses the date filter, and checks figures on the pages
// against the engine's (EXPECTED_JSON: `sightline indicators --format json`
// for the 12 months to the date used). Then, as a user of each role (`hr`,
// `manager`, `analyst`, `member`, and `admin` again; ROLES_PASSWORD is
// theirs), opens every page their navigation offers at 1366 and 390 pixels
// wide: no page may scroll sideways, axe finds nothing, and a screenshot
// of each is kept in SCREENSHOT_DIR. Exits non-zero with the reasons on
// any failure.

import { chromium } from "playwright-core";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const [base, password, expectedJson, shots, rolesPassword] = process.argv.slice(2);
const expected = JSON.parse(expectedJson);
const here = dirname(fileURLToPath(import.meta.url));
const axeSource = readFileSync(join(here, "node_modules/axe-core/axe.min.js"), "utf8");
const date = expected.time_period === 2025 ? "2025-09-30" : expected.period_end;
const failures = [];
const fail = (what) => {
  failures.push(what);
  console.error("FAIL: " + what);
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-dev-shm-usage"],
});
try {
  const page = await browser.newPage();
  // The pages run under their Content Security Policy: anything it blocks is a failure.
  page.on("console", (msg) => {
    if (msg.type() === "error" && msg.text().includes("Content Security Policy")) fail(`blocked by the CSP on ${page.url()}: ${msg.text().slice(0, 80)}`);
  });

  // Not logged in: every page sends you to the login page.
  await page.goto(`${base}/teams`);
  if (!page.url().includes("/login")) fail(`an unauthenticated visit to /teams ended at ${page.url()}`);
  await checkAccessibility(page, "login");

  // Log in through the form; we come back to the page asked for.
  await page.getByLabel("User name").fill("admin");
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL(`${base}/teams`);

  for (const path of ["/", "/teams", "/turnover", "/absence", "/agency", "/people", "/data", "/audit", "/benchmark", "/report", "/forecast"]) {
    const response = await page.goto(`${base}${path}?date=${date}`);
    if (response.status() !== 200) fail(`${path} answered ${response.status()}`);
    await checkAccessibility(page, path);
  }

  // A person's history, from the People list.
  await page.goto(`${base}/people`);
  await page.locator("table a").first().click();
  await page.waitForURL(/\/people\/.+/);
  await checkAccessibility(page, "a person's history");

  // The date is typed as day, month and year (the GOV.UK date input), and
  // lives in the URL, so a view can be shared.
  await page.goto(`${base}/`);
  const [year, month, day] = date.split("-");
  const when = page.getByRole("group", { name: "Figures as at" });
  await when.getByLabel("Day").fill(String(Number(day)));
  await when.getByLabel("Month").fill(String(Number(month)));
  await when.getByLabel("Year").fill(year);
  await page.getByRole("button", { name: "Show" }).click();
  await page.waitForURL((url) => url.searchParams.get("year") === year && url.searchParams.get("day") === String(Number(day)));
  // A date that is not one is said, not guessed.
  await page.goto(`${base}/?day=31&month=9&year=2025`);
  if (!(await page.getByText("must be a real date").isVisible())) fail("31 September was not refused in words");
  await page.goto(`${base}/?date=${date}`);
  // One team's figures, chosen from the list, also live in the URL.
  await page.getByLabel("Team").selectOption({ index: 1 });
  await page.getByRole("button", { name: "Show" }).click();
  await page.waitForURL((url) => (url.searchParams.get("team") || "") !== "");
  await checkAccessibility(page, "overview for one team");
  await page.goto(`${base}/?date=${date}`);

  // Figures on the page are the engine's.
  const cell = async (label) => {
    const row = page.getByRole("row", { name: new RegExp("^" + label.replace(/[()%]/g, "\\$&")) });
    return (await row.getByRole("cell").first().textContent()).trim();
  };
  const oneDecimal = (v) => (v === null ? "-" : v.toFixed(1));
  const checks = [
    ["Turnover rate (FTE) %", oneDecimal(expected.turnover_rate_fte)],
    ["Agency rate (FTE) %", oneDecimal(expected.agency_rate_fte)],
    ["Vacancy rate (FTE) %", oneDecimal(expected.vacancy_rate_fte)],
    ["Social workers in post (headcount)", String(expected.inpost_headcount)],
  ];
  for (const [label, want] of checks) {
    const got = await cell(label);
    if (got !== want) fail(`overview ${label}: page shows ${got}, the engine gives ${want}`);
  }

  // Charts have a title and description, and a table alternative.
  const svg = page.locator("figure.chart svg[role=img]").first();
  if ((await svg.getAttribute("aria-labelledby")) === null) fail("the overview chart has no accessible name");

  // The forecast: a scenario chosen from the list, beside the baseline, as fan charts.
  await page.goto(`${base}/forecast`);
  await page.getByLabel("Scenario").selectOption({ index: 1 });
  await page.getByRole("button", { name: "Show" }).click();
  await page.waitForURL((url) => (url.searchParams.get("scenario") || "") !== "");
  const fans = await page.locator(".side-by-side figure.chart > svg[role=img]").count();
  if (fans !== 8) fail(`the forecast shows ${fans} fan charts, not 4 for each side`);
  if (shots) await page.screenshot({ path: join(shots, "forecast.png"), fullPage: true });
  await checkAccessibility(page, "the forecast with a scenario");

  // The committee report, made from the dashboard: the HTML opens with its
  // charts drawn (a screenshot is kept), and passes axe; the spreadsheet
  // and the Word document download.
  await page.goto(`${base}/report`);
  await page.getByLabel("From", { exact: true }).fill("2024-10-01");
  await page.getByLabel("To", { exact: true }).fill(date);
  await page.getByRole("button", { name: "Make the report" }).click();
  await page.waitForURL(/\/report\/make/);
  const charts = page.locator("figure.chart > svg[role=img]");
  const drawn = await charts.count();
  if (drawn < 2) fail(`the report shows ${drawn} charts, not at least 2 (rolling turnover, sickness)`);
  for (let i = 0; i < drawn; i++) {
    const box = await charts.nth(i).boundingBox();
    const marks = await charts.nth(i).locator("path, rect").count();
    if (!box || box.width < 300 || box.height < 50 || marks < 1) {
      fail(`report chart ${i} is not drawn: ${JSON.stringify(box)}, ${marks} marks`);
    }
  }
  if ((await page.locator("table").count()) < 10) fail("the report has fewer than 10 tables");
  if (shots) await page.screenshot({ path: join(shots, "report.png"), fullPage: true });
  await checkAccessibility(page, "the committee report");
  for (const [label, extension] of [[/Spreadsheet/, ".xlsx"], [/Word document/, ".docx"]]) {
    await page.goto(`${base}/report`);
    await page.getByLabel(label).check();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Make the report" }).click(),
    ]);
    const file = await download.path();
    const magic = readFileSync(file).subarray(0, 2).toString("latin1");
    if (!download.suggestedFilename().endsWith(extension) || magic !== "PK") {
      fail(`the ${extension} report downloaded as ${download.suggestedFilename()} starting ${magic}`);
    }
  }

  // Logging out ends the session.
  await page.getByRole("button", { name: "Log out" }).click();
  await page.waitForURL(`${base}/login`);
  await page.goto(`${base}/`);
  if (!page.url().includes("/login")) fail("after logging out, the overview was still shown");

  // Every role, every page of its navigation, on a desktop and a phone.
  if (rolesPassword) {
    for (const user of ["admin", "hr", "manager", "analyst", "member"]) {
      const context = await browser.newContext();
      const p = await context.newPage();
      await p.goto(`${base}/login`);
      await p.getByLabel("User name").fill(user);
      await p.getByLabel("Password").fill(user === "admin" ? password : rolesPassword);
      await p.getByRole("button", { name: "Log in" }).click();
      await p.waitForURL((url) => !url.pathname.startsWith("/login"));
      const paths = await p.locator("nav.site-nav ul.menu-wide a").evaluateAll((links) => links.map((a) => a.getAttribute("href")));
      if (paths.length < 8) fail(`${user}: the navigation offers only ${paths.join(" ")}`);
      if (user === "manager" || user === "hr") {
        paths.push(await firstPerson(p));
      }
      for (const width of [1366, 390]) {
        await p.setViewportSize({ width, height: width === 390 ? 844 : 900 });
        for (const path of paths) {
          if (!path) continue;
          const response = await p.goto(`${base}${path}`);
          if (response.status() !== 200) fail(`${user} ${path} at ${width}px answered ${response.status()}`);
          const wide = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
          if (wide > 0) fail(`${user} ${path} at ${width}px scrolls sideways by ${wide}px`);
          if (width === 390) {
            const menu = p.locator("details.menu-narrow");
            if (!(await menu.isVisible())) fail(`${user} ${path} at 390px has no Menu to open`);
            if (await p.locator("ul.menu-wide").isVisible()) fail(`${user} ${path} at 390px shows the whole navigation, not a Menu`);
          }
          await checkAccessibility(p, `${user} ${path} at ${width}px`);
          if (shots) {
            const name = `${user}${path.replace(/[^a-z0-9]+/gi, "-")}-${width}.png`.replace("--", "-");
            await p.screenshot({ path: join(shots, name), fullPage: true });
          }
        }
      }
      await context.close();
    }
  }
} finally {
  await browser.close();
}

// The first person the People list offers, as a path.
async function firstPerson(p) {
  await p.goto(`${base}/people`);
  const link = p.locator("main table a").first();
  return (await link.count()) > 0 ? await link.getAttribute("href") : null;
}

async function checkAccessibility(page, name) {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern.
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] } }),
  );
  for (const v of result.violations) {
    fail(`${name}: ${v.id} (${v.impact}): ${v.help}; ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
  }
}

if (failures.length > 0) {
  console.error(`${failures.length} failure(s)`);
  process.exit(1);
}
console.log("browser checks passed");
