import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`; .ci/run installs it when missing). `CHROMIUM_BIN` overrides it. */
export const CHROMIUM_PATH = process.env['CHROMIUM_BIN'] ?? '/usr/bin/chromium';

/**
 * The flags that work on this kind of machine (root, no GPU, a closed network): without the background
 * networking ones Chromium keeps dialling Google's hosts and gets refused. Playwright adds `--headless` and a
 * fresh `--user-data-dir` of its own.
 */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`e2e: no Chromium at ${CHROMIUM_PATH}. Install Debian's package: apt-get install -y chromium (.ci/run does).`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}
