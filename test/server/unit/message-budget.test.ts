import assert from 'node:assert/strict';
import { MessageBudget, TokenBucket, type BudgetRules } from '../../../server/rooms/message-budget.js';

const RULES: BudgetRules = {
  overall: { ratePerSecond: 10, burst: 20 },
  perType: { care: { ratePerSecond: 2, burst: 4 } },
  noticeIntervalMs: 1000,
  cutOffAfterMs: 3000,
};

/** Sends `count` messages of `type` spread evenly over `[fromMs, toMs)`; returns the verdicts. */
function send(budget: MessageBudget, type: string | null, count: number, fromMs: number, toMs: number) {
  const verdicts: string[] = [];
  for (let i = 0; i < count; i++) verdicts.push(budget.check(type, fromMs + ((toMs - fromMs) * i) / count));
  return verdicts;
}

describe('message budget', () => {
  it('lets a burst through, then refills at the rate', () => {
    const bucket = new TokenBucket({ ratePerSecond: 10, burst: 3 }, 0);
    assert.deepEqual([0, 0, 0, 0].map(() => bucket.take(0)), [true, true, true, false]);
    assert.equal(bucket.take(50), false, 'half a token');
    assert.equal(bucket.take(100), true, 'one token after 100 ms');
    assert.deepEqual([0, 0, 0, 0].map(() => bucket.take(10_000)), [true, true, true, false], 'never more than the burst');
  });

  it('never drops a client within its budget', () => {
    const budget = new MessageBudget(RULES, 0);
    const verdicts = [...send(budget, 'tap', 60, 0, 6000), ...send(budget, 'care', 10, 6000, 11_000)];
    assert.deepEqual(new Set(verdicts), new Set(['pass']));
    assert.equal(budget.dropped, 0);
  });

  it('treats a type named like an object property (constructor, toString) as unlisted', () => {
    const budget = new MessageBudget(RULES, 0);
    const verdicts = [...send(budget, 'constructor', 5, 0, 1000), ...send(budget, 'toString', 5, 1000, 2000), ...send(budget, '__proto__', 5, 2000, 3000)];
    assert.deepEqual(new Set(verdicts), new Set(['pass']));
    assert.equal(budget.dropped, 0);
  });

  it('limits a listed type by its own bucket as well', () => {
    const budget = new MessageBudget(RULES, 0);
    const verdicts = send(budget, 'care', 6, 0, 1);
    assert.deepEqual(verdicts.slice(0, 4), ['pass', 'pass', 'pass', 'pass']);
    assert.equal(verdicts[4], 'notice');
    assert.equal(verdicts[5], 'drop');
    assert.equal(budget.check('tap', 2), 'pass', 'other types still pass');
  });

  it('tells a flooder at most once a second and cuts it off after staying over for the cut-off time', () => {
    const budget = new MessageBudget(RULES, 0);
    // 1,000 messages a second: the first 20 pass, then about 10 a second.
    const verdicts = send(budget, null, 3500, 0, 3500);
    const notices = verdicts.filter((v) => v === 'notice').length;
    assert.ok(notices >= 3 && notices <= 4, `${notices} notices`);
    const cut = verdicts.indexOf('cut_off');
    assert.ok(cut > 0, 'cut off');
    // The first drop is message 20 (t = 20 ms); the cut-off comes 3 s of drops later.
    assert.ok(cut >= 3000 && cut <= 3030, `cut off at message ${cut}`);
  });

  it('forgives a client that pauses for a second between bursts', () => {
    const budget = new MessageBudget(RULES, 0);
    const verdicts: string[] = [];
    // Every 1.5 s a burst of 30: 20 pass (and what refilled), the rest drop; never cut off.
    for (let round = 0; round < 10; round++) verdicts.push(...send(budget, null, 30, round * 1500, round * 1500 + 10));
    assert.ok(verdicts.includes('drop') || verdicts.includes('notice'));
    assert.ok(!verdicts.includes('cut_off'));
  });
});
