/**
 * Moderation (`#/moderation`, `#/moderation/names/resolved`…): the queue of reports grouped per
 * pet and of names the word filter refused (GET /admin/moderation/queue), open or resolved.
 * A report group shows the pet's current picture, its owner (a link to the player's page), the
 * reasons with their counts, the reporters and when; moderators hide the picture, show a hidden
 * one again (it is fetched with the token from /admin/images/:id), dismiss the reports or rename
 * the pet. Refused names: who, what, where, when; dismiss. Every action asks for a reason and is
 * audited. Refreshes every 10 s, paused while the tab is hidden.
 */
import type { NameAttempt, ReportGroup } from '../api.js';
import { language, t, type MessageKey } from '../i18n.js';
import { screenHref, type ScreenContext } from '../screens.js';
import { badge, dataTable, field, formatDateTime, formatNumber, h, shortId, toast } from '../ui/index.js';
import { ProtectedImages, errorText, fact, formDialog, pagedQueue, reasonAction, redraw, segmented } from './queue-kit.js';

type Tab = 'reports' | 'names';
type Status = 'open' | 'resolved';
const REPORT_REASONS = ['picture', 'name', 'other'] as const satisfies ReadonlyArray<keyof ReportGroup['reasons']>;

const time = (iso: string) => h('time', { datetime: iso }, formatDateTime(iso));

export function render(root: HTMLElement, ctx: ScreenContext): () => void {
  let tab: Tab = ctx.params[0] === 'names' ? 'names' : 'reports';
  let status: Status = ctx.params[1] === 'resolved' ? 'resolved' : 'open';
  const images = new ProtectedImages(ctx.api);

  const list = h('div', { class: 'mq-list', 'data-testid': 'moderation-list', 'data-state': 'loading', 'aria-live': 'off' }, h('p', { class: 'muted' }, t('app.loading')));
  const count = h('p', { class: 'muted mq-count', 'data-testid': 'moderation-count' });
  const more = h('button', { type: 'button', class: 'button', hidden: true, 'data-testid': 'moderation-more' }, t('mq.more'));

  const setUrl = () => history.replaceState(null, '', screenHref('moderation', tab, status));
  const switchTo = () => {
    setUrl();
    queue.reset();
  };

  root.append(
    h(
      'div',
      { class: 'toolbar mq-toolbar' },
      segmented<Tab>(
        t('mod.queue'),
        [
          { value: 'reports', label: t('mod.tab.reports'), testid: 'moderation-tab-reports' },
          { value: 'names', label: t('mod.tab.names'), testid: 'moderation-tab-names' },
        ],
        tab,
        (v) => {
          tab = v;
          switchTo();
        },
      ),
      segmented<Status>(
        t('mq.status'),
        [
          { value: 'open', label: t('mq.status.open'), testid: 'moderation-status-open' },
          { value: 'resolved', label: t('mq.status.resolved'), testid: 'moderation-status-resolved' },
        ],
        status,
        (v) => {
          status = v;
          switchTo();
        },
      ),
      count,
    ),
    list,
    more,
  );

  const afterAction = () => queue.refresh();

  // --- Reports -------------------------------------------------------------------------------

  const reportCard = (g: ReportGroup): HTMLElement => {
    const petLabel = g.petName;
    const picture = g.pictureUrl
      ? h('img', { src: g.pictureUrl, alt: t('mod.picture.alt', { name: petLabel }), class: 'mq-pic-img', loading: 'lazy', 'data-testid': 'report-picture' })
      : h('span', { class: 'mq-pic-missing' }, t('mod.picture.none'));
    const hidden = g.hiddenPictureUrl ? images.img(g.hiddenPictureUrl, t('mod.picture.hiddenAlt', { name: petLabel }), { 'data-testid': 'report-hidden-picture' }) : null;
    const reasons = REPORT_REASONS.filter((r) => g.reasons[r] > 0).map((r) =>
      badge(`${t(`mod.reason.${r}` as MessageKey)} × ${formatNumber(g.reasons[r])}`, r === 'picture' ? 'danger' : r === 'name' ? 'warn' : 'neutral', { 'data-testid': `report-reason-${r}` }),
    );
    const id = g.petId;
    const buttons: HTMLElement[] = [];
    if (status === 'open' && g.pictureId) {
      const b = h('button', { type: 'button', class: 'button button-danger', 'data-testid': `hide-${id}` }, t('mod.action.hide'));
      b.addEventListener('click', () =>
        void reasonAction({
          title: t('mod.hide.title', { name: petLabel }),
          message: t('mod.hide.message'),
          confirmLabel: t('mod.action.hide'),
          danger: true,
          run: (reason) => ctx.api.hidePicture(id, reason),
          done: (r) => ({ text: t('mod.hide.done', { n: r.resolvedReports }) }),
          codes: { NO_PICTURE_TO_HIDE: 'mod.err.NO_PICTURE_TO_HIDE' },
        }).then((ok) => ok && afterAction()),
      );
      buttons.push(b);
    }
    if (g.hiddenPictureId) {
      const hiddenId = g.hiddenPictureId;
      const b = h('button', { type: 'button', class: 'button', 'data-testid': `unhide-${id}` }, t('mod.action.unhide'));
      b.addEventListener('click', () =>
        void reasonAction({
          title: t('mod.unhide.title', { name: petLabel }),
          message: t('mod.unhide.message'),
          confirmLabel: t('mod.action.unhide'),
          run: (reason) => ctx.api.unhidePicture(id, reason, hiddenId),
          done: () => ({ text: t('mod.unhide.done') }),
          codes: { PICTURE_NOT_HIDDEN: 'mod.err.PICTURE_NOT_HIDDEN' },
        }).then((ok) => ok && afterAction()),
      );
      buttons.push(b);
    }
    const rename = h('button', { type: 'button', class: 'button', 'data-testid': `rename-${id}` }, t('mod.action.rename'));
    rename.addEventListener('click', () => void renameDialog(g).then((ok) => ok && afterAction()));
    buttons.push(rename);
    if (status === 'open') {
      const b = h('button', { type: 'button', class: 'button', 'data-testid': `dismiss-${id}` }, t('mod.action.dismiss'));
      b.addEventListener('click', () =>
        void reasonAction({
          title: t('mod.dismiss.title', { name: petLabel }),
          message: t('mod.dismiss.message'),
          confirmLabel: t('mod.action.dismiss'),
          run: (reason) => ctx.api.dismissPetReports(id, reason),
          done: (r) => ({ text: t('mod.dismiss.done', { n: r.resolvedReports }) }),
        }).then((ok) => ok && afterAction()),
      );
      buttons.push(b);
    }

    const titleId = `pet-${id}`;
    return h(
      'article',
      { class: 'mq-card', 'aria-labelledby': titleId, 'data-testid': 'report-group', 'data-pet': id },
      h(
        'div',
        { class: 'mq-pics' },
        h('figure', { class: 'mq-pic' }, h('span', { class: 'mq-pic-box' }, picture), h('figcaption', {}, t('mod.picture.current'))),
        hidden ? h('figure', { class: 'mq-pic mq-pic-hidden' }, hidden, h('figcaption', {}, badge(t('mod.picture.hidden'), 'warn'))) : null,
      ),
      h(
        'div',
        { class: 'mq-main' },
        h(
          'div',
          { class: 'mq-head' },
          h('h2', { class: 'mq-title', id: titleId }, h('span', { 'data-testid': 'report-pet-name' }, petLabel)),
          h('span', { class: 'mono muted', title: id }, shortId(id)),
        ),
        h('p', { class: 'mq-owner' }, `${t('mod.owner')}: `, h('a', { href: screenHref('players', g.ownerId), 'data-testid': 'report-owner' }, g.ownerName || shortId(g.ownerId))),
        h('div', { class: 'mq-badges', 'aria-label': t('mod.reasons') }, ...reasons),
        h(
          'dl',
          { class: 'mq-facts' },
          fact(t('mod.reporters'), h('span', { 'data-testid': 'report-reporters' }, formatNumber(g.reporters))),
          fact(t('mod.firstReported'), time(g.firstReportedAt)),
          fact(t('mod.lastReported'), time(g.lastReportedAt)),
        ),
        h('div', { class: 'actions mq-actions' }, ...buttons),
      ),
    );
  };

  const renameDialog = (g: ReportGroup): Promise<boolean> => {
    const name = field({ label: t('mod.rename.name'), name: 'name', value: g.petName, hint: t('mod.rename.hint'), required: true, attrs: { maxlength: 64, 'data-testid': 'rename-name', autocomplete: 'off' } });
    const dismissId = `rename-dismiss-${g.petId}`;
    const dismiss = h('input', { type: 'checkbox', id: dismissId, 'data-testid': 'rename-dismiss', ...(status === 'open' ? { checked: true } : {}) });
    const extras = status === 'open' ? [h('div', { class: 'mq-check' }, dismiss, h('label', { for: dismissId }, t('mod.rename.dismiss')))] : [];
    return formDialog({
      title: t('mod.rename.title', { name: g.petName }),
      fields: [name],
      extra: extras,
      confirmLabel: t('mod.action.rename'),
      testid: 'rename-dialog',
      submit: async (reason) => {
        const text = name.input.value.trim();
        if (!text) return { error: t('mod.err.NAME_INVALID'), field: name };
        try {
          const pet = await ctx.api.moderationRenamePet(g.petId, text, reason);
          let dismissed = 0;
          if (status === 'open' && dismiss.checked) dismissed = (await ctx.api.dismissPetReports(g.petId, reason)).resolvedReports;
          toastRenamed(pet.name, dismissed);
          return null;
        } catch (err) {
          const code = err instanceof Error && 'code' in err ? String((err as { code: unknown }).code) : '';
          if (code === 'NAME_REJECTED' || code === 'NAME_INVALID' || code === 'VALIDATION_FAILED') return { error: t(code === 'NAME_REJECTED' ? 'mod.err.NAME_REJECTED' : 'mod.err.NAME_INVALID'), field: name };
          return { error: errorText(err) };
        }
      },
    });
  };

  const toastRenamed = (name: string, dismissed: number) => toast(dismissed > 0 ? t('mod.rename.doneDismissed', { name, n: dismissed }) : t('mod.rename.done', { name }), 'ok');

  // --- Refused names -------------------------------------------------------------------------

  const namesTable = (rows: NameAttempt[]): HTMLElement =>
    dataTable({
      caption: t('mod.tab.names'),
      captionHidden: true,
      testid: 'names-table',
      empty: t(status === 'open' ? 'mod.empty.names.open' : 'mod.empty.names.resolved'),
      rows,
      rowKey: (n) => n.id,
      columns: [
        { key: 'text', label: t('mod.name.text'), render: (n) => h('span', { class: 'mq-name-text', 'data-testid': 'name-text' }, n.text) },
        { key: 'player', label: t('mod.name.player'), render: (n) => h('a', { href: screenHref('players', n.playerId), 'data-testid': 'name-player' }, n.playerName || shortId(n.playerId)) },
        { key: 'context', label: t('mod.name.context'), render: (n) => badge(t(n.context === 'rename' ? 'mod.name.context.rename' : 'mod.name.context.adopt'), 'neutral') },
        { key: 'at', label: t('mod.name.at'), wide: true, render: (n) => time(n.createdAt) },
        {
          key: 'actions',
          label: t('mod.name.actions'),
          render: (n) => {
            if (n.status !== 'open') return badge(t('mq.status.resolved'), 'ok');
            const b = h('button', { type: 'button', class: 'button', 'data-testid': `dismiss-name-${n.id}` }, t('mod.name.dismiss'));
            b.addEventListener('click', () =>
              void reasonAction({
                title: t('mod.name.dismiss.title', { text: n.text }),
                message: t('mod.name.dismiss.message'),
                confirmLabel: t('mod.name.dismiss'),
                run: (reason) => ctx.api.dismissNameAttempt(n.id, reason),
                done: () => ({ text: t('mod.name.dismiss.done') }),
              }).then((ok) => ok && afterAction()),
            );
            return b;
          },
        },
      ],
    });

  // --- Loading -------------------------------------------------------------------------------

  const draw = () => {
    const signature = `${language()}|${tab}|${status}|${JSON.stringify(queue.items)}`;
    redraw(list, signature, () => {
      if (tab === 'names') return [namesTable(queue.items.filter((i): i is NameAttempt => i.kind === 'name'))];
      const groups = queue.items.filter((i): i is ReportGroup => i.kind === 'report');
      if (groups.length === 0) return [h('p', { class: 'empty-state', 'data-testid': 'moderation-empty' }, t(status === 'open' ? 'mod.empty.reports.open' : 'mod.empty.reports.resolved'))];
      return groups.map(reportCard);
    });
    count.textContent = t('mq.count', { n: queue.items.length });
    more.hidden = queue.nextCursor === null;
  };

  const queue = pagedQueue({
    ctx,
    list,
    more,
    key: () => `${tab}|${status}`,
    fetch: (limit, cursor) => ctx.api.moderationQueue({ status, kind: tab === 'names' ? 'name' : 'report', limit, ...(cursor ? { cursor } : {}) }),
    draw,
  });

  return () => {
    queue.stop();
    images.dispose();
  };
}
