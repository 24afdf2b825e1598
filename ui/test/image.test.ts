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

describe("photo data URLs", () => {
  it("keep the most recent few, ask again after a failure, and reuse what is kept", async () => {
    const { photoUrl, cachedImages, IMAGE_CACHE_MAX } = await import("../src/editor/image");
    const asked: string[] = [];
    const failing = new Set(["media:bad.png"]);
    const photos: ImageService = {
      add: async () => "",
      maxEdge: async () => 2048,
      dataUrl: async (src) => {
        asked.push(src);
        if (failing.has(src)) throw new Error("unreadable");
        return `data:image/png;base64,${src.length}`;
      },
    };
    for (let i = 0; i < IMAGE_CACHE_MAX + 6; i++) await photoUrl(`media:p${i}.png`, photos);
    expect(cachedImages()).toBe(IMAGE_CACHE_MAX);
    // The newest is kept and not asked for again; the oldest was dropped and is.
    await photoUrl(`media:p${IMAGE_CACHE_MAX + 5}.png`, photos);
    await photoUrl("media:p0.png", photos);
    expect(asked.filter((s) => s === `media:p${IMAGE_CACHE_MAX + 5}.png`)).toHaveLength(1);
    expect(asked.filter((s) => s === "media:p0.png")).toHaveLength(2);
    // A failed read is not kept.
    await expect(photoUrl("media:bad.png", photos)).rejects.toThrow("unreadable");
    failing.clear();
    await expect(photoUrl("media:bad.png", photos)).resolves.toMatch(/^data:image\/png/);
    expect(cachedImages()).toBeLessThanOrEqual(IMAGE_CACHE_MAX);
  });
});
