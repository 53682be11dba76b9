/**
 * The create-your-pet flow: the form under the species preview, and adopting (the shell then
 * shows the new pet's home).
 */
import type { Species } from '../../../../shared/balance.js';
import type { PetDto } from '../../../../shared/dto.js';
import type { AppShell } from '../../app-shell.js';
import { plural, t } from '../../i18n.js';
import { errorCodeOf } from '../../net/errors.js';
import { setBackButton } from '../../telegram.js';
import { CreateView } from './create-view.js';

export interface CreateCoordinatorDeps {
  /** Puts the create scene on the stage. */
  showScreen(): void;
  showHome(): void;
  adopted(pet: PetDto): void;
}

export class CreateCoordinator {
  readonly view: CreateView;

  constructor(
    private readonly shell: AppShell,
    private readonly deps: CreateCoordinatorDeps,
  ) {
    this.view = new CreateView({
      speciesChanged: (species) => shell.bus.emit('species', { species }),
      submit: (name, species) => void this.adopt(name, species),
      cancel: () => deps.showHome(),
    });
  }

  show(cancellable: boolean): void {
    this.view.reset(cancellable);
    this.deps.showScreen();
    setBackButton(cancellable ? () => this.deps.showHome() : null);
    // On phones the keyboard would cover the preview; focus only where there is room.
    if (window.innerHeight > 700) this.view.focus();
  }

  private async adopt(name: string, species: Species): Promise<void> {
    this.view.setBusy(true);
    try {
      const pet = await this.shell.api.createPet({ name, species });
      this.shell.notify(t('create.adopted', { name: pet.name }), 'success');
      // A friend's link brought me: this first adoption paid the welcome gift.
      if (pet.referralReward) {
        const { coins, friendName } = pet.referralReward;
        this.shell.toasts.celebrate({ message: t('create.referralReward', { name: friendName, coins: plural('coins', coins) }), icon: 'coin', tone: 'reward', notice: 'referral' });
      }
      this.deps.adopted(pet);
    } catch (error) {
      this.shell.fail(errorCodeOf(error));
    } finally {
      this.view.setBusy(false);
    }
  }
}
