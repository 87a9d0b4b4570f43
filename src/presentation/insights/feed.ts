import type { BuildModelView } from '../../model/types';
import { Coalescer, realTimers, type Timers } from '../coalescer';
import { insightsMessage } from './insights-model';
import { parseWebviewMessage, type HostMessage } from './messages';

/** The panel redraws at most about 4 times a second however fast the model changes. */
export const INSIGHTS_UPDATE_INTERVAL_MS = 250;

/**
 * What the insights panel shows and when, without VS Code: it listens to the model, coalesces
 * changes to at most one update per interval, posts only once the page said it is ready, and
 * acts on the page's messages after checking them against the protocol (anything else is
 * ignored). The panel only hands it a `post` function and the page's raw messages.
 */
export class InsightsFeed {
  /** The invocation shown, or null to follow the newest. */
  private selected: string | null = null;
  private ready = false;
  private active = false;
  private readonly updates: Coalescer<string>;
  private readonly subscription: { dispose(): void };
  /** How many updates were posted: the redraw rate tests measure. */
  postCount = 0;
  /** The last message posted. */
  lastMessage: HostMessage | undefined;

  constructor(
    private readonly model: BuildModelView,
    private readonly post: (message: HostMessage) => void,
    timers: Timers = realTimers,
  ) {
    this.updates = new Coalescer(
      () => this.postNow(timers.now()),
      INSIGHTS_UPDATE_INTERVAL_MS,
      timers,
    );
    this.subscription = model.onDidChange(() => {
      if (this.active) this.updates.add(['model']);
    });
  }

  /** The panel is open on `invocationId` (null: the newest build); its page is (re)loading. */
  show(invocationId: string | null): void {
    this.selected = invocationId;
    this.active = true;
    this.updates.add(['show']);
  }

  /** The page was created anew (a new panel, or a reload): wait for its `ready`. */
  pageLoading(): void {
    this.ready = false;
  }

  /** The panel was closed. */
  closed(): void {
    this.active = false;
    this.ready = false;
    this.updates.dispose();
  }

  /** A raw message from the page. Returns false when it was ignored. */
  receive(value: unknown): boolean {
    const message = parseWebviewMessage(value);
    if (message === null) return false;
    switch (message.type) {
      case 'ready':
        this.ready = true;
        break;
      case 'selectInvocation':
        this.selected = message.invocationId;
        break;
      case 'followLatest':
        this.selected = null;
        break;
    }
    this.updates.add([message.type]);
    return true;
  }

  dispose(): void {
    this.subscription.dispose();
    this.updates.dispose();
  }

  private postNow(now: number): void {
    if (!this.active || !this.ready) return;
    const message = insightsMessage(this.model, this.selected, now);
    // A selection that no longer exists (history cleared) falls back to following the newest.
    if (message.type === 'update' && message.followingLatest) this.selected = null;
    this.lastMessage = message;
    this.postCount++;
    this.post(message);
  }
}
