// Drives the demo widget page in Debian's headless Chromium with playwright-core, one command at
// a time: a JSON command per line on stdin, a line "REPLY {json}" on stdout for each. Anything
// the page logs is printed as "PAGE ...". Runs until "close" or EOF.
//
//   node widget-driver.mjs <page url>
//
// Commands: {"cmd":"start","nickname":..,"subject":..}  {"cmd":"send","text":..}
//           {"cmd":"waitFor","text":..}  {"cmd":"state"}  {"cmd":"screenshot","path":..}
//           {"cmd":"close"}
// Generic ones (any page, e.g. the dashboard): {"cmd":"viewport","width":..,"height":..}
//           {"cmd":"waitForSelector","selector":..}  {"cmd":"texts","selector":..}
//           {"cmd":"fill","selector":..,"value":..}  {"cmd":"click","selector":..}
//           {"cmd":"press","selector":..,"key":..}  {"cmd":"select","selector":..,"value":..}
//           {"cmd":"eval","expression":..} (the value of a page expression, as "value")
//           {"cmd":"routeWebSockets","url":..} (the page's WebSockets to url, a glob, go through
//           the driver from now on)  {"cmd":"dropWebSockets"} (closes them, code 1012, and
//           refuses new ones)  {"cmd":"releaseWebSockets"} (lets new ones through again)
// Used by WidgetBrowserIT, DashboardBrowserIT and DesktopBrowserIT (the agent desktop).
// Every command may carry "timeoutMs" (default 60000).
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const url = process.argv[2];
if (!url) {
  console.error('usage: node widget-driver.mjs <page url>');
  process.exit(2);
}
const profile = mkdtempSync(join(tmpdir(), 'hachat-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  viewport: { width: 520, height: 800 },
  args: [
    '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
});
const page = context.pages()[0] ?? (await context.newPage());
page.on('console', (m) => console.log(`PAGE ${m.type()}: ${m.text()}`));
page.on('pageerror', (e) => console.log(`PAGE error: ${e.message}`));
await page.goto(url);

const reply = (o) => console.log('REPLY ' + JSON.stringify(o));

// WebSockets routed through the driver (routeWebSockets), to cut them like a network fault would.
const sockets = new Set();
let refusing = false;
async function routeWebSockets(glob) {
  await page.routeWebSocket(glob, (ws) => {
    if (refusing) {
      ws.close({ code: 1013, reason: 'the test cuts this connection' });
      return;
    }
    const server = ws.connectToServer();
    const pair = { ws, server };
    sockets.add(pair);
    // forward each side's close code (4009 matters to the page), as far as close() takes it
    const pass = (code, reason) =>
      (code === 1000 || (code >= 3000 && code <= 4999) ? { code, reason } : {});
    ws.onClose((code, reason) => { sockets.delete(pair); server.close(pass(code, reason)); });
    server.onClose((code, reason) => { sockets.delete(pair); ws.close(pass(code, reason)); });
  });
}

/** What a person sees, read off the DOM, plus the widget's own counters. */
function state() {
  return page.evaluate(() => {
    const w = window.hachatWidget;
    const c = w.chat();
    return {
      chatId: c && c.id,
      alias: c && c.alias,
      status: document.getElementById('status').textContent,
      statusState: document.getElementById('status').dataset.state,
      stats: w.stats,
      transcript: [...document.querySelectorAll('#transcript li')].map((li) => ({
        index: li.dataset.index === undefined ? null : Number(li.dataset.index),
        kind: li.className,
        who: li.querySelector('.who')?.textContent ?? null,
        text: li.querySelector('.text')?.textContent ?? li.textContent,
      })),
    };
  });
}

async function run(c) {
  const timeout = c.timeoutMs ?? 60000;
  switch (c.cmd) {
    case 'start':
      await page.fill('#nickname', c.nickname);
      await page.fill('#subject', c.subject ?? '');
      await page.click('#start');
      await page.waitForSelector('#chat:not([hidden])', { timeout });
      return state();
    case 'send': {
      const started = Date.now();
      await page.fill('#message', c.text);
      await page.press('#message', 'Enter');
      // delivered = acknowledged by the server, placed at its transcript index
      await page.waitForFunction(
        (t) => [...document.querySelectorAll('#transcript li.msg.client')].some(
          (li) => li.querySelector('.text').textContent === t
            && !li.classList.contains('pending') && li.dataset.index !== undefined),
        c.text, { timeout, polling: 50 });
      return { ...(await state()), tookMs: Date.now() - started };
    }
    case 'waitFor': {
      const started = Date.now();
      await page.waitForFunction(
        (t) => [...document.querySelectorAll('#transcript li')]
          .some((li) => (li.querySelector('.text') ?? li).textContent === t),
        c.text, { timeout, polling: 50 });
      return { ...(await state()), tookMs: Date.now() - started };
    }
    case 'state':
      return state();
    case 'viewport':
      await page.setViewportSize({ width: c.width, height: c.height });
      return {};
    case 'waitForSelector': {
      const started = Date.now();
      await page.waitForSelector(c.selector, { timeout });
      return { tookMs: Date.now() - started };
    }
    case 'fill':
      await page.fill(c.selector, c.value, { timeout });
      return {};
    case 'click':
      await page.click(c.selector, { timeout });
      return {};
    case 'press':
      await page.press(c.selector, c.key, { timeout });
      return {};
    case 'select':
      await page.selectOption(c.selector, c.value, { timeout });
      return {};
    case 'routeWebSockets':
      await routeWebSockets(c.url);
      return {};
    case 'dropWebSockets': {
      refusing = true;
      const dropped = sockets.size;
      for (const { ws, server } of [...sockets]) {
        await ws.close({ code: 1012, reason: 'the test cuts this connection' });
        await server.close();
      }
      sockets.clear();
      return { dropped };
    }
    case 'releaseWebSockets':
      refusing = false;
      return {};
    case 'eval':
      return { value: await page.evaluate(c.expression) };
    case 'texts':
      return { texts: await page.$$eval(c.selector, (es) => es.map((e) => e.textContent)) };
    case 'screenshot':
      await page.screenshot({ path: c.path, fullPage: true });
      return { path: c.path };
    default:
      throw new Error('unknown command ' + c.cmd);
  }
}

async function close() {
  await context.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
}

reply({ ready: true, browser: context.browser()?.version() ?? 'chromium' });
for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  const c = JSON.parse(line);
  if (c.cmd === 'close') break;
  try {
    reply({ ok: true, ...(await run(c)) });
  } catch (e) {
    const page_state = await state().catch(() => ({})); // the widget's, if this is the widget
    reply({ ok: false, error: String(e && e.message || e), ...page_state });
  }
}
await close();
reply({ closed: true });
