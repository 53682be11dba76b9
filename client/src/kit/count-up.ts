/**
 * A number that counts to its new value instead of jumping (the coin counters), with a short
 * pulse and a floating "+N" / "−N" so a purchase or a reward is felt. `data-value` holds the
 * target at once: tests and screen readers never wait for the animation.
 */
import { signed } from './effects.js';
import { h, setText } from './dom.js';
import './count-up.css';

const reducedMotion = (): boolean =>
  typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;

export class CountUp {
  private target: number | null = null;
  private shown = 0;
  private frame = 0;
  /** The "+N" on show and the value it counts from: changes in quick succession show as one. */
  private float: { el: HTMLElement; from: number } | null = null;

  /**
   * @param el the element whose text is the number
   * @param host where the pulse class and the floating delta go (the pill around it)
   */
  constructor(
    private readonly el: HTMLElement,
    private readonly host: HTMLElement = el,
  ) {}

  get value(): number | null {
    return this.target;
  }

  set(value: number): void {
    const from = this.shown;
    const before = this.target;
    const first = before === null;
    if (value === this.target) return;
    this.target = value;
    this.el.dataset.value = String(value);
    cancelAnimationFrame(this.frame);
    if (first || reducedMotion() || !this.el.isConnected) {
      this.render(value);
      return;
    }
    this.pulse(before, value);
    const start = performance.now();
    const duration = Math.min(900, 350 + Math.abs(value - from) * 4);
    const step = (now: number): void => {
      const t = Math.min(1, (now - start) / duration);
      const eased = 1 - (1 - t) ** 3;
      this.render(Math.round(from + (value - from) * eased));
      if (t < 1) this.frame = requestAnimationFrame(step);
    };
    this.frame = requestAnimationFrame(step);
  }

  private render(value: number): void {
    this.shown = value;
    setText(this.el, String(value));
  }

  private pulse(before: number, value: number): void {
    const base = this.float?.el.isConnected ? this.float.from : before;
    this.float?.el.remove();
    this.float = null;
    const delta = value - base;
    const kind = value > before ? 'gain' : 'spend';
    this.host.classList.remove('gain', 'spend');
    // Restart the animation when it is already running.
    void this.host.offsetWidth;
    this.host.classList.add(kind);
    if (delta === 0) return;
    const el = h('span', { class: `count-delta ${delta > 0 ? 'gain' : 'spend'}`, text: signed(delta), attrs: { 'aria-hidden': 'true' } });
    this.host.append(el);
    this.float = { el, from: base };
    const done = (): void => {
      el.remove();
      if (this.float?.el === el) this.float = null;
    };
    el.addEventListener('animationend', done);
    setTimeout(done, 1500);
  }
}
