// Inserting photos: the cursor goes on below each photo, so a second photo (or typing) never
// replaces the first; a file that cannot be scaled under the limit is refused with its size.
import { describe, expect, it } from "vitest";
import { EditorView } from "prosemirror-view";
import { createState, docToWire } from "../src/editor/editor";
import { insertImage, MAX_IMAGE_BYTES, sizeChange, type ImageService } from "../src/editor/image";

function service(): ImageService & { added: number } {
  const s = {
    added: 0,
    add: async () => `media:${"a".repeat(63)}${s.added++}.png`,
    dataUrl: async () => "",
    maxEdge: async () => 2048,
  };
  return s;
}

const text = { caption: "ক্যাপশন", tooLarge: (mb: string) => `too large (${mb} MB)` };
const png = (bytes: number) => new Blob([new Uint8Array(bytes)], { type: "image/png" });

describe("insertImage", () => {
  it("puts the cursor below each photo, so the next one goes after it", async () => {
    const view = new EditorView(document.createElement("div"), {
      state: createState({ type: "doc", content: [] }),
    });
    const images = service();
    await insertImage(view, png(100), images, text);
    await insertImage(view, png(100), images, text);
    const types = docToWire(view.state.doc).content.map((b) => b.type);
    expect(types.filter((t) => t === "image")).toHaveLength(2);
    expect(types[types.length - 1]).toBe("paragraph");
    expect(view.state.selection.$from.parent.type.name).toBe("paragraph");
    view.destroy();
  });

  it("refuses what stays over the limit (here: not decodable) and names its size", async () => {
    const view = new EditorView(document.createElement("div"), {
      state: createState({ type: "doc", content: [] }),
    });
    await expect(insertImage(view, png(MAX_IMAGE_BYTES + 1), service(), text)).rejects.toThrow(
      "too large (20.0 MB)",
    );
    expect(docToWire(view.state.doc).content).toEqual([]);
    view.destroy();
  });

  it("says sizes in MB, and in KB below one", () => {
    expect(sizeChange({ originalBytes: 40 * 1_048_576, storedBytes: 300 * 1024, scaled: true })).toBe(
      "40.0 MB → 300 KB",
    );
  });
});
