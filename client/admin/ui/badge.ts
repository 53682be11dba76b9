/** A status badge: a coloured pill with a text (colour is never the only signal). */
import { h } from './dom.js';

export type Tone = 'ok' | 'warn' | 'danger' | 'info' | 'neutral';

export function badge(text: string, tone: Tone = 'neutral', attrs: Record<string, string> = {}): HTMLSpanElement {
  return h('span', { class: `badge badge-${tone}`, ...attrs }, text);
}
