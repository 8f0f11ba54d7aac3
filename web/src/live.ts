/**
 * The live connection (SignalR hub at /api/v1/realtime, protocol in docs/REALTIME.md).
 *
 * The server forgets subscriptions when a connection drops, so every (re)connect resubscribes
 * each open room with the newest seq it shows; the server then replays what was missed, in
 * order, and the room's MessageStore drops anything it already has. Automatic reconnect covers
 * dropped sockets and the server's closes that allow it (`slow-consumer`, `server-restarting`,
 * see docs/REALTIME.md); a connection closed for good (token expired, `session-ended`) ends in
 * onclose, and we start again with a fresh token.
 *
 * Several parts of the app may follow the same room (the room list's unread counts and the open
 * room itself): the connection subscribes once, from the oldest seq any of them shows, and each
 * follower drops what it already has.
 */
import * as signalR from "@microsoft/signalr";
import { freshAccessToken } from "./api";

export interface RoomEvent {
  type: string;
  roomId: string;
  seq?: number;
  data: Record<string, unknown>;
}

export type LiveState = "connecting" | "online" | "reconnecting" | "offline";

export interface Followed {
  /** The newest seq the room shows: the afterSeq to resubscribe with. */
  lastSeq(): number;
  onEvent(event: RoomEvent): void;
}

export class Live {
  private readonly connection: signalR.HubConnection;
  private readonly rooms = new Map<string, Set<Followed>>();
  private readonly listeners = new Set<(event: RoomEvent) => void>();
  private readonly connectedListeners = new Set<() => void>();
  private stopped = false;
  private restartTimer: ReturnType<typeof setTimeout> | undefined;
  private failures = 0;
  /** Set when the connection closed or would not start: the next connect refreshes the token first. */
  private refreshFirst = false;

  constructor(private readonly onState: (state: LiveState) => void) {
    this.connection = new signalR.HubConnectionBuilder()
      .withUrl("/api/v1/realtime", {
        // Called on every (re)connect, so a reconnect never presents an expired token.
        accessTokenFactory: () => {
          const force = this.refreshFirst;
          this.refreshFirst = false;
          return freshAccessToken(force);
        },
        // One socket, no negotiate round trip: works behind any load balancer (see docs/REALTIME.md).
        transport: signalR.HttpTransportType.WebSockets,
        skipNegotiation: true,
      })
      .withAutomaticReconnect([0, 1000, 2000, 5000, 10000])
      .configureLogging(signalR.LogLevel.Warning)
      .build();

    this.connection.on("RoomEvent", (event: RoomEvent) => {
      if (event.type === "server.restarting") {
        // The server is about to close us; onclose starts again (another replica, or this one once back).
        return;
      }
      for (const listener of this.listeners) listener(event);
      for (const room of [...(this.rooms.get(event.roomId) ?? [])]) room.onEvent(event);
    });
    this.connection.onreconnecting(() => this.onState("reconnecting"));
    this.connection.onreconnected(() => {
      this.onState("online");
      void this.resubscribeAll();
      this.connected();
    });
    this.connection.onclose(() => {
      if (this.stopped) return;
      // Closed for good: the token expired or the session ended (signed out elsewhere); a refresh tells which.
      this.refreshFirst = true;
      // Offline, retrying is pointless: the "online" listener starts us again.
      if (navigator.onLine) this.scheduleRestart();
      else this.onState("offline");
    });
    // The browser knows before the socket does. A socket on a dead network can look open for the
    // server timeout (30 s), showing stale rooms as live: close it now, and resume from the last
    // seq as soon as the network is back instead of waiting out a backoff.
    window.addEventListener("offline", () => {
      if (!this.stopped && this.connection.state !== signalR.HubConnectionState.Disconnected) {
        void this.connection.stop();
      }
    });
    window.addEventListener("online", () => {
      if (!this.stopped && this.connection.state === signalR.HubConnectionState.Disconnected) {
        clearTimeout(this.restartTimer);
        void this.start();
      }
    });
  }

  async start(): Promise<void> {
    this.stopped = false;
    if (this.connection.state !== signalR.HubConnectionState.Disconnected) return;
    this.onState("connecting");
    try {
      await this.connection.start();
      this.failures = 0;
      this.onState("online");
      await this.resubscribeAll();
      this.connected();
    } catch {
      this.refreshFirst = true;
      this.scheduleRestart();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    this.rooms.clear();
    this.listeners.clear();
    this.connectedListeners.clear();
    await this.connection.stop();
  }

  /**
   * Every event this connection receives, followed room or not: the ones meant for me alone
   * (`read.updated`, `dm.created`, `room.added`) come whether or not I follow their room. Returns the unlisten.
   */
  listen(listener: (event: RoomEvent) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Called each time the connection is up again (first start, reconnect): the network is back. */
  onConnected(listener: () => void): () => void {
    this.connectedListeners.add(listener);
    return () => {
      this.connectedListeners.delete(listener);
    };
  }

  /**
   * Follows a room from `lastSeq()`: the server replays newer messages, then sends live events.
   * Another follower of the same room makes the connection resubscribe from the older of the two
   * seqs, so the newcomer misses nothing between its HTTP page and now.
   */
  async follow(roomId: string, room: Followed): Promise<void> {
    let followers = this.rooms.get(roomId);
    if (!followers) this.rooms.set(roomId, (followers = new Set()));
    followers.add(room);
    if (this.connection.state === signalR.HubConnectionState.Connected) {
      await this.subscribe(roomId);
    }
  }

  /** Stops one follower; the connection unsubscribes when it was the last. */
  async unfollow(roomId: string, room: Followed): Promise<void> {
    const followers = this.rooms.get(roomId);
    if (!followers?.delete(room)) return;
    if (followers.size > 0) return;
    this.rooms.delete(roomId);
    if (this.connection.state === signalR.HubConnectionState.Connected) {
      await this.connection.invoke("Unsubscribe", roomId).catch(() => undefined);
    }
  }

  /** Tells the room I am typing; the caller throttles (the server drops more than one per 2 s). */
  typing(roomId: string): void {
    if (this.connection.state === signalR.HubConnectionState.Connected) {
      this.connection.invoke("Typing", roomId).catch(() => undefined);
    }
  }

  private async resubscribeAll(): Promise<void> {
    await Promise.all([...this.rooms.keys()].map((roomId) => this.subscribe(roomId)));
  }

  private async subscribe(roomId: string): Promise<void> {
    const followers = this.rooms.get(roomId);
    if (!followers || followers.size === 0) return;
    const afterSeq = Math.min(...[...followers].map((f) => f.lastSeq()));
    try {
      await this.connection.invoke("Subscribe", roomId, afterSeq);
    } catch {
      // The room is gone or closed to us: stop following it quietly; the views find out over HTTP.
      this.rooms.delete(roomId);
    }
  }

  private connected(): void {
    for (const listener of [...this.connectedListeners]) listener();
  }

  private scheduleRestart(): void {
    this.onState("offline");
    clearTimeout(this.restartTimer);
    this.failures++;
    // Backoff with jitter, so replicas restarting together are not hit by every client at once.
    const delay = Math.min(30_000, 1000 * 2 ** Math.min(this.failures - 1, 5)) * (0.5 + Math.random() / 2);
    this.restartTimer = setTimeout(() => void this.start(), delay);
  }
}
