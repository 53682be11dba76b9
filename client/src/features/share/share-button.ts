/**
 * The owner's Share button on the pet's picture card (top-left corner; the picture menu has
 * the top-right one) and what a tap does: ask the server for the pet's share links, then
 * share the best way the player's Telegram allows (share-choice.ts): a story with the story
 * card and a widget link to the bot carrying the owner's referral, a message the server
 * prepared, Telegram's download of the card, Telegram's share sheet with the public page,
 * or outside Telegram a plain download of the card. Failures end in a toast.
 */
import type { ShareInfoDto } from '../../../../shared/dto.js';
import { iconSvg } from '../../art/icons.js';
import { errorText, t } from '../../i18n.js';
import { h } from '../../kit/dom.js';
import type { ToastKind } from '../../kit/toasts.js';
import type { Api } from '../../net/api.js';
import { ClientError } from '../../net/errors.js';
import { downloadFile, openTelegramLink, shareHost, shareMessage, shareToStory } from '../../telegram.js';
import type { Rect } from '../home/home-layout.js';
import { cardFileName, chooseShare, telegramShareUrl, type ShareMethod } from './share-choice.js';
import '../home/home.css';
import './share.css';

const BUTTON = 34;
const BUTTON_SMALL = 28;
const INSET = 8;
const INSET_SMALL = 6;
const SMALL_CARD = 170;

interface ShareDeps {
  api: Api;
  notify(message: string, kind: ToastKind): void;
}

export class ShareButton {
  readonly el: HTMLElement;
  private readonly button: HTMLButtonElement;
  private pet: { id: string; name: string } | null = null;
  private busy = false;

  constructor(private readonly deps: ShareDeps) {
    this.button = h(
      'button',
      {
        class: 'picture-button share-button',
        testid: 'share-open',
        attrs: { type: 'button', 'aria-label': t('share.button'), title: t('share.button') },
        on: { click: () => void this.share() },
      },
      [iconSvg('share', 20)],
    );
    this.el = h('div', { class: 'picture-tools share-tools', attrs: { hidden: '' } }, [this.button]);
  }

  /** Puts the button on the picture card's top-left corner (stage CSS px). */
  place(picture: Rect): void {
    const small = picture.width < SMALL_CARD;
    const inset = small ? INSET_SMALL : INSET;
    this.el.classList.toggle('small', small);
    this.el.style.left = `${Math.round(picture.x + inset)}px`;
    this.el.style.top = `${Math.round(picture.y + inset)}px`;
    this.el.style.setProperty('--share-size', `${small ? BUTTON_SMALL : BUTTON}px`);
  }

  /** Shown for my pet on show (never a friend's). */
  setPet(pet: { id: string; name: string } | null): void {
    this.pet = pet;
    this.el.hidden = pet === null;
    if (pet) {
      const label = t('share.buttonLabel', { name: pet.name });
      this.button.setAttribute('aria-label', label);
      this.button.title = label;
    }
  }

  /** Shares the pet on show; resolves with the way it went (tests read `data-method`). */
  async share(): Promise<ShareMethod | null> {
    const pet = this.pet;
    if (!pet || this.busy) return null;
    this.setBusy(true);
    try {
      const info = await this.deps.api.shareInfo(pet.id);
      const method = chooseShare(shareHost());
      this.button.dataset.method = method;
      await this.run(method, info, pet.name, pet.id);
      return method;
    } catch (err) {
      this.deps.notify(err instanceof ClientError ? errorText(err.code) : t('share.failed'), 'error');
      return null;
    } finally {
      this.setBusy(false);
    }
  }

  private async run(method: ShareMethod, info: ShareInfoDto, name: string, petId: string): Promise<void> {
    const text = t('share.storyText', { name });
    switch (method) {
      case 'story':
        if (!shareToStory(info.storyCardUrl, { text, ...(info.botLink ? { widget_link: { url: info.botLink, name: t('share.widget') } } : {}) })) {
          throw new Error('shareToStory failed');
        }
        return;
      case 'message': {
        let prepared: { preparedMessageId: string };
        try {
          prepared = await this.deps.api.prepareShare(petId);
        } catch (err) {
          // The bot could not prepare it (no bot, Telegram refused): the share sheet still works.
          if (err instanceof ClientError && err.code === 'SHARE_UNAVAILABLE') return this.run('link', info, name, petId);
          throw err;
        }
        if (!shareMessage(prepared.preparedMessageId, () => undefined)) throw new Error('shareMessage failed');
        return;
      }
      case 'download':
        if (!downloadFile(info.storyCardUrl, cardFileName(name), () => undefined)) throw new Error('downloadFile failed');
        return;
      case 'link':
        if (!openTelegramLink(telegramShareUrl(info.pageUrl, text))) throw new Error('openTelegramLink failed');
        return;
      case 'browser':
        await browserDownload(info.storyCardUrl, cardFileName(name));
        this.deps.notify(t('share.saved'), 'success');
        return;
    }
  }

  private setBusy(busy: boolean): void {
    this.busy = busy;
    this.button.disabled = busy;
    this.button.classList.toggle('busy', busy);
  }
}

/**
 * A plain download of the card: fetched and saved from a blob (a cross-origin URL would make
 * `<a download>` navigate instead of saving).
 */
async function browserDownload(url: string, fileName: string): Promise<void> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`card: HTTP ${response.status}`);
  const blob = await response.blob();
  const href = URL.createObjectURL(blob);
  const link = h('a', { attrs: { href, download: fileName, hidden: '' } });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}
