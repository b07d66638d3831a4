// Opens a speedscope profile in headless Chromium: serves speedscope's web app and the profile from a free loopback
// port, loads index.html#profileURL=..., waits for it to draw, saves a screenshot and prints the page's text as JSON.
// Usage: node render.mjs <speedscope dist/release folder> <profile.json> <screenshot.png> <chromium path>
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer from 'puppeteer-core';

const [appFolder, profilePath, screenshotPath, chromiumPath] = process.argv.slice(2);
const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json',
  '.png': 'image/png', '.wasm': 'application/wasm', '.woff2': 'font/woff2', '.ico': 'image/x-icon' };

const server = http.createServer((request, response) => {
  const name = decodeURIComponent(new URL(request.url, 'http://localhost').pathname);
  const file = name === '/profile.json' ? profilePath : path.join(appFolder, path.normalize(name === '/' ? '/index.html' : name));
  if (!file.startsWith(appFolder) && file !== profilePath || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
    response.writeHead(404).end();
    return;
  }
  response.writeHead(200, { 'Content-Type': types[path.extname(file)] ?? 'application/octet-stream' });
  fs.createReadStream(file).pipe(response);
});
await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
const port = server.address().port;

const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'speedscope-chromium-'));
const browser = await puppeteer.launch({
  executablePath: chromiumPath,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--no-first-run', '--disable-sync', `--user-data-dir=${profileDir}`],
});
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 720 });
  const errors = [];
  page.on('pageerror', error => errors.push(String(error)));
  await page.goto(`http://127.0.0.1:${port}/index.html#profileURL=${encodeURIComponent(`http://127.0.0.1:${port}/profile.json`)}`,
    { waitUntil: 'networkidle2', timeout: 60000 });
  await page.waitForFunction(() => document.querySelector('canvas') !== null, { timeout: 30000 });
  await new Promise(resolve => setTimeout(resolve, 1500));
  await page.screenshot({ path: screenshotPath });
  const text = await page.evaluate(() => document.body.innerText);
  process.stdout.write(JSON.stringify({ text, errors }));
} finally {
  await browser.close();
  server.close();
  fs.rmSync(profileDir, { recursive: true, force: true });
}
