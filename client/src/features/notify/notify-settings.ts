/**
 * The bot notification switches (shown in the progress sheet): all on or off, and one switch
 * per kind, with what Telegram allows. A change is sent at once; on failure the switch goes
 * back and the error is shown.
 */
import { NOTIFICATION_SWITCHES, type NotificationSettingsDto, type NotificationSettingsPatch, type NotificationSwitch } from '../../../../shared/notifications.js';
import { t } from '../../i18n.js';
import { h, setText } from '../../kit/dom.js';
import './notify.css';

export interface NotifySettingsDeps {
  load(): Promise<NotificationSettingsDto>;
  save(patch: NotificationSettingsPatch): Promise<NotificationSettingsDto>;
  fail(error: unknown): void;
}

function toggle(label: string, testid: string, onChange: (on: boolean) => void): HTMLInputElement {
  return h('input', {
    class: 'notify-toggle',
    testid,
    attrs: { type: 'checkbox', role: 'switch', 'aria-label': label },
    on: {
      change: (event) => {
        const input = event.target as HTMLInputElement;
        input.setAttribute('aria-checked', String(input.checked));
        onChange(input.checked);
      },
    },
  });
}

export class NotifySettings {
  readonly el: HTMLElement;
  private readonly all: HTMLInputElement;
  private readonly switches = new Map<NotificationSwitch, HTMLInputElement>();
  private readonly status: HTMLElement;
  private readonly rules: HTMLElement;
  private settings: NotificationSettingsDto | null = null;

  constructor(private readonly deps: NotifySettingsDeps) {
    this.all = toggle(t('notify.all'), 'notify-all', (on) => void this.change({ muted: !on }));
    const row = (label: string, input: HTMLInputElement, extra = '') =>
      h('label', { class: `notify-row${extra}` }, [h('span', { class: 'notify-label', text: label }), input]);
    const rows = NOTIFICATION_SWITCHES.map((s) => {
      const input = toggle(t(`notify.switch.${s}`), `notify-switch-${s}`, (on) => void this.change({ switches: { [s]: on } }));
      this.switches.set(s, input);
      return row(t(`notify.switch.${s}`), input, ' notify-kind');
    });
    this.status = h('p', { class: 'notify-status', testid: 'notify-status', attrs: { hidden: '' } });
    this.rules = h('p', { class: 'notify-rules' });
    this.el = h('section', { class: 'progress-section notify-settings', testid: 'notify-settings', attrs: { 'aria-labelledby': 'notify-title', hidden: '' } }, [
      h('header', { class: 'section-head' }, [h('h3', { text: t('notify.title'), attrs: { id: 'notify-title' } })]),
      h('div', { class: 'card notify-card' }, [row(t('notify.all'), this.all, ' notify-master'), ...rows]),
      this.status,
      this.rules,
    ]);
  }

  /** Loads the settings (each time the sheet opens: /stop in the bot may have changed them). */
  async refresh(): Promise<void> {
    try {
      this.render(await this.deps.load());
    } catch (error) {
      this.deps.fail(error);
    }
  }

  private async change(patch: NotificationSettingsPatch): Promise<void> {
    const before = this.settings;
    if (!before) return;
    this.setBusy(true);
    try {
      this.render(await this.deps.save(patch));
    } catch (error) {
      this.render(before);
      this.deps.fail(error);
    } finally {
      this.setBusy(false);
    }
  }

  private setBusy(busy: boolean): void {
    this.all.disabled = busy;
    for (const input of this.switches.values()) input.disabled = busy || !this.all.checked;
  }

  private render(settings: NotificationSettingsDto): void {
    this.settings = settings;
    this.el.hidden = false;
    this.el.dataset.state = 'ready';
    const set = (input: HTMLInputElement, on: boolean) => {
      input.checked = on;
      input.setAttribute('aria-checked', String(on));
    };
    set(this.all, !settings.muted);
    for (const [s, input] of this.switches) {
      set(input, settings.switches[s]);
      input.disabled = settings.muted;
    }
    this.el.classList.toggle('muted', settings.muted);
    const problem = settings.unreachable ? t('notify.blocked') : !settings.allowed ? t('notify.notAllowed') : '';
    setText(this.status, problem);
    this.status.hidden = problem === '';
    setText(this.rules, t('notify.rules', { max: settings.dailyMax }));
  }
}
