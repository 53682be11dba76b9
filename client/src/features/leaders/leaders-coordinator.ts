/**
 * Leaderboards: the sheet (loaded on first open) asks for the boards once, then for the board,
 * period and scope on show; the last request wins when the player taps quickly.
 */
import type { AppShell } from '../../app-shell.js';
import { t } from '../../i18n.js';
import { closeLazy, Lazy } from '../../kit/lazy.js';
import { loadingSheetHooks } from '../../kit/loading-sheet.js';
import { errorCodeOf } from '../../net/errors.js';
import type { LeadersPanel, LeadersSelection } from './leaders-panel.js';

export class LeadersCoordinator {
  private readonly sheet: Lazy<LeadersPanel>;
  private boardsLoaded = false;
  /** Counts requests: an answer to an older one is dropped. */
  private request = 0;

  constructor(private readonly shell: AppShell) {
    this.sheet = new Lazy(
      async () => {
        const { LeadersPanel } = await import('./leaders-panel.js');
        const panel = new LeadersPanel({
          select: (selection) => void this.load(panel, selection),
          retry: () => void this.load(panel, panel.current),
          close: () => this.close(),
        });
        shell.mount(panel.el);
        return panel;
      },
      loadingSheetHooks(shell, t('leaders.title')),
    );
  }

  get open(): boolean {
    return this.sheet.current?.open ?? false;
  }

  show(): void {
    if (this.shell.spectating()) return;
    this.shell.closePopovers();
    this.sheet.open((panel) => {
      panel.show();
      this.shell.updateBackButton();
      void this.load(panel, panel.current);
    });
  }

  close(): void {
    if (closeLazy(this.sheet)) this.shell.updateBackButton();
  }

  private async load(panel: LeadersPanel, wanted: LeadersSelection): Promise<void> {
    const id = ++this.request;
    panel.setLoading();
    try {
      if (!this.boardsLoaded) {
        panel.setBoards(await this.shell.api.leaderboards());
        this.boardsLoaded = true;
      }
      const selection = panel.select(wanted);
      const data = await this.shell.api.leaderboard(selection.board, selection.period, selection.scope);
      if (id === this.request) panel.setData(data);
    } catch (error) {
      if (id !== this.request) return;
      panel.setFailed();
      this.shell.fail(errorCodeOf(error));
    }
  }
}
