import assert from 'node:assert/strict';
import { cardFileName, chooseShare, telegramShareUrl, type ShareHost } from '../../../../client/src/features/share/share-choice.js';

/** A WebApp of `version` with Telegram's version check and every share function of that version. */
function webApp(version: string, omit: Array<keyof ShareHost> = []): ShareHost {
  const atLeast = (wanted: string) => {
    const [a = 0, b = 0] = version.split('.').map(Number);
    const [c = 0, d = 0] = wanted.split('.').map(Number);
    return a > c || (a === c && b >= d);
  };
  const host: ShareHost = { version, isVersionAtLeast: atLeast, openTelegramLink: () => undefined };
  if (atLeast('7.8')) host.shareToStory = () => undefined;
  if (atLeast('8.0')) {
    host.shareMessage = () => undefined;
    host.downloadFile = () => undefined;
  }
  for (const key of omit) delete host[key];
  return host;
}

describe('share choice', () => {
  it('shares to a story from 7.8 on', () => {
    assert.equal(chooseShare(webApp('7.8')), 'story');
    assert.equal(chooseShare(webApp('8.0')), 'story');
    assert.equal(chooseShare(webApp('9.1')), 'story');
  });

  it('falls back to a prepared message, then Telegram’s download, on 8.0 without the better function', () => {
    assert.equal(chooseShare(webApp('8.0', ['shareToStory'])), 'message');
    assert.equal(chooseShare(webApp('8.0', ['shareToStory', 'shareMessage'])), 'download');
    assert.equal(chooseShare(webApp('8.0', ['shareToStory', 'shareMessage', 'downloadFile'])), 'link');
  });

  it('uses the share sheet link on older clients (6.0, 7.7) and when 7.8 lacks shareToStory', () => {
    assert.equal(chooseShare(webApp('6.0')), 'link');
    assert.equal(chooseShare(webApp('7.7')), 'link');
    assert.equal(chooseShare(webApp('7.8', ['shareToStory'])), 'link');
  });

  it('never trusts a function without the version, nor a version check that throws', () => {
    const old = webApp('7.7');
    old.shareToStory = () => undefined;
    old.shareMessage = () => undefined;
    assert.equal(chooseShare(old), 'link');
    assert.equal(chooseShare({ shareToStory: () => undefined }), 'link');
    assert.equal(chooseShare({ ...webApp('8.0'), isVersionAtLeast: () => { throw new Error('old SDK'); } }), 'link');
  });

  it('downloads in the browser outside Telegram', () => {
    assert.equal(chooseShare(null), 'browser');
  });

  it('builds the share sheet link and a safe file name', () => {
    assert.equal(telegramShareUrl('https://x.example/p/abc', 'Meet Tom & Jerry'), 'https://t.me/share/url?url=https%3A%2F%2Fx.example%2Fp%2Fabc&text=Meet%20Tom%20%26%20Jerry');
    assert.equal(cardFileName('Рыжик the Great'), 'Рыжик-the-Great-telepets.png');
    assert.equal(cardFileName('<script>/../'), 'script-telepets.png');
    assert.equal(cardFileName('///'), 'pet-telepets.png');
  });
});
