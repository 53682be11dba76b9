/**
 * The bag: its sheet (loaded on first open), my holdings in it, asking for my own inventory
 * while a friend's home is on show, and dressing the pet on show in a skin (from the bag or
 * the shop).
 */
import { itemOfSkin } from '../../../../shared/balance.js';
import type { AppShell } from '../../app-shell.js';
import { t } from '../../i18n.js';
import { Lazy } from '../../kit/lazy.js';
import { loadingSheetHooks } from '../../kit/loading-sheet.js';
import { errorCodeOf } from '../../net/errors.js';
import type { ShopSection, Wearer } from '../shop/shop-panel.js';
import type { BagPanel, Holdings } from './bag-panel.js';
import { holdingsFromDto } from './holdings.js';

export interface BagCoordinatorDeps {
  openShop(section?: ShopSection): void;
  /** The skin on show changed by my hand (the room state follows). */
  wearerChanged(wearer: Wearer): void;
  /** The collection book (from the skins group's button). */
  openCollection(): void;
}

export class BagCoordinator {
  private readonly sheet: Lazy<BagPanel>;
  private wearer: Wearer | null = null;

  constructor(
    private readonly shell: AppShell,
    private readonly deps: BagCoordinatorDeps,
  ) {
    this.sheet = new Lazy(
      async () => {
        const { BagPanel } = await import('./bag-panel.js');
        const panel = new BagPanel();
        panel.onClose(() => this.shell.updateBackButton());
        panel.onShop((section) => {
          panel.close();
          this.deps.openShop(section);
        });
        panel.onWear((skin) => void this.wear(skin));
        panel.onCollection(() => {
          panel.close();
          this.deps.openCollection();
        });
        panel.setWearer(this.wearer);
        this.shell.mount(panel.el);
        return panel;
      },
      loadingSheetHooks(shell, t('bag.title')),
    );
  }

  get open(): boolean {
    return this.sheet.current?.open ?? false;
  }

  show(): void {
    this.sheet.open((panel) => {
      this.shell.track({ type: 'screen_view', screen: 'bag' });
      const holdings = this.shell.holdings();
      if (holdings) panel.render(holdings);
      panel.show();
      this.shell.updateBackButton();
      // While watching a friend the room carries their bag, not mine: ask for mine.
      if (this.shell.spectating()) {
        this.shell.api
          .inventory()
          .then((dto) => this.shell.setHoldings(holdingsFromDto(dto)))
          .catch(() => undefined);
      }
    });
  }

  close(): void {
    this.sheet.cancel();
    this.sheet.current?.close();
  }

  render(holdings: Holdings): void {
    this.sheet.current?.render(holdings);
  }

  setWearer(wearer: Wearer | null): void {
    this.wearer = wearer;
    this.sheet.current?.setWearer(wearer);
  }

  /** Dresses the pet on show in a skin I hold, from the bag or the shop ('default' takes it off). */
  async wear(skin: string): Promise<void> {
    const pet = this.shell.shownPet();
    if (!pet || this.shell.spectating()) return;
    this.sheet.current?.setChanging(skin);
    try {
      const dto = await this.shell.api.setSkin(pet.id, skin);
      // The room state follows; until then the bag and the shop show the answer.
      this.deps.wearerChanged({ petName: dto.name, skin: dto.skin });
      const item = itemOfSkin(dto.skin);
      this.shell.notify(item ? t('skin.wearing', { name: dto.name, skin: t(`item.${item}`) }) : t('skin.takenOff', { name: dto.name }), 'success');
    } catch (error) {
      this.shell.fail(errorCodeOf(error));
    } finally {
      this.sheet.current?.setChanging(null);
    }
  }
}
