// Opens a report in real headless Chromium (the Debian package, driven by puppeteer-core) with
// the network cut off, and waits for the page to say it has rendered; shared by the browser
// test, the benchmark and the README screenshot.
import { pathToFileURL } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  // --no-sandbox: the tests run as root in CI containers, where Chromium's sandbox cannot start.
  return puppeteer.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
}

export interface OpenedReport {
  page: Page;
  /** Console errors and uncaught exceptions, in order. */
  errors: string[];
  /** Every request other than the page itself (none is let through). */
  blockedRequests: string[];
  /** From navigation start to the moment the page's script finished drawing, measured by the browser. */
  renderMs: number;
  /** The part of renderMs the page's own script took to draw the charts. */
  drawMs: number;
}

export async function openReport(browser: Browser, file: string, viewport = { width: 1280, height: 900 }): Promise<OpenedReport> {
  const page = await browser.newPage();
  await page.setViewport({ ...viewport, deviceScaleFactor: 1 });
  const errors: string[] = [];
  const blockedRequests: string[] = [];
  const url = pathToFileURL(file).href;
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    if (request.url() === url) return void request.continue();
    blockedRequests.push(request.url());
    return void request.abort();
  });
  // An uncaught error means the mark never comes: stop waiting and say why.
  const failed = new Promise<never>((_, reject) => page.once('pageerror', (error) => reject(new Error(`the report page threw: ${String(error)}`))));
  await page.goto(url, { waitUntil: 'load' });
  await Promise.race([page.waitForSelector('html[data-report-state="rendered"]'), failed]);
  const [renderMs, drawMs] = await page.$eval('html', (html) => [Number(html.getAttribute('data-render-ms')), Number(html.getAttribute('data-draw-ms'))]);
  return { page, errors, blockedRequests, renderMs: renderMs!, drawMs: drawMs! };
}
