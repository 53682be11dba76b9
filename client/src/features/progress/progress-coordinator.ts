/**
 * Progression: the controller (the streak button's summary from sign-in on, the home room's
 * progress notices) runs from the start; the progress sheet loads on first open.
 */
import type { ProgressNotice } from '../../../../shared/progression.js';
import type { AppShell } from '../../app-shell.js';
import { hapticNotice } from '../../telegram.js';
import { t } from '../../i18n.js';
import { closeLazy, Lazy } from '../../kit/lazy.js';
import { loadingSheetHooks } from '../../kit/loading-sheet.js';
import { ProgressController, type ProgressSummary } from './progress-controller.js';
import type { ProgressPanel } from './progress-panel.js';
import type { NotifySettings } from '../notify/notify-settings.js';
import { errorCodeOf } from '../../net/errors.js';

export interface ProgressCoordinatorDeps {
  summaryChanged(summary: ProgressSummary): void;
}

export class ProgressCoordinator {
  private readonly controller: ProgressController;
  private readonly sheet: Lazy<ProgressPanel>;
  private notify: NotifySettings | null = null;

  constructor(
    private readonly shell: AppShell,
    deps: ProgressCoordinatorDeps,
  ) {
    this.controller = new ProgressController({
      api: shell.api,
      notify: (message, kind) => shell.notify(message, kind),
      celebrate: (celebration) => {
        shell.toasts.celebrate(celebration);
        hapticNotice('success');
      },
      summaryChanged: (summary) => deps.summaryChanged(summary),
      coinsChanged: (coins) => {
        const holdings = shell.holdings();
        if (holdings) shell.setHoldings({ ...holdings, coins });
      },
    });
    this.sheet = new Lazy(
      async () => {
        const { ProgressPanel } = await import('./progress-panel.js');
        const panel = new ProgressPanel({
          claim: (quest) => void this.controller.claim(quest),
          retry: () => void this.controller.refresh(),
          close: () => this.close(),
        });
        const holdings = shell.holdings();
        if (holdings) panel.setCoins(holdings.coins);
        // The bot's notifications sit with the streaks they remind about.
        const { NotifySettings } = await import('../notify/notify-settings.js');
        this.notify = new NotifySettings({
          load: () => shell.api.notificationSettings(),
          save: (patch) => shell.api.updateNotificationSettings(patch),
          fail: (error) => shell.fail(errorCodeOf(error)),
        });
        panel.appendSection(this.notify.el);
        this.controller.attach(panel);
        shell.mount(panel.el);
        return panel;
      },
      loadingSheetHooks(shell, t('progress.title')),
    );
  }

  /** The streak button's summary so far. */
  get current(): ProgressSummary {
    return this.controller.current;
  }

  get open(): boolean {
    return this.sheet.current?.open ?? false;
  }

  get detailOpen(): boolean {
    return this.sheet.current?.detailOpen ?? false;
  }

  /** Closes the achievement detail if one is open (true when it was). */
  closeDetail(): boolean {
    return this.sheet.current?.closeDetail() ?? false;
  }

  /** After sign-in: the streak button's summary. */
  start(): void {
    this.controller.start();
  }

  onNotices(notices: readonly ProgressNotice[]): void {
    this.controller.onNotices(notices);
  }

  show(): void {
    if (this.shell.spectating()) return;
    this.shell.closePopovers();
    this.sheet.open(() => {
      this.shell.track({ type: 'screen_view', screen: 'progress' });
      this.controller.open();
      void this.notify?.refresh();
      this.shell.updateBackButton();
    });
  }

  close(): void {
    if (closeLazy(this.sheet)) this.shell.updateBackButton();
  }

  setCoins(coins: number): void {
    this.sheet.current?.setCoins(coins);
  }
}
