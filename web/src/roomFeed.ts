/**
 * The rooms and DMs while signed in, shared by every screen: the room list draws the rooms it
 * browses (or a search) and my DMs, with "Load more"; the room view's switcher draws the rooms I
 * am in (`mine=true`) and my DMs; both show the unread count in the tab title. One RoomListState, fetched here and kept current by live events, so following
 * rooms for their unread counts happens once however many screens show them.
 */
import { api, type Schemas, type User } from "./api";
import type { Followed, Live } from "./live";
import { problemText } from "./problems";
import { RoomListState, type ListName } from "./roomList";

export const ROOM_PAGE = 50;

export class RoomFeed {
  readonly state: RoomListState;
  /** What the last load of a list said went wrong, "" when nothing did. */
  error = "";
  private query = "";
  /**
   * Loads of one list run one after another: a refetch that lands after "Load more" must not drop
   * the page it appended, and a "Load more" must use the cursor of the search now shown.
   */
  private readonly chains: Record<ListName, Promise<void>> = { rooms: Promise.resolve(), mine: Promise.resolve(), dms: Promise.resolve() };
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners = new Set<() => void>();
  private readonly followed = new Map<string, Followed>();
  private readonly stops: (() => void)[] = [];
  private stopped = false;

  constructor(me: User, private readonly live: Live) {
    this.state = new RoomListState(me.id);
  }

  start(): void {
    this.stops.push(
      this.live.listen((event) => {
        const change = this.state.apply(event);
        if (change === "changed") this.changed();
        else if (change === "refresh") this.refresh();
      }),
    );
    // room.added reaches live connections; coming back to the tab also refetches, for what a
    // lost connection missed.
    const onFocus = (): void => {
      if (document.visibilityState === "visible") this.refresh();
    };
    window.addEventListener("focus", onFocus);
    document.addEventListener("visibilitychange", onFocus);
    this.stops.push(() => {
      window.removeEventListener("focus", onFocus);
      document.removeEventListener("visibilitychange", onFocus);
    });
    void this.loadAll();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.refreshTimer);
    for (const stop of this.stops) stop();
    this.listeners.clear();
    // The Live connection stops with the session; nothing to unfollow one by one.
    this.followed.clear();
  }

  /** Calls `listener` after every change; returns the unlisten. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Rooms whose name starts with `query` ("" for all I can see), first page. */
  search(query: string): Promise<void> {
    this.query = query.trim();
    return this.loadList("rooms", true);
  }

  get searching(): boolean {
    return this.query !== "";
  }

  /** The next page of a list, appended to it. */
  more(list: ListName): Promise<void> {
    return this.enqueue(list, async () => {
      const cursor = this.state.cursor(list);
      if (!cursor) return undefined;
      const { data, error } = await this.fetchPage(list, cursor);
      if (data) this.state.appendPage(list, data.items, data.nextCursor);
      return error;
    });
  }

  /** I read a room here (the POST's answer): the same as hearing it from another device. */
  read(read: Schemas["ReadState"]): void {
    if (this.state.apply({ type: "read.updated", roomId: read.roomId, data: { ...read } }) === "changed") this.changed();
  }

  /** Refetches the first page of every list (soon, once for a burst). */
  refresh(): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => void this.loadAll(), 150);
  }

  private loadAll(): Promise<unknown> {
    return Promise.all([this.loadList("rooms"), this.loadList("mine"), this.loadList("dms")]);
  }

  private fetchPage(list: ListName, cursor?: string) {
    const page = cursor ? { limit: ROOM_PAGE, cursor } : { limit: ROOM_PAGE };
    if (list === "dms") return api.GET("/api/v1/dms", { params: { query: page } });
    if (list === "mine") return api.GET("/api/v1/rooms", { params: { query: { mine: true, ...page } } });
    return api.GET("/api/v1/rooms", { params: { query: this.query ? { query: this.query, ...page } : page } });
  }

  /**
   * Fetches a list again from its first page, as deep as it was shown (pages that "Load more"
   * brought stay), or only the first page for a new search (`fresh`).
   */
  private loadList(list: ListName, fresh = false): Promise<void> {
    return this.enqueue(list, async () => {
      const want = fresh ? 0 : this.state.list(list).length;
      const first = await this.fetchPage(list);
      if (!first.data) return first.error;
      const items = [...first.data.items];
      let cursor = first.data.nextCursor;
      while (cursor && items.length < want) {
        const next = await this.fetchPage(list, cursor);
        if (!next.data) return next.error;
        items.push(...next.data.items);
        cursor = next.data.nextCursor;
      }
      this.state.setPage(list, items, cursor);
      return undefined;
    });
  }

  private enqueue(list: ListName, fetch: () => Promise<unknown>): Promise<void> {
    const run = this.chains[list].then(() => this.load(fetch));
    this.chains[list] = run;
    return run;
  }

  /** Runs one fetch; what went wrong is kept in `error` for the list to show. */
  private async load(fetch: () => Promise<unknown>): Promise<void> {
    try {
      const problem = await fetch();
      if (this.stopped) return;
      this.error = problem === undefined ? "" : problemText(problem);
    } catch (e) {
      if (this.stopped) return;
      this.error = problemText(e);
    }
    this.changed();
  }

  private changed(): void {
    this.syncFollows();
    for (const listener of [...this.listeners]) listener();
  }

  /**
   * Every room and DM I am in that a list shows is followed from the seq the list knows, so a
   * message arriving (or missed while reconnecting) counts as unread at once.
   */
  private syncFollows(): void {
    const want = new Set(this.state.followable().map((r) => r.id));
    for (const [id, follower] of this.followed) {
      if (!want.has(id)) {
        this.followed.delete(id);
        void this.live.unfollow(id, follower);
      }
    }
    for (const id of want) {
      if (this.followed.has(id)) continue;
      // Events are handled by the listener in start(), which also sees those for rooms not followed.
      const follower: Followed = { lastSeq: () => this.state.get(id)?.lastSeq ?? 0, onEvent: () => undefined };
      this.followed.set(id, follower);
      void this.live.follow(id, follower);
    }
  }
}
