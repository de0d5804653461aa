import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { fromRoot } from './paths.js'

/** Debian's chromium; CHROMIUM overrides it. */
export const chromiumPath = process.env['CHROMIUM'] ?? '/usr/bin/chromium'

/** The flags the issue names: headless, no sandbox (containers), and nothing that calls home. */
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
]

/** Screenshots and other browser-test output: artefacts/console/ under the repository (gitignored). */
export const artefactsDir = fromRoot('artefacts', 'console')

export interface HeadlessChromium {
  context: BrowserContext
  page: Page
  /** Save a full-page screenshot as artefacts/console/<name>.png; returns its path. */
  screenshot: (name: string) => Promise<string>
  /** Close the browser and remove its profile folder. */
  close: () => Promise<void>
}

/**
 * A real headless Chromium with a fresh profile (--user-data-dir in a temporary folder), driven by
 * playwright-core. One window of a console-sized viewport.
 */
export async function launchChromium(opts: { width?: number; height?: number } = {}): Promise<HeadlessChromium> {
  const profile = mkdtempSync(join(tmpdir(), 'venue-chromium-'))
  let context: BrowserContext | undefined
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      args: FLAGS,
      viewport: { width: opts.width ?? 1600, height: opts.height ?? 1000 },
      timeout: 30_000,
    })
  } catch (err) {
    rmSync(profile, { recursive: true, force: true })
    throw err
  }
  const ctx = context
  const page = ctx.pages()[0] ?? (await ctx.newPage())
  mkdirSync(artefactsDir, { recursive: true })
  return {
    context: ctx,
    page,
    screenshot: async (name) => {
      const path = join(artefactsDir, `${name}.png`)
      await page.screenshot({ path })
      return path
    },
    close: async () => {
      await ctx.close().catch(() => undefined)
      rmSync(profile, { recursive: true, force: true })
    },
  }
}

/** Log in through the page's own form (opening the page first, unless it is already showing the form). */
export async function logIn(page: Page, baseUrl: string | null, user: string, password: string): Promise<void> {
  if (baseUrl !== null) await page.goto(baseUrl)
  await page.locator('#login-form').waitFor({ state: 'visible', timeout: 15_000 })
  await page.fill('#login-user', user)
  await page.fill('#login-password', password)
  await page.click('#login-form button[type=submit]')
  await page.locator('#app').waitFor({ state: 'visible', timeout: 15_000 })
}

/**
 * Wait until a JavaScript expression, evaluated in the page, is true. Polled from here: the page's
 * Content-Security-Policy forbids the string evaluation page.waitForFunction does inside the page,
 * and tests pass strings because they are compiled without DOM types.
 */
export async function pageUntil(page: Page, expr: string, timeout_ms = 10_000): Promise<void> {
  const deadline = Date.now() + timeout_ms
  for (;;) {
    if ((await page.evaluate(expr)) === true) return
    if (Date.now() > deadline) throw new Error(`not true after ${timeout_ms} ms: ${expr}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

export type { Browser, Page }
