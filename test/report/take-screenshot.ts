// `npm run screenshot`: the README's picture of `hephaestus report`, made from a real run. It
// runs the demo (offline engine, no network), one more offline run with an objective the engine
// cannot carry out, renders the report and photographs it in headless Chromium.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { CLI_PATH, cliEnvironment } from '../support/run-cli.js';
import { launchChromium, openReport } from './report-browser.js';

export const SCREENSHOT_FILE = fileURLToPath(new URL('../../.github/assets/report-screenshot.png', import.meta.url));

async function hephaestus(args: string[]): Promise<void> {
  await execa(process.execPath, [CLI_PATH, ...args], { env: cliEnvironment(), extendEnv: false, stdout: 'ignore', stderr: 'inherit' });
}

const workDir = await mkdtemp(path.join(os.tmpdir(), 'hephaestus-screenshot-'));
const project = path.join(workDir, 'sample-project');
const report = path.join(workDir, 'report.html');
const browser = await launchChromium();
try {
  await hephaestus(['demo', '--dir', project, '--cycles', '6']);
  await hephaestus(['run', '--repo', project, '--offline', '--objective', 'Add input validation to src/inventory.js', '--cycles', '2']);
  await hephaestus(['report', '--repo', project, '--out', report]);
  const { page, errors } = await openReport(browser, report, { width: 1280, height: 900 });
  if (errors.length > 0) throw new Error(`the report page logged errors: ${errors.join('; ')}`);
  await mkdir(path.dirname(SCREENSHOT_FILE), { recursive: true });
  await page.screenshot({ path: SCREENSHOT_FILE as `${string}.png`, fullPage: true });
  process.stdout.write(`Wrote ${path.relative(process.cwd(), SCREENSHOT_FILE)}\n`);
} finally {
  await browser.close();
  await rm(workDir, { recursive: true, force: true });
}
