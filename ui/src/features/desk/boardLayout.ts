// The desk board's layout choice, kept across restarts in the webview's localStorage (as the
// UI language is): all the editor's desks merged into one board, or one desk at a time, and
// which desk that is.

export const LAYOUT_KEY = "barta.deskLayout";

/** `merged`: every desk of the editor on one board; `desk`: the chosen desk only. */
export type BoardLayoutKind = "merged" | "desk";

export interface BoardLayout {
  kind: BoardLayoutKind;
  /** The desk shown in the `desk` layout (a slug), if one was chosen. */
  desk: string | null;
}

const MERGED: BoardLayout = { kind: "merged", desk: null };

/** The saved layout (merged, the default, when none or an unreadable one is saved). */
export function savedLayout(storage: Pick<Storage, "getItem"> | undefined = globalThis.localStorage): BoardLayout {
  try {
    const saved: unknown = JSON.parse(storage?.getItem(LAYOUT_KEY) ?? "null");
    if (typeof saved !== "object" || saved === null) return MERGED;
    const { kind, desk } = saved as Record<string, unknown>;
    if (kind !== "merged" && kind !== "desk") return MERGED;
    return { kind, desk: typeof desk === "string" && desk ? desk : null };
  } catch {
    return MERGED;
  }
}

/** Remembers the layout (a webview without storage keeps it for this session only). */
export function saveLayout(layout: BoardLayout, storage: Pick<Storage, "setItem"> | undefined = globalThis.localStorage): void {
  try {
    storage?.setItem(LAYOUT_KEY, JSON.stringify(layout));
  } catch {
    // Nothing to do: the choice still holds until the app closes.
  }
}

/** The desks to ask the queues for: none (meaning all the editor's desks) when merged, else
 *  the chosen desk, or the editor's first desk when the chosen one is no longer theirs. */
export function desksShown(layout: BoardLayout, editorDesks: readonly string[]): string[] {
  if (layout.kind === "merged" || editorDesks.length === 0) return [];
  return [layout.desk && editorDesks.includes(layout.desk) ? layout.desk : editorDesks[0]];
}
