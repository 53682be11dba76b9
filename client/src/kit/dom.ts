/** A tiny element builder: enough for a handful of panels without a UI framework. */
// The kit's shared controls (cards, fields, buttons) and chips style what this builds everywhere.
import './controls.css';
import './chips.css';

type Child = Node | string | null | undefined | false;

interface ElementProps {
  class?: string;
  text?: string;
  testid?: string;
  attrs?: Record<string, string>;
  on?: Partial<{ [K in keyof HTMLElementEventMap]: (event: HTMLElementEventMap[K]) => void }>;
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: ElementProps = {},
  children: Child[] = [],
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props.class) el.className = props.class;
  if (props.text !== undefined) el.textContent = props.text;
  if (props.testid) el.dataset.testid = props.testid;
  for (const [name, value] of Object.entries(props.attrs ?? {})) el.setAttribute(name, value);
  for (const [type, handler] of Object.entries(props.on ?? {})) {
    el.addEventListener(type, handler as EventListener);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child);
  }
  return el;
}

/** Sets text only when it changed: avoids needless layout and keeps screen readers calm. */
export function setText(el: Element, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}
