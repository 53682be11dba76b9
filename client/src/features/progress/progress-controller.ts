/**
 * Progression behind the progress sheet and the streak button: fetches `GET /progress` at
 * launch, on every open, after each progress notice from the home room (toasts first) and
 * when the day ends; claims quest rewards (one request per quest at a time) and keeps the
 * button's streak and "ready to claim" badge current.
 */
import type { ProgressDto, QuestDto } from '../../../../shared/dto.js';
import type { ProgressNotice } from '../../../../shared/progression.js';
import { errorText, plural, t } from '../../i18n.js';
import type { Api } from '../../net/api.js';
import { errorCodeOf, type ClientErrorCode } from '../../net/errors.js';
import { hapticImpact } from '../../telegram.js';
import type { ProgressPanel } from './progress-panel.js';
import type { Celebration, ToastKind } from '../../kit/toasts.js';
import { celebrationOf } from './progress-text.js';

/** What the streak button shows. */
export interface ProgressSummary {
  streak: number;
  countedToday: boolean;
  /** Quests completed and not yet claimed. */
  claimable: number;
}

export interface ProgressControllerDeps {
  api: Api;
  notify(message: string, kind: ToastKind): void;
  celebrate(celebration: Celebration): void;
  summaryChanged(summary: ProgressSummary): void;
  /** My coins right after a claim (the room state follows shortly). */
  coinsChanged(coins: number): void;
}

/** Notices come in bursts (a care can finish a streak day, a quest and an achievement): one fetch. */
const NOTICE_REFRESH_DELAY_MS = 250;
/** After the day ends, wait a moment so the server is surely in the new day too. */
const DAY_END_SLACK_MS = 1500;
/** setTimeout's ceiling (about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Claim answers after which the quest on show is stale. */
const STALE_QUEST: ReadonlySet<ClientErrorCode> = new Set(['ALREADY_CLAIMED', 'QUEST_NOT_COMPLETE', 'QUEST_NOT_FOUND']);

function summaryOf(dto: ProgressDto): ProgressSummary {
  return {
    streak: dto.streak.daily.current,
    countedToday: dto.streak.daily.countedToday,
    claimable: dto.quests.filter((q) => q.completed && !q.claimed).length,
  };
}

export class ProgressController {
  private data: ProgressDto | null = null;
  private summary: ProgressSummary = { streak: 0, countedToday: false, claimable: 0 };
  private loading: Promise<void> | null = null;
  /** A refresh was asked for while one was running: run once more after it. */
  private again = false;
  private noticeTimer = 0;
  private dayTimer = 0;
  private readonly claiming = new Set<string>();
  /** The sheet, once its code has loaded (the streak button works without it). */
  private panel: ProgressPanel | null = null;

  constructor(private readonly deps: ProgressControllerDeps) {}

  /** The sheet has loaded: it shows what is known already and follows from now on. */
  attach(panel: ProgressPanel): void {
    this.panel = panel;
    panel.onExpired(() => void this.refresh());
    if (this.data) panel.setData(this.data);
  }

  get current(): ProgressSummary {
    return this.summary;
  }

  /** After sign-in: the button's streak and badge. */
  start(): void {
    void this.refresh();
  }

  open(): void {
    this.panel?.show();
    void this.refresh();
  }

  /** Fetches everything again; calls made while a fetch runs share one follow-up fetch. */
  refresh(): Promise<void> {
    if (this.loading) {
      this.again = true;
      return this.loading;
    }
    this.panel?.setLoading();
    this.loading = this.deps.api
      .progress()
      .then((dto) => this.apply(dto))
      .catch((error: unknown) => {
        this.panel?.setFailed();
        if (this.panel?.open) this.deps.notify(errorText(errorCodeOf(error)), 'error');
      })
      .finally(() => {
        this.loading = null;
        if (this.again) {
          this.again = false;
          void this.refresh();
        }
      });
    return this.loading;
  }

  /** The home room's `progress` message: a toast per notice, the button at once, then fresh data. */
  onNotices(notices: readonly ProgressNotice[]): void {
    if (notices.length === 0) return;
    const next = { ...this.summary };
    for (const notice of notices) {
      this.deps.celebrate(celebrationOf(notice));
      if (notice.kind === 'streak') {
        next.streak = notice.days;
        next.countedToday = true;
      } else if (notice.kind === 'quest_completed') {
        next.claimable += 1;
      }
    }
    this.setSummary(next);
    clearTimeout(this.noticeTimer);
    this.noticeTimer = window.setTimeout(() => void this.refresh(), NOTICE_REFRESH_DELAY_MS);
  }

  async claim(quest: QuestDto): Promise<void> {
    if (this.claiming.has(quest.id)) return;
    this.claiming.add(quest.id);
    this.panel?.setClaimBusy(quest.id, true);
    hapticImpact('medium');
    try {
      const result = await this.deps.api.claimQuest(quest.id);
      this.replaceQuest(result.quest);
      this.deps.coinsChanged(result.balances.coins);
      this.deps.celebrate({
        message: t('quest.rewarded', { coins: plural('coins', result.quest.rewardCoins) }),
        icon: 'coin',
        tone: 'reward',
        notice: 'quest_claimed',
      });
    } catch (error) {
      const code = errorCodeOf(error);
      // Already claimed (say, the answer to an earlier tap was lost): nothing went wrong.
      this.deps.notify(errorText(code), code === 'ALREADY_CLAIMED' ? 'info' : 'error');
      if (STALE_QUEST.has(code)) void this.refresh();
    } finally {
      this.claiming.delete(quest.id);
      this.panel?.setClaimBusy(quest.id, false);
    }
  }

  private apply(dto: ProgressDto): void {
    this.data = dto;
    this.panel?.setData(dto);
    this.setSummary(summaryOf(dto));
    this.scheduleDayEnd(dto.dayEndsAt);
  }

  private replaceQuest(quest: QuestDto): void {
    if (!this.data) return;
    this.apply({ ...this.data, quests: this.data.quests.map((q) => (q.id === quest.id ? quest : q)) });
  }

  private setSummary(summary: ProgressSummary): void {
    this.summary = summary;
    this.deps.summaryChanged(summary);
  }

  /** A new day: the streak may have lapsed and there are new quests. */
  private scheduleDayEnd(dayEndsAt: string): void {
    clearTimeout(this.dayTimer);
    const at = Date.parse(dayEndsAt);
    if (!Number.isFinite(at)) return;
    // A day end already past (this device's clock runs ahead): look again in a minute, not in a loop.
    const wait = at > Date.now() ? Math.min(MAX_TIMER_MS, at - Date.now() + DAY_END_SLACK_MS) : 60_000;
    this.dayTimer = window.setTimeout(() => void this.refresh(), wait);
  }
}
