// The UI's only door to Rust: typed wrappers over Tauri's invoke. Nothing else in the UI
// imports @tauri-apps/api. Errors always arrive as AppError {code, message}.
import { invoke } from "@tauri-apps/api/core";
import type {
  Action,
  AppError,
  Comment,
  CommentAnchor,
  DeliveryInfo,
  PublishOutcome,
  QueueQuery,
  QueueView,
  AppInfo,
  ArticleDraft,
  ArticleList,
  ArticleMeta,
  ArticleSummary,
  DatelineText,
  Document,
  DocumentDiff,
  Block,
  EditPlace,
  PastedText,
  RevisionInfo,
  ArchiveSearch,
  FoundArticle,
  SearchQuery,
  ServerSetup,
  SpellReport,
  SyncStatus,
  TextStats,
  UpdateInfo,
  UserInfo,
} from "./bindings";

export type * from "./bindings";

/** True when a thrown value is the app's `{code, message}` error. */
export function isAppError(e: unknown): e is AppError {
  return typeof e === "object" && e !== null && "code" in e && "message" in e;
}

/** Any thrown value as an AppError (a failure of the bridge itself becomes `internal`). */
export function asAppError(e: unknown): AppError {
  if (isAppError(e)) return e;
  return { code: "internal", message: e instanceof Error ? e.message : String(e) };
}

/** Calls made into Rust so far, by command: read by the idle benchmark (tests/examples). */
const callCounts: Record<string, number> = {};
(globalThis as { __bartaIpcCalls?: Record<string, number> }).__bartaIpcCalls = callCounts;

function count(command: string): void {
  callCounts[command] = (callCounts[command] ?? 0) + 1;
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  count(command);
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    throw asAppError(e);
  }
}

async function callRaw<T>(command: string, body: Uint8Array): Promise<T> {
  count(command);
  try {
    return await invoke<T>(command, body);
  } catch (e) {
    throw asAppError(e);
  }
}

export const ipc = {
  appInfo: () => call<AppInfo>("app_info"),
  /** The server the app is set to (none on a first run), the app's version. */
  serverSetup: () => call<ServerSetup>("server_setup"),
  /** Checks a typed newsroom address and connects to it (a change of server restarts the app). */
  connectServer: (address: string) => call<ServerSetup>("connect_server", { address }),
  /** The update the newsroom's server offers, if one was found. */
  updateStatus: () => call<UpdateInfo | null>("update_status"),
  /** Asks the server for a newer version now. */
  checkForUpdate: () => call<UpdateInfo | null>("check_for_update"),
  /** Installs the update found and starts the new version (does not return on success). */
  installUpdate: () => call<void>("install_update"),
  /** Logs in and opens the user's encrypted store (`previousPassword`: the password it was
   *  made with, when the server's has changed since). */
  login: (username: string, password: string, previousPassword: string | null = null) =>
    call<UserInfo>("login", { username, password, previousPassword }),
  logout: () => call<void>("logout"),
  /** Unlocks the last user's store with their password (offline). */
  unlock: (password: string) => call<void>("unlock", { password }),
  /** Locks the store now: the page reloads into the unlock screen. */
  lockNow: () => call<void>("lock_now"),
  /** The user did something: the idle lock's time starts again. */
  stillHere: () => call<void>("still_here"),
  resumeSession: (password: string) => call<UserInfo>("resume_session", { password }),
  listArticles: (list: ArticleList) => call<ArticleSummary[]>("list_articles", { list }),
  createArticle: () => call<ArticleDraft>("create_article"),
  loadArticle: (id: string) => call<ArticleDraft>("load_article", { id }),
  /** The article's state and sync state now (the sync loop changes them while it is open). */
  articleSummary: (id: string) => call<ArticleSummary>("article_summary", { id }),
  /** A typing save of the whole document, with the cursor's place. */
  saveDraft: (id: string, meta: ArticleMeta, body: Document, place: EditPlace | null) =>
    call<void>("save_draft", { id, meta, body, place }),
  /** A typing save of the blocks that changed since the last one (`conflict`: send the
   *  whole document with saveDraft). */
  saveDraftBlocks: (id: string, meta: ArticleMeta, order: string[], changed: Block[], place: EditPlace | null) =>
    call<void>("save_draft_blocks", { id, meta, order, changed, place }),
  /** The cursor moved in the open article (nothing typed). */
  rememberPlace: (id: string, place: EditPlace | null) => call<void>("remember_place", { id, place }),
  /** No article is open (a list is shown): a restart opens the list. */
  forgetOpenArticle: () => call<void>("forget_open_article"),
  submitArticle: (id: string) => call<ArticleSummary>("submit_article", { id }),
  approveArticle: (id: string) => call<ArticleSummary>("approve_article", { id }),
  exportBijoy: (id: string) => call<string>("export_bijoy", { id }),
  /** The local hits, at once (the archive is asked apart: searchArchive). */
  searchArticles: (list: ArticleList, query: SearchQuery) =>
    call<FoundArticle[]>("search_articles", { list, query }),
  /** The newsroom's archive on the server searched for the same query (a few seconds at most;
   *  never fails: the answer says why it was not searched). */
  searchArchive: (query: SearchQuery) => call<ArchiveSearch>("search_archive", { query }),
  /** Fetches an archive hit into the local store (unless it is held) and loads it. */
  openArchivedArticle: (id: string) => call<ArticleDraft>("open_archived_article", { id }),
  history: (id: string) => call<RevisionInfo[]>("article_history", { id }),
  diff: (id: string, from: string, to: string | null) => call<DocumentDiff>("diff_revisions", { id, from, to }),
  saveVersion: (id: string) => call<ArticleDraft>("save_version", { id }),
  restoreRevision: (id: string, rev: string) => call<ArticleDraft>("restore_revision", { id, rev }),
  /** Stores an image (its bytes go as the raw request body); returns its `media:` source. */
  addImage: (bytes: Uint8Array) => callRaw<string>("add_image", bytes),
  imageDataUrl: (src: string) => call<string>("image_data_url", { src }),
  /** One desk queue with every queue's count. */
  deskQueue: (query: QueueQuery) => call<QueueView>("desk_queue", { query }),
  /** Take, return (with a note), spike…: queued, works offline. */
  act: (id: string, action: Action, note: string | null) => call<ArticleSummary>("act_on_article", { id, action, note }),
  /** Publishes the latest approval now, or at `at` (RFC 3339). */
  publish: (id: string, at: string | null) => call<PublishOutcome>("publish_article", { id, at }),
  /** Publishes the corrected text in place of the published one, with a note for readers. */
  correct: (id: string, note: string) => call<PublishOutcome>("correct_article", { id, note }),
  /** The portal page of the working copy (the backend's renderer), dated `at` or now. */
  preview: (id: string, at: string | null) => call<string>("preview_article", { id, at }),
  comments: (id: string) => call<Comment[]>("article_comments", { id }),
  addComment: (id: string, anchor: CommentAnchor, parentId: string | null, body: string) =>
    call<Comment>("add_comment", { id, anchor, parentId, body }),
  /** The comments being typed on the article, by the comment they answer ("" for a new one). */
  commentDrafts: (id: string) => call<Record<string, string>>("comment_drafts", { id }),
  /** Keeps the comments being typed (as typing is kept: a crash does not take them). */
  saveCommentDrafts: (id: string, drafts: Record<string, string>) => call<void>("save_comment_drafts", { id, drafts }),
  resolveComment: (id: string, commentId: string) => call<void>("resolve_comment", { id, commentId }),
  /** Closes the window for good (after a close request, once the edits are saved). */
  closeWindow: () => call<void>("close_window"),
  /** Desktop notifications of new incoming articles (a setting in the local store). */
  notifications: () => call<boolean>("notifications"),
  setNotifications: (on: boolean) => call<void>("set_notifications", { on }),
  /** The public page of the latest publication, if any (asks the server). */
  publicUrl: (id: string) => call<string | null>("public_url", { id }),
  /** Sends the article to a publish target again now (desk editors). */
  retryDelivery: (id: string, target: string) => call<DeliveryInfo[]>("retry_delivery", { id, target }),
  syncNow: () => call<SyncStatus>("sync_now"),
  syncStatus: () => call<SyncStatus>("sync_status"),
};

export const textIpc = {
  phoneticPreview: (roman: string) => call<string>("phonetic_preview", { roman }),
  phoneticSuggestions: (roman: string) => call<string[]>("phonetic_suggestions", { roman }),
  /** The previews of several roman buffers in one call (at most 128). */
  phoneticPreviews: (romans: string[]) => call<string[]>("phonetic_previews", { romans }),
  pasteText: (text: string) => call<PastedText>("paste_text", { text }),
  pasteTexts: (texts: string[]) => call<PastedText[]>("paste_texts", { texts }),
  textStats: (text: string) => call<TextStats>("text_stats", { text }),
  /** The dateline for `place`, dated `at` (RFC 3339; the embargo) or now. */
  dateline: (place: string, at: string | null = null) => call<DatelineText>("dateline", { place, at }),
  publishedTimes: (instants: string[]) => call<string[]>("published_times", { instants }),
  spellCheck: (texts: string[]) => call<SpellReport>("spell_check", { texts }),
  addToDictionary: (word: string) => call<void>("add_to_dictionary", { word }),
  /** Desk editors: adds the word to the newsroom's lexicon, which every laptop loads. */
  shareWord: (word: string) => call<void>("share_word", { word }),
};
