/** Short texts for what things do to the meters: "+25 Hunger · +2 Mood". */
import type { MeterDelta, Meter } from '../../../shared/balance.js';
import { t } from '../i18n.js';

const ORDER: readonly Meter[] = ['hunger', 'mood', 'cleanliness', 'health'];

export function signed(n: number): string {
  const rounded = Math.round(n);
  return rounded > 0 ? `+${rounded}` : `−${Math.abs(rounded)}`;
}

export function effectText(delta: MeterDelta | undefined): string {
  if (!delta) return '';
  return ORDER.filter((meter) => (delta[meter] ?? 0) !== 0)
    .map((meter) => `${signed(delta[meter] ?? 0)} ${t(`meter.${meter}`)}`)
    .join(' · ');
}
