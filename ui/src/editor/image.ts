// Images in the body: a node view that shows a stored image (loaded as a data: URL, the only
// images the CSP allows) with an editable caption, and the insertion of images from disk or
// from a paste. Photos are scaled down first; what is still over 20 MB (or over 200 MB before
// scaling) is refused with the reason. The Rust side checks again.
import type { Node as PMNode } from "prosemirror-model";
import { NodeSelection, TextSelection } from "prosemirror-state";
import type { EditorView, NodeView } from "prosemirror-view";
import { schema } from "./schema";

/** The largest image stored, after scaling (the Rust side checks again). */
export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;
/** The largest file even tried: decoding a bigger one could exhaust the page's memory. */
export const MAX_SOURCE_BYTES = 200 * 1024 * 1024;

export interface ImageService {
  add(bytes: Uint8Array): Promise<string>;
  dataUrl(src: string): Promise<string>;
  /** The longest edge, in pixels, a photo is scaled down to before it is stored. */
  maxEdge(): Promise<number>;
}

/** The photo scaled down so that its longer edge is at most `maxEdge` pixels (as JPEG, or
 * PNG for a PNG); a smaller one, an animated GIF, or one the WebView cannot decode is kept as
 * it is. */
export async function shrink(file: Blob, maxEdge: number): Promise<Blob> {
  if (file.type === "image/gif") return file;
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return file;
  }
  const longer = Math.max(bitmap.width, bitmap.height);
  if (longer <= maxEdge) {
    bitmap.close();
    return file;
  }
  const scale = maxEdge / longer;
  const canvas = document.createElement("canvas");
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  canvas.getContext("2d")!.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  const type = file.type === "image/png" ? "image/png" : "image/jpeg";
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, type, 0.9));
  return blob ?? file;
}

export interface ImageText {
  caption: string;
  tooLarge: (mb: string) => string;
}

/** Photos whose data URLs are kept (a photo's is up to a few MB: the app's memory is counted). */
export const IMAGE_CACHE_MAX = 24;

/** The data URLs of the photos shown last, the least recently used dropped first; a failed
 *  read is not kept, so the next look asks again. */
const cache = new Map<string, Promise<string>>();

export function photoUrl(src: string, service: ImageService): Promise<string> {
  if (src.startsWith("data:image/")) return Promise.resolve(src);
  if (!src.startsWith("media:")) return Promise.resolve("");
  let url = cache.get(src);
  if (url) {
    // Most recently used last (a Map keeps insertion order).
    cache.delete(src);
    cache.set(src, url);
    return url;
  }
  url = service.dataUrl(src);
  cache.set(src, url);
  url.catch(() => {
    if (cache.get(src) === url) cache.delete(src);
  });
  while (cache.size > IMAGE_CACHE_MAX) cache.delete(cache.keys().next().value as string);
  return url;
}

/** How many photos' data URLs are kept now (for tests). */
export function cachedImages(): number {
  return cache.size;
}

/** The image node view: <figure> with the picture and a caption field. `setUpCaption` gives
 * each caption field what the article's other fields have (phonetic typing, paste cleaning). */
export function imageView(service: ImageService, text: ImageText, setUpCaption?: (input: HTMLInputElement) => void) {
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
    setUpCaption?.(caption);
    figure.append(img, caption);
    let current = node;
    const show = (src: string) =>
      void photoUrl(src, service)
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

/** What an insertion did: the file's size and the size stored (smaller when scaled down). */
export interface Inserted {
  originalBytes: number;
  storedBytes: number;
  scaled: boolean;
}

const megabytes = (bytes: number) => (bytes / 1_048_576).toFixed(1);

/** Scales `file` down, stores it and inserts it at the cursor; says why when it cannot. */
export async function insertImage(
  view: EditorView,
  file: Blob,
  service: ImageService,
  text: ImageText,
): Promise<Inserted> {
  if (file.size > MAX_SOURCE_BYTES) throw new Error(text.tooLarge(megabytes(file.size)));
  const scaled = await shrink(file, await service.maxEdge());
  if (scaled.size > MAX_IMAGE_BYTES) throw new Error(text.tooLarge(megabytes(file.size)));
  const bytes = new Uint8Array(await scaled.arrayBuffer());
  const src = await service.add(bytes);
  const node = schema.nodes.image.create({ src, caption: "" });
  const tr = view.state.tr.replaceSelectionWith(node);
  // The cursor goes after the photo (into a new paragraph when nothing follows it), so
  // typing or pasting goes on below it instead of replacing it.
  if (tr.selection instanceof NodeSelection && tr.selection.node.type === schema.nodes.image) {
    const after = tr.selection.to;
    if (!tr.doc.resolve(after).nodeAfter?.isTextblock) tr.insert(after, schema.nodes.paragraph.create());
    tr.setSelection(TextSelection.create(tr.doc, after + 1));
  }
  view.dispatch(tr.scrollIntoView());
  return { originalBytes: file.size, storedBytes: scaled.size, scaled: scaled !== file };
}

const size = (bytes: number) =>
  bytes >= 1_048_576 ? `${megabytes(bytes)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;

/** "40.0 MB → 1.2 MB" for a notice. */
export function sizeChange(inserted: Inserted): string {
  return `${size(inserted.originalBytes)} → ${size(inserted.storedBytes)}`;
}
