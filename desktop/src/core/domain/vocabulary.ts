/** Lower-cased, accent-free word tokens, the way FTS5's unicode61 tokenizer (remove_diacritics) sees them. */
export function nameTokens(text: string): string[] {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 0);
}

/** True when `a` becomes `b` with at most one insertion, deletion, substitution or adjacent swap. */
export function withinOneEdit(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (i === a.length || i === b.length) return Math.abs(a.length - b.length) <= 1;
  const [restA, restB] = [a.slice(i + 1), b.slice(i + 1)];
  return (
    restA === restB || // substitution
    a.slice(i) === restB || // extra letter in b
    restA === b.slice(i) || // extra letter in a
    (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2)) // swap
  );
}

const MAX_CANDIDATES = 12;

/**
 * The distinct words of member names, for typo-tolerant search: FTS5 matches prefixes exactly, so a
 * mistyped word is first corrected to words one edit away (of the word, or of a word's prefix,
 * since the desk searches as you type). Loaded on first use and kept current as names are written.
 */
export class NameVocabulary {
  #words: Set<string> | null = null;

  constructor(private readonly loadNames: () => Iterable<string>) {}

  add(name: string): void {
    if (this.#words) for (const t of nameTokens(name)) this.#words.add(t);
  }

  /** Words within one edit of `token` or of one of their prefixes; empty when `token` is too short to guess. */
  corrections(token: string): string[] {
    if (token.length < 3) return [];
    const found: string[] = [];
    for (const word of this.#load()) {
      const near = [-1, 0, 1].some((d) => {
        const prefix = word.slice(0, token.length + d);
        return prefix.length >= 2 && withinOneEdit(token, prefix);
      });
      // Words the token already prefixes were found by the exact search.
      if (near && !word.startsWith(token)) found.push(word);
      if (found.length >= MAX_CANDIDATES) break;
    }
    return found;
  }

  #load(): Set<string> {
    if (!this.#words) {
      this.#words = new Set();
      for (const name of this.loadNames()) for (const t of nameTokens(name)) this.#words.add(t);
    }
    return this.#words;
  }
}
