// Rendering of marked text runs: search hits (<mark>) and diffs (<ins>/<del>).
import type { DiffRun, TextRun } from "../ipc";
import { el } from "./dom";

/** Search text runs, the matched words in <mark>. */
export function hitRuns(runs: TextRun[]): Node[] {
  return runs.map((r) => (r.hit ? el("mark", {}, r.text) : document.createTextNode(r.text)));
}

/** Diff runs: insertions in <ins>, deletions in <del>. */
export function diffRuns(runs: DiffRun[]): Node[] {
  return runs.map((r) =>
    r.op === "insert" ? el("ins", {}, r.text) : r.op === "delete" ? el("del", {}, r.text) : document.createTextNode(r.text),
  );
}
