/**
 * The friends sheet: my invite code with an invite button, adding a friend by code, and the
 * friend list (tap to watch their home). Data comes from the app; this is presentation.
 */
import type { FriendDto } from '../../../../shared/dto.js';
import { iconSvg } from '../../art/icons.js';
import { t } from '../../i18n.js';
import { h, setText } from '../../kit/dom.js';
import './friends.css';

export interface FriendsPanelHandlers {
  close(): void;
  invite(): void;
  copyCode(): void;
  add(code: string): void;
  watch(friend: FriendDto): void;
}

/** The same rule as the server's schema, so obviously bad codes never leave the device. */
const CODE_PATTERN = /^[A-Za-z0-9]{4,32}$/;

export class FriendsPanel {
  readonly el: HTMLElement;
  private readonly code: HTMLElement;
  private readonly link: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly addButton: HTMLButtonElement;
  private readonly list: HTMLElement;
  private busy = false;

  constructor(private readonly handlers: FriendsPanelHandlers) {
    this.code = h('span', { class: 'invite-code', testid: 'my-invite-code' });
    this.link = h('p', { class: 'invite-link', testid: 'invite-link', attrs: { hidden: '' } });
    this.input = h('input', {
      class: 'text-input',
      testid: 'friend-code-input',
      attrs: {
        type: 'text',
        placeholder: t('friends.codePlaceholder'),
        'aria-label': t('friends.codePlaceholder'),
        autocomplete: 'off',
        autocapitalize: 'off',
        spellcheck: 'false',
        maxlength: '32',
        enterkeyhint: 'send',
      },
      on: { input: () => this.refresh() },
    });
    this.addButton = h('button', {
      class: 'primary-button compact',
      testid: 'friend-add',
      text: t('friends.add'),
      attrs: { type: 'submit' },
    });
    this.list = h('ul', { class: 'stack-list friend-list', testid: 'friend-list' });

    const header = h('header', { class: 'panel-header' }, [
      h('h2', { class: 'panel-title', text: t('friends.title'), attrs: { id: 'friends-title' } }),
      h(
        'button',
        {
          class: 'icon-button',
          testid: 'friends-close',
          attrs: { type: 'button', 'aria-label': t('friends.close'), title: t('friends.close') },
          on: { click: () => handlers.close() },
        },
        [iconSvg('close', 20)],
      ),
    ]);

    const inviteCard = h('section', { class: 'card invite-card' }, [
      h('div', { class: 'field-label', text: t('friends.yourCodeLabel') }),
      h('div', { class: 'invite-row' }, [
        this.code,
        h(
          'button',
          {
            class: 'icon-button',
            testid: 'copy-code',
            attrs: { type: 'button', 'aria-label': t('friends.copy'), title: t('friends.copy') },
            on: { click: () => handlers.copyCode() },
          },
          [iconSvg('copy', 20)],
        ),
      ]),
      this.link,
      h(
        'button',
        { class: 'primary-button', testid: 'friend-invite', attrs: { type: 'button' }, on: { click: () => handlers.invite() } },
        [iconSvg('share', 18), h('span', { text: t('friends.invite') })],
      ),
    ]);

    const addForm = h(
      'form',
      {
        class: 'card add-friend',
        attrs: { novalidate: '' },
        on: {
          submit: (event) => {
            event.preventDefault();
            if (!this.addButton.disabled) handlers.add(this.input.value.trim());
          },
        },
      },
      [h('div', { class: 'field-label', text: t('friends.addByCode') }), h('div', { class: 'add-row' }, [this.input, this.addButton])],
    );

    this.el = h(
      'div',
      { class: 'friends-sheet', testid: 'friends-panel', attrs: { role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'friends-title', hidden: '' } },
      [h('div', { class: 'friends-body' }, [header, inviteCard, addForm, this.list])],
    );
    this.refresh();
  }

  get open(): boolean {
    return !this.el.hidden;
  }

  show(inviteCode: string): void {
    setText(this.code, inviteCode);
    this.el.hidden = false;
    requestAnimationFrame(() => this.el.classList.add('open'));
  }

  hide(): void {
    this.el.classList.remove('open');
    this.el.hidden = true;
  }

  /** Shows the invite link in the panel (when it could not be shared through Telegram). */
  showLink(link: string): void {
    setText(this.link, link);
    this.link.hidden = false;
  }

  setBusy(busy: boolean): void {
    this.busy = busy;
    this.refresh();
  }

  clearInput(): void {
    this.input.value = '';
    this.refresh();
  }

  setLoading(): void {
    this.list.replaceChildren(h('li', { class: 'friend-empty', text: t('app.loading') }));
  }

  setFriends(friends: readonly FriendDto[]): void {
    if (friends.length === 0) {
      this.list.replaceChildren(h('li', { class: 'friend-empty', testid: 'friends-empty', text: t('friends.empty') }));
      return;
    }
    this.list.replaceChildren(
      ...friends.map((friend) => {
        const pets = t(friend.petCount === 1 ? 'friends.petsOne' : 'friends.pets', { count: friend.petCount });
        const initial = [...friend.firstName.trim()][0]?.toUpperCase() ?? '?';
        return h('li', {}, [
          h(
            'button',
            {
              class: 'friend-item',
              testid: 'friend-item',
              attrs: { type: 'button', 'data-friend-id': friend.id },
              on: { click: () => this.handlers.watch(friend) },
            },
            [
              h('span', { class: 'avatar', text: initial, attrs: { 'aria-hidden': 'true', style: `--hue: ${hue(friend.id)}` } }),
              h('span', { class: 'friend-text' }, [
                h('span', { class: 'friend-name', text: friend.firstName }),
                h('span', { class: 'friend-meta', text: friend.username ? `@${friend.username} · ${pets}` : pets }),
              ]),
              h('span', { class: 'friend-watch' }, [iconSvg('eye', 16), h('span', { text: t('friends.watch') })]),
            ],
          ),
        ]);
      }),
    );
  }

  private refresh(): void {
    this.addButton.disabled = this.busy || !CODE_PATTERN.test(this.input.value.trim());
  }
}

/** A stable avatar colour per friend. */
function hue(id: string): number {
  let n = 0;
  for (const ch of id) n = (n * 31 + ch.charCodeAt(0)) % 360;
  return n;
}
