/**
 * The shop: its sheet, the dev payment sheet and the purchase flows (loaded together on
 * first open), kept current with my holdings and the skin on show.
 */
import type { ClientConfigDto } from '../../../../shared/dto.js';
import type { AppShell } from '../../app-shell.js';
import { t } from '../../i18n.js';
import { Lazy } from '../../kit/lazy.js';
import { loadingSheetHooks } from '../../kit/loading-sheet.js';
import type { Holdings } from '../bag/bag-panel.js';
import { holdingsFromDto } from '../bag/holdings.js';
import type { DevPaySheet } from './dev-pay-sheet.js';
import type { ShopController } from './shop-controller.js';
import type { ShopPanel, ShopSection, Wearer } from './shop-panel.js';

export interface ShopCoordinatorDeps {
  wear(skin: string): void;
}

interface ShopParts {
  panel: ShopPanel;
  devPay: DevPaySheet;
  controller: ShopController;
}

/** The client config's dev payment path; older servers do not send it (treated as null). */
function devPaymentsPathOf(config: ClientConfigDto | null): string | null {
  const path: unknown = config?.devPaymentsPath;
  return typeof path === 'string' && path.startsWith('/') ? path.replace(/\/+$/, '') : null;
}

export class ShopCoordinator {
  private readonly parts: Lazy<ShopParts>;
  private wearer: Wearer | null = null;

  constructor(
    private readonly shell: AppShell,
    deps: ShopCoordinatorDeps,
  ) {
    this.parts = new Lazy(
      async () => {
        const [{ ShopPanel }, { DevPaySheet }, { ShopController }] = await Promise.all([
          import('./shop-panel.js'),
          import('./dev-pay-sheet.js'),
          import('./shop-controller.js'),
        ]);
        const devPay = new DevPaySheet();
        const panel: ShopPanel = new ShopPanel({
          buy: (itemId, quantity) => void controller.buy(itemId, quantity),
          buyStars: (productId) => void controller.buyStars(productId),
          wear: (skin) => deps.wear(skin),
          retry: () => void controller.refresh(),
          close: () => this.close(),
        });
        const controller: ShopController = new ShopController({
          api: shell.api,
          panel,
          devSheet: devPay,
          notify: (message, kind) => shell.notify(message, kind),
          inventoryChanged: (inventory) => shell.setHoldings(holdingsFromDto(inventory)),
          payer: () => {
            const me = shell.me();
            return me ? { telegramId: me.telegramId, firstName: me.firstName } : null;
          },
          devPaymentsPath: () => devPaymentsPathOf(shell.config()),
        });
        const holdings = shell.holdings();
        if (holdings) this.applyHoldings(panel, holdings);
        panel.setWearer(this.wearer);
        shell.mount(panel.el);
        shell.mount(devPay.el);
        return { panel, devPay, controller };
      },
      loadingSheetHooks(shell, t('shop.title')),
    );
  }

  get open(): boolean {
    return this.parts.current?.panel.open ?? false;
  }

  get devPayOpen(): boolean {
    return this.parts.current?.devPay.open ?? false;
  }

  dismissDevPay(): void {
    this.parts.current?.devPay.dismiss();
  }

  show(section?: ShopSection): void {
    this.shell.closePopovers();
    this.parts.open(({ controller }) => {
      this.shell.track({ type: 'shop_opened' });
      controller.open(section);
      this.shell.updateBackButton();
    });
  }

  close(): void {
    this.parts.cancel();
    const parts = this.parts.current;
    if (!parts?.panel.open) return;
    parts.panel.hide();
    parts.devPay.dismiss();
    this.shell.updateBackButton();
  }

  setHoldings(holdings: Holdings): void {
    const panel = this.parts.current?.panel;
    if (panel) this.applyHoldings(panel, holdings);
  }

  setWearer(wearer: Wearer | null): void {
    this.wearer = wearer;
    this.parts.current?.panel.setWearer(wearer);
  }

  private applyHoldings(panel: ShopPanel, holdings: Holdings): void {
    panel.setBalances({ coins: holdings.coins });
    panel.setOwned(holdings.items);
  }
}
