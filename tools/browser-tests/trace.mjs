// Opens one trace of the Aspire dashboard in headless Debian chromium and saves a screenshot of it.
// Usage: node trace.mjs <dashboard url> <trace id> <output .png>
// Prints the page's text, so that a caller can check what the dashboard shows.
import puppeteer from 'puppeteer-core';

const [dashboard, traceId, output] = process.argv.slice(2);
if (!dashboard || !traceId || !output) {
  console.error('usage: node trace.mjs <dashboard url> <trace id> <output .png>');
  process.exit(2);
}

const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  headless: true,
});
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1400, height: 720 });
  await page.goto(`${dashboard}/traces/detail/${traceId}`, { waitUntil: 'networkidle2', timeout: 60000 });
  // The dashboard is a Blazor Server app: it renders over its websocket after the page loaded.
  await page.waitForFunction(() => document.body.innerText.includes('PlaceAsync'), { timeout: 30000 });
  await new Promise(resolve => setTimeout(resolve, 1500));
  await page.screenshot({ path: output });
  console.log(await page.evaluate(() => document.body.innerText));
} finally {
  await browser.close();
}
