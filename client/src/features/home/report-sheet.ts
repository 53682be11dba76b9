/**
 * Reporting a friend's pet from their home: a small bottom sheet to pick what is wrong (the
 * name, the picture, something else), an optional note, and Send. The coordinator sends it
 * and shows the answer as a toast.
 */
import { REPORT_REASONS, type ReportReasonDto } from '../../../../shared/dto.js';
import { t } from '../../i18n.js';
import { h } from '../../kit/dom.js';
import { Modal } from '../../kit/modal.js';

export class ReportSheet {
  private readonly modal = new Modal('report', 'report-close');
  private readonly reasons = new Map<ReportReasonDto, HTMLButtonElement>();
  private readonly note: HTMLInputElement;
  private readonly send: HTMLButtonElement;
  private reason: ReportReasonDto | null = null;
  private petId = '';

  constructor(private readonly handlers: { send(petId: string, reason: ReportReasonDto, note: string): Promise<void> }) {
    const group = h('div', { class: 'report-reasons', attrs: { role: 'radiogroup', 'aria-label': t('report.prompt') } });
    for (const reason of REPORT_REASONS) {
      const button = h('button', {
        class: 'secondary-button report-reason',
        testid: `report-reason-${reason}`,
        text: t(`report.reason.${reason}`),
        attrs: { type: 'button', role: 'radio', 'aria-checked': 'false' },
        on: { click: () => this.pick(reason) },
      });
      this.reasons.set(reason, button);
      group.append(button);
    }
    this.note = h('input', {
      class: 'text-input',
      testid: 'report-note',
      attrs: { type: 'text', maxlength: '200', placeholder: t('report.note'), 'aria-label': t('report.note') },
    });
    this.send = h('button', {
      class: 'primary-button',
      testid: 'report-send',
      text: t('report.send'),
      attrs: { type: 'button', disabled: '' },
      on: { click: () => void this.submit() },
    });
    this.modal.body.append(h('p', { class: 'report-prompt', text: t('report.prompt') }), group, this.note, this.send);
  }

  get el(): HTMLElement {
    return this.modal.el;
  }

  open(petId: string, petName: string): void {
    this.petId = petId;
    this.note.value = '';
    this.pick(null);
    this.modal.show(t('report.title', { name: petName }));
  }

  close(): void {
    this.modal.close();
  }

  private pick(reason: ReportReasonDto | null): void {
    this.reason = reason;
    for (const [r, button] of this.reasons) button.setAttribute('aria-checked', String(r === reason));
    this.send.disabled = reason === null;
  }

  private async submit(): Promise<void> {
    if (!this.reason) return;
    this.send.disabled = true;
    try {
      await this.handlers.send(this.petId, this.reason, this.note.value.trim());
      this.close();
    } finally {
      this.send.disabled = this.reason === null;
    }
  }
}
