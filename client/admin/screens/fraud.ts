/**
 * The anti-fraud review (`#/fraud`, `#/fraud/<status>/<kind>`): flags the game raised
 * (GET /admin/fraud/flags), filtered by status and kind, most recently seen first; each with
 * its player (a link to the player's page), kind, severity, how often it was seen and when, and
 * the evidence as JSON. Decisions on open flags, each with a required reason and audited:
 * clear, warn (the toast says whether the bot message went out), exclude from the leaderboards
 * and, for admins only, ban. Refreshes every 10 s, paused while the tab is hidden.
 */
import type { FraudDecision, FraudFlag } from '../api.js';
import { language, t, type MessageKey } from '../i18n.js';
import { screenHref, type ScreenContext } from '../screens.js';
import { badge, field, formatDateTime, formatNumber, h, shortId, type Tone } from '../ui/index.js';
import { fact, pagedQueue, reasonAction, redraw } from './queue-kit.js';

type Status = FraudFlag['status'];
type Kind = FraudFlag['kind'];
// As in shared/dto.ts (not imported: that would bring TypeBox into the panel's chunk).
const FRAUD_STATUSES = ['open', 'cleared', 'warned', 'banned', 'excluded'] as const satisfies readonly Status[];
const FRAUD_KINDS = ['minigame_anomaly', 'utc_offset_changes', 'refunds', 'payment_mismatch', 'ip_burst', 'rate_limited', 'referral_cap', 'referral_address', 'referral_churn'] as const satisfies readonly Kind[];

const SEVERITY_TONE: Record<FraudFlag['severity'], Tone> = { low: 'info', medium: 'warn', high: 'danger' };
const STATUS_TONE: Record<Status, Tone> = { open: 'info', cleared: 'ok', warned: 'warn', banned: 'danger', excluded: 'danger' };
const DECISIONS: ReadonlyArray<{ decision: FraudDecision; danger: boolean; adminOnly: boolean }> = [
  { decision: 'clear', danger: false, adminOnly: false },
  { decision: 'warn', danger: false, adminOnly: false },
  { decision: 'exclude', danger: true, adminOnly: false },
  { decision: 'ban', danger: true, adminOnly: true },
];

const time = (iso: string) => h('time', { datetime: iso }, formatDateTime(iso));
const isStatus = (v: string | undefined): v is Status => (FRAUD_STATUSES as readonly string[]).includes(v ?? '');
const isKind = (v: string | undefined): v is Kind => (FRAUD_KINDS as readonly string[]).includes(v ?? '');

export function render(root: HTMLElement, ctx: ScreenContext): () => void {
  let status: Status = isStatus(ctx.params[0]) ? ctx.params[0] : 'open';
  let kind: Kind | '' = isKind(ctx.params[1]) ? ctx.params[1] : '';

  const statusField = field({
    label: t('mq.status'),
    name: 'status',
    value: status,
    options: FRAUD_STATUSES.map((s) => ({ value: s, label: t(`fraud.status.${s}` as MessageKey) })),
    attrs: { 'data-testid': 'fraud-status' },
  });
  const kindField = field({
    label: t('fraud.kind'),
    name: 'kind',
    value: kind,
    options: [{ value: '', label: t('fraud.kind.all') }, ...FRAUD_KINDS.map((k) => ({ value: k, label: t(`fraud.kind.${k}` as MessageKey) }))],
    attrs: { 'data-testid': 'fraud-kind' },
  });
  const count = h('p', { class: 'muted mq-count', 'data-testid': 'fraud-count' });
  const list = h('div', { class: 'mq-list', 'data-testid': 'fraud-list', 'data-state': 'loading' }, h('p', { class: 'muted' }, t('app.loading')));
  const more = h('button', { type: 'button', class: 'button', hidden: true, 'data-testid': 'fraud-more' }, t('mq.more'));
  root.append(h('div', { class: 'toolbar mq-toolbar' }, statusField.root, kindField.root, count), list, more);

  const onFilter = () => {
    status = statusField.input.value as Status;
    kind = kindField.input.value as Kind | '';
    history.replaceState(null, '', kind ? screenHref('fraud', status, kind) : screenHref('fraud', status));
    queue.reset();
  };
  statusField.input.addEventListener('change', onFilter);
  kindField.input.addEventListener('change', onFilter);

  const afterAction = () => queue.refresh();

  const decide = (flag: FraudFlag, decision: FraudDecision, danger: boolean) => {
    const player = flag.playerName || shortId(flag.playerId);
    void reasonAction({
      title: t(`fraud.${decision}.title` as MessageKey, { player }),
      message: t(`fraud.${decision}.message` as MessageKey, { player }),
      confirmLabel: t(`fraud.action.${decision}` as MessageKey),
      danger,
      run: (reason) => ctx.api.decideFraudFlag(flag.id, decision, reason),
      done: (r) =>
        decision === 'warn'
          ? r.messaged
            ? { text: t('fraud.done.warn.sent', { player }) }
            : { text: t('fraud.done.warn.notSent', { player }), tone: 'warn' }
          : { text: t(`fraud.done.${decision}` as MessageKey, { player }) },
      codes: { FLAG_DECIDED: 'fraud.err.FLAG_DECIDED', ADMIN_ROLE_REQUIRED: 'fraud.err.ADMIN_ROLE_REQUIRED' },
    }).then((ok) => ok && afterAction());
  };

  const card = (f: FraudFlag): HTMLElement => {
    const titleId = `flag-${f.id}`;
    const evidence = JSON.stringify(f.evidence, null, 2);
    const decided =
      f.status === 'open'
        ? null
        : h(
            'p',
            { class: 'mq-decision', 'data-testid': 'flag-decision' },
            t('fraud.decided', { status: t(`fraud.status.${f.status}` as MessageKey), by: f.decidedBy ?? '—', at: f.decidedAt ? formatDateTime(f.decidedAt) : '—' }),
            f.decisionReason ? h('span', { class: 'mq-decision-reason' }, ` — “${f.decisionReason}”`) : null,
          );
    const buttons =
      f.status === 'open'
        ? DECISIONS.filter((d) => !d.adminOnly || ctx.can('admin')).map((d) => {
            const b = h('button', { type: 'button', class: `button${d.decision === 'ban' ? ' button-danger' : ''}`, 'data-testid': `decide-${d.decision}-${f.id}`, 'data-decision': d.decision }, t(`fraud.action.${d.decision}` as MessageKey));
            b.addEventListener('click', () => decide(f, d.decision, d.danger));
            return b;
          })
        : [];
    return h(
      'article',
      { class: `mq-card mq-flag mq-sev-${f.severity}`, 'aria-labelledby': titleId, 'data-testid': 'fraud-flag', 'data-flag': f.id, 'data-kind': f.kind },
      h(
        'div',
        { class: 'mq-main' },
        h(
          'div',
          { class: 'mq-head' },
          h('h2', { class: 'mq-title', id: titleId }, t(`fraud.kind.${f.kind}` as MessageKey)),
          badge(t(`fraud.severity.${f.severity}` as MessageKey), SEVERITY_TONE[f.severity], { 'data-testid': 'flag-severity' }),
          f.status !== 'open' ? badge(t(`fraud.status.${f.status}` as MessageKey), STATUS_TONE[f.status], { 'data-testid': 'flag-status' }) : null,
        ),
        h('p', { class: 'mq-owner' }, `${t('fraud.player')}: `, h('a', { href: screenHref('players', f.playerId), 'data-testid': 'flag-player' }, f.playerName || shortId(f.playerId)), ' ', h('span', { class: 'mono muted', title: f.playerId }, shortId(f.playerId))),
        h(
          'dl',
          { class: 'mq-facts' },
          fact(t('fraud.count'), h('span', { 'data-testid': 'flag-count' }, `${formatNumber(f.count)}×`)),
          fact(t('fraud.firstSeen'), time(f.firstSeenAt)),
          fact(t('fraud.lastSeen'), time(f.lastSeenAt)),
        ),
        h('details', { class: 'disclosure mq-evidence', 'data-testid': 'flag-evidence' }, h('summary', {}, t('fraud.evidence')), h('pre', { class: 'json', tabindex: 0, 'aria-label': t('fraud.evidence') }, evidence)),
        decided,
        buttons.length ? h('div', { class: 'actions mq-actions', role: 'group', 'aria-label': t('fraud.decision') }, ...buttons) : null,
      ),
    );
  };

  const draw = () => {
    const signature = `${language()}|${status}|${kind}|${JSON.stringify(queue.items)}`;
    // Keep open evidence open across refreshes.
    const open = new Set([...list.querySelectorAll<HTMLDetailsElement>('details[open]')].map((d) => d.closest<HTMLElement>('[data-flag]')?.dataset.flag));
    redraw(list, signature, () => (queue.items.length === 0 ? [h('p', { class: 'empty-state', 'data-testid': 'fraud-empty' }, t('fraud.empty'))] : queue.items.map(card)));
    for (const el of list.querySelectorAll<HTMLElement>('[data-flag]')) if (open.has(el.dataset.flag)) el.querySelector('details')?.setAttribute('open', '');
    count.textContent = t('mq.count', { n: queue.items.length });
    more.hidden = queue.nextCursor === null;
  };

  const queue = pagedQueue({
    ctx,
    list,
    more,
    key: () => `${status}|${kind}`,
    fetch: (limit, cursor) => ctx.api.fraudFlags({ status, ...(kind ? { kind } : {}), limit, ...(cursor ? { cursor } : {}) }),
    draw,
  });

  return () => queue.stop();
}
