/**
 * My pets and the pet album: the sheet (loaded on first open) shows my pets with their current
 * pictures (GET /pets, then each pet's album header), and a pet's album page by page
 * (GET /pets/:petId/album), the next page asked for a few pictures before the end. A friend's
 * pet's album opens straight from the spectator view. An answer to an older request is dropped.
 */
import { MAX_PETS_PER_PLAYER, STAGES, type StageName } from '../../../../shared/balance.js';
import type { AlbumDto, PetDto } from '../../../../shared/dto.js';
import type { AppShell } from '../../app-shell.js';
import { t } from '../../i18n.js';
import { closeLazy, Lazy } from '../../kit/lazy.js';
import { loadingSheetHooks } from '../../kit/loading-sheet.js';
import { errorCodeOf } from '../../net/errors.js';
import { AlbumPaging } from './album-paging.js';
import type { AlbumPanel, PetTile } from './album-panel.js';

/** Pictures per album page. */
const PAGE_SIZE = 12;

export interface AlbumCoordinatorDeps {
  /** The pet on show in my home (null: none, or watching a friend). */
  petAtHome(): string | null;
  /** Shows one of my pets at home. */
  showAtHome(petId: string): void;
  /** The adoption form (cancellable), for "Adopt another". */
  adopt(): void;
}

export class AlbumCoordinator {
  private readonly sheet: Lazy<AlbumPanel>;
  /** Counts requests: an answer to an older one is dropped. */
  private request = 0;
  private paging: AlbumPaging | null = null;
  private petId: string | null = null;
  private mine = false;

  constructor(
    private readonly shell: AppShell,
    private readonly deps: AlbumCoordinatorDeps,
  ) {
    this.sheet = new Lazy(
      async () => {
        const { AlbumPanel } = await import('./album-panel.js');
        const panel: InstanceType<typeof AlbumPanel> = new AlbumPanel({
          back: () => this.back(),
          openPet: (petId) => this.openAlbum(panel, petId, true),
          adopt: () => {
            this.close();
            deps.adopt();
          },
          showAtHome: (petId) => {
            deps.showAtHome(petId);
            this.close();
          },
          move: (delta) => this.move(panel, delta),
          retry: () => (panel.state.view === 'grid' ? void this.loadGrid(panel) : void this.loadPage(panel)),
        });
        shell.mount(panel.el);
        return panel;
      },
      loadingSheetHooks(shell, t('album.myPets')),
    );
  }

  get open(): boolean {
    return this.sheet.current?.open ?? false;
  }

  /** My pets: the grid. */
  showMyPets(): void {
    if (this.shell.spectating()) return;
    this.shell.closePopovers();
    this.sheet.open((panel) => {
      panel.showGrid();
      panel.show();
      this.shell.updateBackButton();
      void this.loadGrid(panel);
    });
  }

  /** A pet's album straight away (a friend's pet from the spectator view, or mine). */
  showAlbum(petId: string): void {
    this.shell.closePopovers();
    this.sheet.open((panel) => {
      panel.show();
      this.shell.updateBackButton();
      this.openAlbum(panel, petId, false);
    });
  }

  /** Back: from an album opened in the grid to the grid, else closed. */
  back(): void {
    const panel = this.sheet.current;
    if (panel?.open && panel.state.view === 'gallery' && panel.state.fromGrid) {
      this.request++;
      panel.showGrid();
      void this.loadGrid(panel);
      return;
    }
    this.close();
  }

  close(): void {
    this.request++;
    if (closeLazy(this.sheet)) this.shell.updateBackButton();
  }

  private async loadGrid(panel: AlbumPanel): Promise<void> {
    const id = ++this.request;
    panel.setGridLoading();
    try {
      const pets = await this.shell.api.allPets();
      // Each pet's current picture comes with its album's first page (one picture is enough).
      const headers = await Promise.all(pets.map((pet) => this.shell.api.album(pet.id, 1).catch(() => null)));
      if (id !== this.request) return;
      const atHome = this.deps.petAtHome() ?? pets[0]?.id ?? null;
      panel.setGrid(
        pets.map((pet, i) => tileOf(pet, headers[i] ?? null, pet.id === atHome)),
        pets.length < MAX_PETS_PER_PLAYER,
      );
    } catch (error) {
      if (id !== this.request) return;
      panel.setGridFailed();
      this.shell.fail(errorCodeOf(error));
    }
  }

  private openAlbum(panel: AlbumPanel, petId: string, fromGrid: boolean): void {
    this.request++;
    this.petId = petId;
    this.mine = !this.shell.spectating();
    this.paging = new AlbumPaging();
    panel.showGallery(petId, fromGrid);
    void this.loadPage(panel);
  }

  /** Asks for the next page when one is due (the first, or a few pictures before the end). */
  private async loadPage(panel: AlbumPanel): Promise<void> {
    const paging = this.paging;
    const petId = this.petId;
    if (!paging || !petId) return;
    const next = paging.nextRequest();
    if (!next) return;
    const id = this.request;
    paging.begin();
    panel.setGalleryLoading();
    try {
      const page = await this.shell.api.album(petId, PAGE_SIZE, next.cursor);
      if (id !== this.request || paging !== this.paging) return;
      const first = paging.items.length === 0;
      paging.accept(page);
      if (first) panel.setPet(page.pet, this.mine, this.mine && page.pet.id === (this.deps.petAtHome() ?? ''));
      panel.renderGallery(paging);
      // A short page near the picture on show may call for the next one at once.
      if (paging.nextRequest()) void this.loadPage(panel);
    } catch (error) {
      if (id !== this.request || paging !== this.paging) return;
      paging.failed();
      const code = errorCodeOf(error);
      if (code === 'CURSOR_INVALID') {
        // The list changed under a cursor it no longer knows: start over from the newest.
        this.openAlbum(panel, petId, panel.state.fromGrid);
        return;
      }
      if (paging.items.length === 0) panel.setGalleryFailed();
      this.shell.fail(code);
    }
  }

  private move(panel: AlbumPanel, delta: -1 | 1): void {
    const paging = this.paging;
    if (!paging) return;
    paging.move(delta);
    panel.renderGallery(paging);
    void this.loadPage(panel);
  }
}

function tileOf(pet: PetDto, album: AlbumDto | null, atHome: boolean): PetTile {
  const stage: StageName = (STAGES as readonly string[]).includes(pet.stage) ? pet.stage : 'egg';
  return {
    id: pet.id,
    name: pet.name,
    species: pet.species,
    stage,
    ageSeconds: album?.pet.ageSeconds ?? pet.ageSeconds,
    pictureUrl: album?.pet.picture?.url ?? null,
    atHome,
  };
}
