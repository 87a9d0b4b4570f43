// UI helpers over the code-server workbench, with selectors verified against code-server
// 4.100.3. VS Code ids contain dots, so they are always matched as [id="..."], never #a.b.
import * as path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { newPage } from './browser';
import type { CodeServer } from './code-server';
import { pollUntil } from '../../helpers/poll-until';
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
    // Clicking the entry of the container already shown would hide the side bar. VS Code marks
    // the shown one on the entry or on its list item, depending on the version.
    const shown = await entry.evaluate(
      (a) =>
        a.getAttribute('aria-pressed') === 'true' ||
        a.getAttribute('aria-checked') === 'true' ||
        a.closest('.action-item')?.classList.contains('checked') === true,
    );
    const sideBarVisible = await this.page.locator('.part.sidebar').isVisible();
    // force: a badge (e.g. "1 failed tests") covers part of the icon; the click reaches the
    // same item through it.
    if (!shown || !sideBarVisible) await entry.click({ force: true });
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

  /**
   * The welcome text of a container's view once it matches `expected`. The text is chosen by
   * context keys that the workbench and the extension set after start-up, so it is polled; a
   * timeout names every text seen meanwhile.
   */
  async welcomeText(containerId: string, expected: RegExp, timeoutMs = 30_000): Promise<string> {
    const welcome = this.container(containerId).locator('.welcome-view-content');
    const seen = new Set<string>();
    try {
      return await pollUntil(
        async () => {
          const text = await welcome.innerText({ timeout: 1_000 }).catch(() => '');
          seen.add(text);
          return expected.test(text) && text;
        },
        { timeoutMs, intervalMs: 100, what: `welcome text matching ${String(expected)}` },
      );
    } catch (err) {
      throw new Error(`${(err as Error).message}; seen: ${JSON.stringify([...seen])}`, {
        cause: err,
      });
    }
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

  /**
   * Right-clicks `row` and takes `item` from its context menu. The menu ignores a click that
   * comes right after it opened (it guards against the right-click's own mouse-up), so the
   * click is repeated until the menu has closed.
   */
  async chooseFromContextMenu(row: Locator, item: string): Promise<void> {
    await row.click({ button: 'right' });
    const entry = this.page.locator('.monaco-menu .action-label', { hasText: item }).first();
    await entry.waitFor({ state: 'visible', timeout: 30_000 });
    await pollUntil(
      async () => {
        if (!(await entry.isVisible())) return true;
        await this.page.waitForTimeout(200);
        await entry.click({ timeout: 5_000 }).catch(() => undefined);
        return false;
      },
      { timeoutMs: 30_000, intervalMs: 300, what: `the "${item}" menu item to be taken` },
    );
  }

  /**
   * Hovers the row whose aria-label starts with `label` (in `within`: a container id, or any
   * locator such as the side bar) and clicks its inline action whose title starts with `action`.
   */
  async clickRowAction(within: string | Locator, label: string, action: string): Promise<void> {
    const scope = typeof within === 'string' ? this.container(within) : within;
    const row = scope.locator(`.monaco-list-row[aria-label^="${label}"]`).first();
    await row.hover();
    await row.locator(`.action-label[aria-label^="${action}"]`).first().click();
  }

  /** The cursor of the active editor as the status bar shows it (`Ln 3, Col 1`), or null. */
  async cursorPosition(): Promise<{ line: number; column: number } | null> {
    const text = await this.statusItemText('status.editor.selection');
    const m = /Ln (\d+), Col (\d+)/.exec(text ?? '');
    return m === null ? null : { line: Number(m[1]), column: Number(m[2]) };
  }

  /** The visible text of the active editor (Monaco renders only the lines on screen). */
  async activeEditorText(): Promise<string> {
    // A group keeps the editors of its other tabs in the DOM, hidden: read the shown one.
    const texts = await this.page
      .locator('.editor-group-container.active .view-lines')
      .evaluateAll((els) =>
        els
          .filter((e) => e.getClientRects().length > 0)
          .map((e) =>
            // Monaco places lines by their `top`, not in DOM order.
            Array.from(e.children as unknown as ArrayLike<typeof e>)
              .map((line) => ({
                top: parseFloat(line.getAttribute('style')?.match(/top:\s*([\d.]+)px/)?.[1] ?? '0'),
                text: line.textContent ?? '',
              }))
              .sort((x, y) => x.top - y.top)
              .map((line) => line.text)
              .join('\n'),
          ),
      );
    // Monaco draws spaces as no-break spaces.
    return (texts[0] ?? '').replace(/\u00a0/g, ' ');
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
