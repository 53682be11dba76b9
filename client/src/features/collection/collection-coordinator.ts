/**
 * The collection book: the sheet (loaded on first open) asks for the book on every show and
 * after a claim; a claim pays a complete set's coins once (a toast, and my balance everywhere).
 */
import type { AppShell } from '../../app-shell.js';
import { hapticImpact, hapticNotice } from '../../telegram.js';
import { errorText, t } from '../../i18n.js';
import { closeLazy, Lazy } from '../../kit/lazy.js';
import { loadingSheetHooks } from '../../kit/loading-sheet.js';
import { errorCodeOf } from '../../net/errors.js';
import type { CollectionPanel } from './collection-panel.js';

export class CollectionCoordinator {
  private readonly sheet: Lazy<CollectionPanel>;
  /** Counts requests: an answer to an older one is dropped. */
  private request = 0;
  private readonly claiming = new Set<string>();

  constructor(private readonly shell: AppShell) {
    this.sheet = new Lazy(
      async () => {
        const { CollectionPanel } = await import('./collection-panel.js');
        const panel = new CollectionPanel({
          claim: (setId) => void this.claim(panel, setId),
          retry: () => void this.load(panel),
          close: () => this.close(),
        });
        panel.onSeasonChange(() => void this.load(panel));
        shell.mount(panel.el);
        return panel;
      },
      loadingSheetHooks(shell, t('collection.title')),
    );
  }

  get open(): boolean {
    return this.sheet.current?.open ?? false;
  }

  show(): void {
    if (this.shell.spectating()) return;
    this.shell.closePopovers();
    this.sheet.open((panel) => {
      const holdings = this.shell.holdings();
      if (holdings) panel.setCoins(holdings.coins);
      panel.show();
      this.shell.updateBackButton();
      void this.load(panel);
    });
  }

  close(): void {
    if (closeLazy(this.sheet)) this.shell.updateBackButton();
  }

  /** My coins changed elsewhere (the room, a purchase). */
  setCoins(coins: number): void {
    this.sheet.current?.setCoins(coins);
  }

  private async load(panel: CollectionPanel): Promise<void> {
    const id = ++this.request;
    panel.setLoading();
    try {
      const data = await this.shell.api.collection();
      if (id === this.request) panel.setData(data);
    } catch (error) {
      if (id !== this.request) return;
      panel.setFailed();
      this.shell.fail(errorCodeOf(error));
    }
  }

  private async claim(panel: CollectionPanel, setId: string): Promise<void> {
    if (this.claiming.has(setId)) return;
    this.claiming.add(setId);
    panel.setClaimBusy(setId, true);
    hapticImpact('medium');
    try {
      const result = await this.shell.api.claimCollectionSet(setId);
      const holdings = this.shell.holdings();
      if (holdings) this.shell.setHoldings({ ...holdings, coins: result.balances.coins });
      panel.setCoins(result.balances.coins);
      const { setName } = await import('./collection-panel.js');
      this.shell.toasts.celebrate({
        message: t('collection.claimedToast', { set: setName(result.set), coins: result.rewardCoins }),
        icon: 'coin',
        tone: 'reward',
        notice: 'collection_claimed',
      });
      hapticNotice('success');
    } catch (error) {
      const code = errorCodeOf(error);
      // Claimed already (say, the answer to an earlier tap was lost): nothing went wrong.
      this.shell.notify(errorText(code), code === 'ALREADY_CLAIMED' ? 'info' : 'error');
    } finally {
      this.claiming.delete(setId);
      panel.setClaimBusy(setId, false);
    }
    void this.load(panel);
  }
}
