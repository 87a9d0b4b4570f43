// UI helpers over the code-server workbench, with selectors verified against code-server
// 4.100.3. VS Code ids contain dots, so they are always matched as [id="..."], never #a.b.
import * as path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { newPage } from './browser';
import type { CodeServer } from './code-server';
import { outputDir } from './rig';

export class Workbench {
  private constructor(readonly page: Page) {}

  /**
   * Opens the workbench on a folder and waits until it is usable; with `developmentExtension`,
   * that folder's extension is loaded in development mode (as with F5 in VS Code).
   */
  static async open(
    browser: Browser,
    server: CodeServer,
    folder: string,
    developmentExtension?: string,
  ): Promise<Workbench> {
    const page = await newPage(browser);
    const payload =
      developmentExtension === undefined
        ? ''
        : `&payload=${encodeURIComponent(
            JSON.stringify([
              [
                'extensionDevelopmentPath',
                `vscode-remote://127.0.0.1:${server.port}${developmentExtension}`,
              ],
            ]),
          )}`;
    await page.goto(`${server.origin}/?folder=${encodeURIComponent(folder)}${payload}`, {
      waitUntil: 'domcontentloaded',
    });
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    return new Workbench(page);
  }

  /** Clicks a view container's activity bar entry (its aria-label starts with the title). */
  async openViewContainer(title: string): Promise<void> {
    const entry = this.page.locator(`.activitybar .action-item a[aria-label^="${title}"]`).first();
    await entry.waitFor({ state: 'visible', timeout: 60_000 });
    const checked = await entry.getAttribute('aria-pressed').catch(() => null);
    if (checked !== 'true') await entry.click();
  }

  /** The pane of one view container, e.g. `workbench.view.extension.remoteBuildLens`. */
  container(id: string): Locator {
    return this.page.locator(`[id="${id}"]`);
  }

  /** The aria-labels of a container's visible tree rows, top to bottom. */
  async treeRows(containerId: string): Promise<string[]> {
    const rows = this.container(containerId).locator('.monaco-list-row');
    return rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
  }

  /**
   * Every visible list row in the side bar, whatever view shows there, as `text | aria-label`
   * (some views, e.g. Testing, leave the item's name out of the aria-label).
   */
  async sideBarRows(): Promise<string[]> {
    return this.page
      .locator('.part.sidebar .monaco-list-row')
      .evaluateAll((els) =>
        els.map(
          (e) =>
            `${(e.textContent ?? '').replace(/\s+/g, ' ')} | ${e.getAttribute('aria-label') ?? ''}`,
        ),
      );
  }

  /** A status bar item by `publisher.name.itemId`, or null when it is not shown. */
  async statusItemText(fullId: string): Promise<string | null> {
    const item = this.page.locator(`[id="${fullId}"]`);
    if ((await item.count()) === 0 || !(await item.isVisible())) return null;
    return (await item.innerText()).trim();
  }

  statusItem(fullId: string): Locator {
    return this.page.locator(`[id="${fullId}"]`);
  }

  /** Runs a command through the palette: F1, `>Category: Title`, Enter. */
  async runCommand(title: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input[type="text"]');
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${title}`);
    await this.page
      .locator('.quick-input-widget .monaco-list-row', {
        hasText: title.split(': ').pop() ?? title,
      })
      .first()
      .waitFor({ state: 'visible' });
    await this.page.keyboard.press('Enter');
  }

  /**
   * Types into the quick pick titled `title` and accepts the first row. Waiting for the title
   * matters: right after a palette command the palette's own input may still be on screen.
   */
  async answerQuickPick(title: string, text: string): Promise<void> {
    await this.page
      .locator('.quick-input-widget .quick-input-title', { hasText: title })
      .waitFor({ state: 'visible' });
    const input = this.page.locator('.quick-input-widget input[type="text"]');
    await input.fill(text);
    // The list is refreshed by the extension as the value changes: wait until the focused row
    // (the one Enter accepts) is the typed one, not a row of the list before the refresh.
    await this.page
      .locator('.quick-input-widget .monaco-list-row.focused', { hasText: text })
      .first()
      .waitFor({ state: 'visible' });
    await this.page.keyboard.press('Enter');
  }

  /** Clicks the tree row whose aria-label starts with `label` (expands or collapses it). */
  async clickRow(containerId: string, label: string): Promise<void> {
    await this.container(containerId)
      .locator(`.monaco-list-row[aria-label^="${label}"]`)
      .first()
      .click();
  }

  /** The status item's aria-label: codicon names and text, e.g. `sync~spin 3/5 · 40% cached`. */
  async statusItemLabel(fullId: string): Promise<string | null> {
    const item = this.page.locator(`[id="${fullId}"]`);
    if ((await item.count()) === 0) return null;
    return item.locator('a, [role="button"]').first().getAttribute('aria-label');
  }

  /** Saves `test-output/e2e/NAME.png` and returns its path. */
  async screenshot(name: string): Promise<string> {
    const file = path.join(outputDir(), `${name}.png`);
    await this.page.waitForTimeout(300); // let the last animation frame settle
    await this.page.screenshot({ path: file });
    return file;
  }

  async close(): Promise<void> {
    await this.page.context().close();
  }
}
