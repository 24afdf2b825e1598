// Images in the body: a node view that shows a stored image (loaded as a data: URL, the only
// images the CSP allows) with an editable caption, and the insertion of images from disk or
// from a paste. Images are checked and stored by the Rust side; over 20 MB is refused at once.
import type { Node as PMNode } from "prosemirror-model";
import type { EditorView, NodeView } from "prosemirror-view";
import { schema } from "./schema";

/** The largest image accepted (the Rust side checks again). */
export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;

export interface ImageService {
  add(bytes: Uint8Array): Promise<string>;
  dataUrl(src: string): Promise<string>;
}

export interface ImageText {
  caption: string;
  tooLarge: (mb: string) => string;
}

const cache = new Map<string, Promise<string>>();

function resolve(src: string, service: ImageService): Promise<string> {
  if (src.startsWith("data:image/")) return Promise.resolve(src);
  if (!src.startsWith("media:")) return Promise.resolve("");
  let url = cache.get(src);
  if (!url) {
    url = service.dataUrl(src);
    cache.set(src, url);
  }
  return url;
}

/** The image node view: <figure> with the picture and a caption field. */
export function imageView(service: ImageService, text: ImageText) {
  return (node: PMNode, view: EditorView, getPos: () => number | undefined): NodeView => {
    const figure = document.createElement("figure");
    figure.className = "image-block";
    figure.dataset.testid = "image-block";
    const img = document.createElement("img");
    img.alt = node.attrs.alt || node.attrs.caption || "";
    const caption = document.createElement("input");
    caption.className = "image-caption";
    caption.dataset.testid = "image-caption";
    caption.placeholder = text.caption;
    caption.setAttribute("aria-label", text.caption);
    caption.lang = "bn";
    caption.value = node.attrs.caption ?? "";
    figure.append(img, caption);
    let current = node;
    const show = (src: string) =>
      void resolve(src, service)
        .then((url) => {
          if (url) img.src = url;
        })
        .catch(() => figure.classList.add("missing"));
    show(node.attrs.src);
    caption.addEventListener("input", () => {
      const pos = getPos();
      if (pos === undefined) return;
      view.dispatch(view.state.tr.setNodeMarkup(pos, undefined, { ...current.attrs, caption: caption.value }));
    });
    return {
      dom: figure,
      update(next) {
        if (next.type !== current.type) return false;
        if (next.attrs.src !== current.attrs.src) show(next.attrs.src);
        if (document.activeElement !== caption) caption.value = next.attrs.caption ?? "";
        current = next;
        return true;
      },
      stopEvent: (event) => event.target === caption,
      ignoreMutation: () => true,
    };
  };
}

/** Stores `file` and inserts it at the cursor; says why when it cannot. */
export async function insertImage(
  view: EditorView,
  file: Blob,
  service: ImageService,
  text: ImageText,
): Promise<void> {
  if (file.size > MAX_IMAGE_BYTES) throw new Error(text.tooLarge((file.size / 1_048_576).toFixed(1)));
  const bytes = new Uint8Array(await file.arrayBuffer());
  const src = await service.add(bytes);
  const node = schema.nodes.image.create({ src, caption: "" });
  view.dispatch(view.state.tr.replaceSelectionWith(node).scrollIntoView());
}
