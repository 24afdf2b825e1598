// Built-in Avro-style phonetic typing. While it is on, the roman letters of the current word
// are kept in a buffer and the Bengali for the whole buffer (from the Rust engine, per
// keystroke) is shown in their place; space, Enter, Tab or any other key ends the word,
// Backspace edits the buffer. Dictionary candidates can be chosen with the arrow keys. The
// same composer drives the body editor and plain inputs.

/** Where the composed text lives: a ProseMirror view or an <input>. Positions are in the
 * target's own units (UTF-16 code units for both). */
export interface ComposeTarget {
  /** Replaces `oldLength` units at `start` with `text`. A cursor after the range moves with
   * the text; a cursor inside or at its end ends up after the new text. */
  replace(start: number, oldLength: number, text: string): void;
  /** The current cursor position. */
  cursor(): number;
  /** The text at `start`, `length` units long (to check nothing moved under a word). */
  textAt(start: number, length: number): string;
}

export interface PhoneticEngine {
  preview(roman: string): Promise<string>;
  suggestions(roman: string): Promise<string[]>;
  /** The preview of `roman` if it is already known: shown at once, without asking. */
  known?(roman: string): string | undefined;
  /** The previews of several buffers in one request (for asking ahead). */
  previews?(romans: string[]): Promise<string[]>;
}

/** How many previews a [`rememberingEngine`] keeps: a few hundred words' beginnings and what
 * may follow them. */
export const REMEMBERED_PREVIEWS = 16384;

/** The letters asked ahead of every buffer: whichever comes next is then known. */
const NEXT_LETTERS = [..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"];

/** The longest buffer asked ahead of (longer words are rare; asking costs a round trip). */
const MAX_AHEAD_LENGTH = 24;

/** `engine` with a memory of its answers: the rules are deterministic, so a buffer asked once
 * is known from then on. With `previews`, each buffer asked also asks, in one request, for
 * itself followed by every letter: at a typist's pace (a key every 60 ms or more) the answer
 * is there before the next key, which then shows its Bengali in its own frame, with no round
 * trip and no roman letter first. */
export function rememberingEngine(engine: PhoneticEngine, size = REMEMBERED_PREVIEWS): PhoneticEngine {
  const answers = new Map<string, string>();
  const askedAhead = new Set<string>();
  const remember = (roman: string, text: string) => {
    answers.delete(roman);
    answers.set(roman, text);
    if (answers.size > size) answers.delete(answers.keys().next().value as string);
  };
  const askAhead = (roman: string) => {
    if (!engine.previews || roman.length >= MAX_AHEAD_LENGTH || askedAhead.has(roman)) return;
    if (askedAhead.size >= size) askedAhead.clear();
    askedAhead.add(roman);
    const next = NEXT_LETTERS.map((c) => roman + c).filter((r) => !answers.has(r));
    if (next.length === 0) return;
    void engine.previews(next).then(
      (texts) => next.forEach((r, i) => texts[i] !== undefined && remember(r, texts[i])),
      () => askedAhead.delete(roman),
    );
  };
  // Every first letter of a word (asked again after a failure, like any other).
  const start = () => askAhead("");
  return {
    preview: async (roman) => {
      start();
      askAhead(roman);
      const hit = answers.get(roman);
      if (hit !== undefined) return hit;
      const text = await engine.preview(roman);
      remember(roman, text);
      return text;
    },
    suggestions: (roman) => engine.suggestions(roman),
    known: (roman) => {
      start();
      const hit = answers.get(roman);
      if (hit !== undefined) {
        remember(roman, hit);
        askAhead(roman);
      }
      return hit;
    },
  };
}

/** Characters that belong to a roman word (the rules also use `, ^, $, digits, . and ,). */
export function isComposable(key: string): boolean {
  return key.length === 1 && key >= "!" && key <= "~";
}

/** How long typing must pause before dictionary candidates are looked up. */
const SUGGEST_DELAY_MS = 150;

type Listener = (state: { roman: string; candidates: string[]; selected: number }) => void;

/** One word being typed, or one whose last preview is still on its way. */
interface Word {
  start: number;
  /** Exactly what the target shows for this word now. */
  shown: string;
  roman: string;
  /** The latest preview request; older answers are dropped. */
  seq: number;
  candidates: string[];
  selected: number;
}

/** The phonetic session of one target. Every keystroke changes the target at once (the roman
 * letter appears), and the Bengali for the whole buffer replaces the word when the engine
 * answers, so nothing typed is lost or reordered however fast the keys come. */
export class Composer {
  private current: Word | null = null;
  private readonly pending = new Set<Word>();
  private work: Promise<void> = Promise.resolve();
  private suggestTimer: number | undefined;

  constructor(
    private readonly target: ComposeTarget,
    private readonly engine: PhoneticEngine,
    private readonly onState: Listener = () => {},
  ) {}

  get composing(): boolean {
    return this.current !== null;
  }

  /** Handles a key. Returns true when the key was consumed (the caller prevents default). */
  key(key: string): boolean {
    const word = this.current;
    if (key === "Backspace" && word) {
      word.roman = word.roman.slice(0, -1);
      if (!word.roman) {
        this.set(word, "");
        word.seq++;
        this.end();
        return true;
      }
      this.request(word);
      return true;
    }
    if ((key === "ArrowDown" || key === "ArrowUp") && word && word.candidates.length > 1) {
      const n = word.candidates.length;
      word.selected = (word.selected + (key === "ArrowDown" ? 1 : n - 1)) % n;
      word.seq++; // a choice wins over any preview still on its way
      this.set(word, word.candidates[word.selected]);
      this.emit();
      return true;
    }
    if (isComposable(key)) {
      const w = word ?? this.begin();
      w.roman += key;
      // The roman letter shows until the Bengali comes, unless the Bengali is known already.
      const known = this.engine.known?.(w.roman);
      if (known === undefined) this.set(w, w.shown + key);
      this.request(w, known);
      return true;
    }
    // A commit key (space, Enter, Tab) or anything else: the word ends; the key does its
    // usual work. A preview still on its way is still applied to that word.
    this.end();
    return false;
  }

  /** Ends the current word (a click elsewhere, a blur, another key). */
  end(): void {
    this.current = null;
    this.emit();
  }

  /** Picks candidate `i` of the current word and ends it. */
  choose(i: number): void {
    const word = this.current;
    const choice = word?.candidates[i];
    if (!word || choice === undefined) return;
    word.seq++;
    this.set(word, choice);
    this.end();
  }

  /** Resolves when every requested preview has been applied (for tests). */
  settled(): Promise<void> {
    return this.work;
  }

  private begin(): Word {
    const word: Word = { start: this.target.cursor(), shown: "", roman: "", seq: 0, candidates: [], selected: 0 };
    this.current = word;
    this.pending.add(word);
    return word;
  }

  /** Shows `text` for `word` and shifts the words after it. */
  private set(word: Word, text: string): void {
    const delta = text.length - word.shown.length;
    this.target.replace(word.start, word.shown.length, text);
    for (const other of this.pending) {
      if (other !== word && other.start > word.start) other.start += delta;
    }
    word.shown = text;
  }

  /** Shows the Bengali of `word`'s buffer: `known` at once, else when the engine answers. */
  private request(word: Word, known = this.engine.known?.(word.roman)): void {
    if (known !== undefined) {
      // Known: shown now; any preview of this word still on its way is dropped.
      this.show(word, known, ++word.seq);
      return;
    }
    const seq = ++word.seq;
    const preview = this.engine.preview(word.roman);
    this.work = this.work.then(async () => {
      const text = await preview;
      if (seq !== word.seq) return;
      // Only replace what is still ours: if other edits moved the text, leave it as it is.
      if (this.target.textAt(word.start, word.shown.length) !== word.shown) {
        this.pending.delete(word);
        return;
      }
      this.show(word, text, seq);
    });
  }

  /** Shows the Bengali `text` for `word` (the answer to its request `seq`). */
  private show(word: Word, text: string, seq: number): void {
    const roman = word.roman;
    this.set(word, text);
    // For latency measurements (keystroke → Bengali on screen): see BENCHMARKS.md.
    document.dispatchEvent(new CustomEvent("barta:composed"));
    word.candidates = [text];
    word.selected = 0;
    if (word !== this.current) this.pending.delete(word);
    this.emit();
    // Dictionary candidates come when typing pauses, off the typing path.
    window.clearTimeout(this.suggestTimer);
    this.suggestTimer = window.setTimeout(() => {
      if (seq !== word.seq || word !== this.current) return;
      void this.engine.suggestions(roman).then((extra) => {
        if (seq !== word.seq || word !== this.current) return;
        word.candidates = [text, ...extra.filter((c) => c !== text)];
        this.emit();
      });
    }, SUGGEST_DELAY_MS);
  }

  private emit(): void {
    const w = this.current;
    this.onState({ roman: w?.roman ?? "", candidates: w?.candidates ?? [], selected: w?.selected ?? 0 });
  }
}

/** Phonetic mode on/off, remembered across runs; F12 toggles it (as in Avro Keyboard). */
const STORAGE_KEY = "barta.phonetic";
let enabled = localStorage.getItem(STORAGE_KEY) !== "off";
const watchers = new Set<(on: boolean) => void>();

export function phoneticEnabled(): boolean {
  return enabled;
}

export function setPhonetic(on: boolean): void {
  enabled = on;
  localStorage.setItem(STORAGE_KEY, on ? "on" : "off");
  for (const w of watchers) w(on);
}

export function onPhoneticChange(watch: (on: boolean) => void): () => void {
  watchers.add(watch);
  return () => watchers.delete(watch);
}

/** The toggle key. */
export const TOGGLE_KEY = "F12";
