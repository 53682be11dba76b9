/**
 * Friends: the sheet (loaded on first open) with my invite code and link, adding a friend by
 * code, and the list whose entries open a friend's home (the shell switches rooms).
 */
import type { FriendDto } from '../../../../shared/dto.js';
import type { AppShell } from '../../app-shell.js';
import { t } from '../../i18n.js';
import { h } from '../../kit/dom.js';
import { closeLazy, Lazy } from '../../kit/lazy.js';
import { loadingSheetHooks } from '../../kit/loading-sheet.js';
import { errorCodeOf } from '../../net/errors.js';
import { inTelegram, openTelegramLink } from '../../telegram.js';
import type { FriendsPanel } from './friends-panel.js';

export interface FriendsCoordinatorDeps {
  watch(friend: FriendDto): void;
}

export class FriendsCoordinator {
  private readonly sheet: Lazy<FriendsPanel>;

  constructor(
    private readonly shell: AppShell,
    deps: FriendsCoordinatorDeps,
  ) {
    this.sheet = new Lazy(
      async () => {
        const { FriendsPanel } = await import('./friends-panel.js');
        const panel = new FriendsPanel({
          close: () => this.close(),
          invite: () => void this.invite(),
          copyCode: () => void this.copyInvite(false),
          add: (code) => void this.addFriend(code),
          watch: (friend) => {
            panel.hide();
            deps.watch(friend);
          },
        });
        shell.mount(panel.el);
        return panel;
      },
      loadingSheetHooks(shell, t('friends.title')),
    );
  }

  get open(): boolean {
    return this.sheet.current?.open ?? false;
  }

  show(): void {
    const me = this.shell.me();
    if (!me) return;
    this.sheet.open((panel) => {
      this.shell.track({ type: 'screen_view', screen: 'friends' });
      panel.show(me.inviteCode);
      this.shell.updateBackButton();
      void this.reload(panel);
    });
  }

  close(): void {
    if (closeLazy(this.sheet)) this.shell.updateBackButton();
  }

  private async reload(panel: FriendsPanel): Promise<void> {
    panel.setLoading();
    try {
      panel.setFriends(await this.shell.api.friends());
    } catch (error) {
      panel.setFriends([]);
      this.shell.fail(errorCodeOf(error));
    }
  }

  private async addFriend(code: string): Promise<void> {
    const panel = this.sheet.current;
    if (!panel) return;
    panel.setBusy(true);
    try {
      const friend = await this.shell.api.addFriend(code);
      panel.clearInput();
      this.shell.notify(t('friends.added', { name: friend.firstName }), 'success');
      await this.reload(panel);
    } catch (error) {
      this.shell.fail(errorCodeOf(error));
    } finally {
      panel.setBusy(false);
    }
  }

  private inviteLink(): string | null {
    const config = this.shell.config();
    const me = this.shell.me();
    const bot = config?.botUsername;
    const app = config?.miniAppName;
    if (!bot || !app || !me) return null;
    return `https://t.me/${bot}/${app}?startapp=ref_${me.inviteCode}`;
  }

  private async invite(): Promise<void> {
    this.shell.track({ type: 'share_tapped' });
    const link = this.inviteLink();
    if (link && inTelegram()) {
      const share = `https://t.me/share/url?url=${encodeURIComponent(link)}&text=${encodeURIComponent(t('friends.inviteText'))}`;
      if (openTelegramLink(share)) return;
    }
    await this.copyInvite(true);
  }

  /** Copies the invite link (or just the code when there is no bot configured) and shows it. */
  private async copyInvite(preferLink: boolean): Promise<void> {
    const me = this.shell.me();
    if (!me) return;
    const link = preferLink ? this.inviteLink() : null;
    const value = link ?? me.inviteCode;
    if (link) this.sheet.current?.showLink(link);
    const copied = await copyText(value);
    if (copied) this.shell.toasts.show(link ? t('friends.linkCopied') : t('friends.shareCode', { code: value }), 'success');
    else this.shell.toasts.show(t('friends.shareCode', { code: me.inviteCode }), 'info');
  }
}

/** Clipboard API first; the old execCommand path covers insecure origins and webviews. */
async function copyText(value: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(value);
    return true;
  } catch {
    const area = h('textarea', { class: 'sr-only', attrs: { readonly: '' } });
    area.value = value;
    document.body.append(area);
    area.select();
    try {
      return document.execCommand('copy');
    } catch {
      return false;
    } finally {
      area.remove();
    }
  }
}
