/**
 * The word filter for pet names (EN and RU): names other players see must not be slurs or
 * obscenities. A name is refused when, after undoing the usual disguises, it contains a
 * blocked stem, or one of its words is a blocked short word.
 *
 * Disguises undone: case and compatibility forms (NFKC), letters between which spaces,
 * dots or other marks were put ("f.u c-k"), digits and symbols for letters ("sh1t", "@ss"),
 * letters of the other alphabet that look the same ("xуй" with a Latin x, "fuсk" with a
 * Cyrillic с), and letters repeated ("fuuuck"). Short words that are parts of ordinary words
 * ("ass" in "Cassie", "бля" in "рубля") are matched as whole words only.
 *
 * Pure and shared: the server refuses (400 NAME_REJECTED), the Mini App warns as one types.
 */

/** Refused wherever they appear in the letters of a name. */
const STEMS_EN = [
  'fuck', 'fuk', 'fck', 'shit', 'nigger', 'nigga', 'faggot', 'whore', 'slut', 'asshole', 'bitch', 'dickhead', 'motherf',
  'retard', 'hitler', 'twat', 'bollock', 'jizz', 'cocksuck', 'dildo', 'porn',
  // Russian obscenities written in Latin letters.
  'pizd', 'blyad', 'blyat', 'ebat', 'eban', 'mudak', 'pidor', 'pidar', 'zalup', 'gandon',
] as const;
/** Refused as whole words only (they are parts of ordinary words). */
const WORDS_EN = [
  'ass', 'arse', 'cum', 'fag', 'fags', 'cock', 'cocks', 'rape', 'rapist', 'tit', 'tits', 'kkk', 'sex', 'piss', 'prick', 'spic', 'kike',
  'chink', 'cunt', 'cunts', 'pussy', 'nazi', 'nazis', 'wank', 'wanker', 'suka', 'blya',
] as const;

const STEMS_RU = [
  'хуй', 'хуе', 'хуё', 'хуя', 'хуи', 'пизд', 'пезд', 'ебат', 'ебан', 'ёбан', 'ебал', 'ебуч', 'ебл', 'ёбн', 'еблан', 'долбоеб', 'долбоёб',
  'бляд', 'блят', 'мудак', 'мудил', 'пидор', 'пидар', 'гандон', 'залуп', 'шлюх', 'выебо', 'уеб', 'заеб', 'наеб',
] as const;
const WORDS_RU = ['бля', 'сука', 'суки', 'сучка', 'манда', 'жопа', 'говно', 'срака', 'дрочка', 'хрен', 'хер', 'педик'] as const;

/** Latin letters and digits that stand for Cyrillic ones in disguised Russian. */
const TO_CYRILLIC: Readonly<Record<string, string>> = {
  a: 'а', b: 'в', c: 'с', e: 'е', h: 'н', k: 'к', m: 'м', o: 'о', p: 'р', t: 'т', x: 'х', y: 'у', u: 'и', n: 'п', r: 'г',
  '0': 'о', '3': 'з', '4': 'ч', '6': 'б', '@': 'а',
};
/** Cyrillic letters, digits and symbols that stand for Latin ones in disguised English. */
const TO_LATIN: Readonly<Record<string, string>> = {
  а: 'a', в: 'b', с: 'c', е: 'e', ё: 'e', н: 'h', і: 'i', к: 'k', м: 'm', о: 'o', р: 'p', т: 't', х: 'x', у: 'y', ѕ: 's', ј: 'j',
  '0': 'o', '1': 'i', '!': 'i', '|': 'l', '3': 'e', '4': 'a', '5': 's', '$': 's', '7': 't', '@': 'a', '8': 'b', '9': 'g',
};
/** Characters kept as letters when mapped (digits and symbols used as letters). */
const LEET = new Set(['0', '1', '!', '|', '3', '4', '5', '$', '6', '7', '8', '9', '@']);

const collapse = (s: string) => s.replace(/(.)\1+/gu, '$1');

/** The name's words in one alphabet: each character mapped, everything else a separator. */
function words(name: string, map: Readonly<Record<string, string>>): string[] {
  let out = '';
  for (const ch of name.normalize('NFKC').toLowerCase()) {
    const mapped = map[ch];
    if (mapped !== undefined) out += mapped;
    else if (/\p{L}/u.test(ch)) out += ch;
    else if (LEET.has(ch)) out += ch;
    else out += ' ';
  }
  return out.split(' ').filter((w) => w.length > 0);
}

function matches(name: string, map: Readonly<Record<string, string>>, stems: readonly string[], whole: readonly string[]): boolean {
  const list = words(name, map);
  const joined = list.join('');
  const forms = [joined, collapse(joined)];
  if (stems.some((stem) => forms.some((f) => f.includes(stem) || f.includes(collapse(stem))))) return true;
  // Single letters spaced out ("f u c k") join into one word; words keep their own boundaries.
  const tokens = new Set<string>();
  for (const w of list) {
    tokens.add(w);
    tokens.add(collapse(w));
  }
  if (list.every((w) => w.length === 1)) tokens.add(joined);
  return whole.some((w) => tokens.has(w));
}

/** Whether a (normalized) pet name is refused by the word filter. */
export function isNameBlocked(name: string): boolean {
  return matches(name, TO_LATIN, STEMS_EN, WORDS_EN) || matches(name, TO_CYRILLIC, STEMS_RU, WORDS_RU);
}
