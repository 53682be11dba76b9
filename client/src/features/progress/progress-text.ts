/**
 * Words for progression: a quest's task ("Feed your pet 3 times"), an achievement's name and
 * description, rewards ("+20 coins · +1 Streak freeze"), and the celebration toast for each
 * progress notice the home room sends.
 */
import type { ItemId } from '../../../../shared/balance.js';
import { achievement, questTemplate, type ProgressNotice } from '../../../../shared/progression.js';
import { achievementLook } from './progress-art.js';
import { hasKey, plural, t } from '../../i18n.js';
import type { Celebration } from '../../kit/toasts.js';

/** What a quest asks, with its target counted in the right form. */
export function questText(templateId: string, target: number): string {
  const key = `quest.${templateId}`;
  if (!hasKey(key)) return templateId;
  return t(key, { target, times: plural('times', target), games: plural('games', target), days: plural('days', target) });
}

export function achievementName(id: string): string {
  const key = `achievement.${id}`;
  return hasKey(key) ? t(key) : id;
}

export function achievementDescription(id: string): string {
  const key = `achievement.${id}.desc`;
  return hasKey(key) ? t(key) : '';
}

/** "Streak freeze ×1" pieces for items an achievement also grants. */
function itemGrants(items: ReadonlyArray<{ itemId: ItemId; quantity: number }>): string[] {
  return items.map((i) => `+${i.quantity} ${t(`item.${i.itemId}`)}`);
}

/** The celebration toast for a notice from the home room. */
export function celebrationOf(notice: ProgressNotice): Celebration {
  switch (notice.kind) {
    case 'streak': {
      const params = { days: notice.days, coins: plural('coins', notice.rewardCoins) };
      let message = t(notice.frozen ? 'notice.streakFrozen' : 'notice.streak', params);
      if (notice.freezeGranted) message += ` · ${t('notice.freezeGranted')}`;
      return { message, icon: notice.frozen ? 'snowflake' : 'flame', tone: notice.frozen ? 'freeze' : 'streak', notice: notice.kind };
    }
    case 'weekly_streak':
      return {
        message: t('notice.weekly', { weeks: notice.weeks, coins: plural('coins', notice.rewardCoins) }),
        icon: 'crown',
        tone: 'weekly',
        notice: notice.kind,
      };
    case 'quest_completed': {
      const target = questTemplate(notice.templateId)?.target ?? 1;
      return {
        message: t('notice.quest', { quest: questText(notice.templateId, target), coins: plural('coins', notice.rewardCoins) }),
        icon: 'check',
        tone: 'quest',
        notice: notice.kind,
      };
    }
    case 'achievement': {
      const def = achievement(notice.achievementId);
      const items = Object.entries(def?.rewardItems ?? {}).map(([itemId, quantity]) => ({ itemId: itemId as ItemId, quantity: quantity ?? 0 }));
      const extra = itemGrants(items.filter((i) => i.quantity > 0));
      const message = t('notice.achievement', { name: achievementName(notice.achievementId), coins: plural('coins', notice.rewardCoins) });
      return {
        message: [message, ...extra].join(' · '),
        icon: achievementLook(notice.achievementId).icon,
        tone: 'achievement',
        notice: notice.kind,
      };
    }
    case 'referral':
      return {
        message: t('notice.referral', { name: notice.friendName, coins: plural('coins', notice.rewardCoins) }),
        icon: 'coin',
        tone: 'reward',
        notice: notice.kind,
      };
  }
}
