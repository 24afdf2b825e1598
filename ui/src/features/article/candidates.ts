// The phonetic candidate bar under the body: the dictionary candidates of the word being
// typed, in whichever composer (the body or a field) has it; a click picks the candidate in
// that same composer.
import { el } from "../dom";
import type { Composer } from "../../editor/phonetic";
import type { ComposeListener } from "../../editor/phoneticAdapters";

export interface CandidateBar {
  element: HTMLElement;
  /** The listener for one composer; `owner` finds that composer when a candidate is picked. */
  listenerFor(owner: () => Composer | null): ComposeListener;
}

function candidateButton(text: string, selected: boolean, choose: () => void): HTMLButtonElement {
  const b = el("button", { type: "button", class: selected ? "selected" : "" }, text);
  // Keep the focus (and the word) in the field while choosing.
  b.addEventListener("mousedown", (e) => e.preventDefault());
  b.addEventListener("click", choose);
  return b;
}

export function candidateBar(): CandidateBar {
  const element = el("div", { class: "candidates", "data-testid": "phonetic-candidates", "aria-live": "polite" });
  return {
    element,
    listenerFor: (owner) => (s) => {
      const show = s.roman && s.candidates.length > 1;
      element.replaceChildren(
        ...(show ? s.candidates.map((c, i) => candidateButton(c, i === s.selected, () => owner()?.choose(i))) : []),
      );
    },
  };
}
