/**
 * The messages of a room as a list: a divider per day, the "New messages" line, and per message
 * its author, its time (the full date on hover), the body with safe links, "(edited)", and Edit
 * and Delete where allowed. Rows are kept per seq and rebuilt only when their message or state
 * changes, so a new message arriving never disturbs an edit being typed, or the focus.
 */
import { dayKey, dayLabel, fullLabel, timeLabel } from "../dates";
import { h, reconcile } from "../dom";
import { bodyNodes } from "../links";
import type { Message } from "../messages";

export interface MessageListOptions {
  mine(m: Message): boolean;
  name(m: Message): string;
  canDelete(m: Message): boolean;
  /** Saves an edit; resolves to an error in words, or "" when it is saved (and the store has it). */
  edit(m: Message, body: string): Promise<string>;
  /** Deletes; resolves to an error in words, or "" when it is gone (and the store has the tombstone). */
  remove(m: Message): Promise<string>;
  /** Draws again (the owner keeps the scroll position right); called after a row's state changes. */
  redraw(): void;
  showError(text: string): void;
}

type Mode = "show" | "edit" | "confirm";

interface Row {
  message: Message;
  name: string;
  mode: Mode;
  el: HTMLLIElement;
}

export class MessageList {
  readonly element = h("ol", { class: "messages", "aria-label": "Messages", tabindex: 0 });
  /** Messages after this seq were unread when the room opened: "New messages" goes above the first. */
  unreadAfter: number | null = null;
  private readonly rows = new Map<number, Row>();
  private readonly dividers = new Map<string, HTMLLIElement>();
  private readonly modes = new Map<number, Mode>();
  /** Edit boxes by seq, kept across rebuilds of their row (an edit elsewhere must not wipe a draft). */
  private readonly drafts = new Map<number, HTMLTextAreaElement>();
  /** What to focus after the next draw: a row's control, by selector. */
  private focusNext: { seq: number; selector: string } | null = null;

  constructor(private readonly options: MessageListOptions) {}

  draw(list: readonly Message[], now = new Date()): void {
    const nodes: Node[] = [];
    let day = "";
    let unreadShown = false;
    for (const m of list) {
      const at = new Date(m.createdAt);
      if (dayKey(at) !== day) {
        day = dayKey(at);
        nodes.push(this.divider(`day-${day}`, "day", dayLabel(at, now)));
      }
      if (!unreadShown && this.unreadAfter !== null && m.seq > this.unreadAfter) {
        unreadShown = true;
        nodes.push(this.divider("unread", "unread", "New messages"));
      }
      nodes.push(this.row(m));
    }
    reconcile(this.element, nodes);
    if (this.focusNext) {
      const { seq, selector } = this.focusNext;
      this.focusNext = null;
      this.rows.get(seq)?.el.querySelector<HTMLElement>(selector)?.focus();
    }
  }

  private divider(key: string, kind: string, text: string): HTMLLIElement {
    let el = this.dividers.get(key);
    if (!el) {
      el = h("li", { class: `divider ${kind}` }, h("span", {}, text));
      this.dividers.set(key, el);
    } else if (el.textContent !== text) {
      el.firstElementChild!.textContent = text; // "Today" becomes "Yesterday" at midnight
    }
    return el;
  }

  private row(m: Message): HTMLLIElement {
    const mode: Mode = m.deletedAt !== null ? "show" : (this.modes.get(m.seq) ?? "show");
    if (m.deletedAt !== null) {
      this.modes.delete(m.seq);
      this.drafts.delete(m.seq);
    }
    const name = this.options.name(m);
    const have = this.rows.get(m.seq);
    if (have && have.message === m && have.name === name && have.mode === mode) return have.el;
    const el = this.build(m, name, mode);
    this.rows.set(m.seq, { message: m, name, mode, el });
    return el;
  }

  private setMode(m: Message, mode: Mode, focus: string): void {
    if (mode === "show") this.modes.delete(m.seq);
    else this.modes.set(m.seq, mode);
    if (mode !== "edit") this.drafts.delete(m.seq);
    this.focusNext = { seq: m.seq, selector: focus };
    this.options.redraw();
  }

  private build(m: Message, name: string, mode: Mode): HTMLLIElement {
    const at = new Date(m.createdAt);
    const deleted = m.deletedAt !== null || m.body === null;
    const meta = h(
      "div",
      { class: "meta" },
      h("span", { class: "author" }, name),
      h("time", { datetime: m.createdAt, title: fullLabel(at) }, timeLabel(at)),
      m.editedAt && !deleted ? h("span", { class: "edited", title: `Edited ${fullLabel(new Date(m.editedAt))}` }, "(edited)") : null,
    );
    const content = deleted
      ? h("p", { class: "body deleted" }, "(deleted)")
      : mode === "edit"
        ? this.editor(m)
        : h("p", { class: "body" }, ...bodyNodes(m.body!));
    return h(
      "li",
      { class: this.options.mine(m) ? "message mine" : "message", "data-seq": m.seq },
      meta,
      content,
      deleted || mode === "edit" ? null : this.actions(m, mode),
    );
  }

  private actions(m: Message, mode: Mode): HTMLElement | null {
    if (mode === "confirm") {
      const yes = h("button", { type: "button", class: "danger confirm" }, "Delete");
      yes.addEventListener("click", () => {
        yes.disabled = true;
        void this.options.remove(m).then((problem) => {
          if (problem) {
            this.options.showError(problem);
            yes.disabled = false;
          } else {
            this.modes.delete(m.seq);
            this.options.redraw();
          }
        });
      });
      return h(
        "div",
        { class: "actions confirming" },
        h("span", {}, "Delete this message?"),
        yes,
        h("button", { type: "button", class: "link", onclick: () => this.setMode(m, "show", ".delete") }, "Cancel"),
      );
    }
    const canEdit = this.options.mine(m);
    const canDelete = this.options.canDelete(m);
    if (!canEdit && !canDelete) return null;
    return h(
      "div",
      { class: "actions" },
      canEdit ? h("button", { type: "button", class: "link edit", onclick: () => this.setMode(m, "edit", "textarea") }, "Edit") : null,
      canDelete ? h("button", { type: "button", class: "link delete", onclick: () => this.setMode(m, "confirm", ".confirm") }, "Delete") : null,
    );
  }

  private editor(m: Message): HTMLFormElement {
    let box = this.drafts.get(m.seq);
    if (!box) {
      box = h("textarea", { name: "edit", "aria-label": "Edit message", rows: 2 });
      box.value = m.body ?? "";
      this.drafts.set(m.seq, box);
    }
    const input = box;
    const save = h("button", { type: "submit" }, "Save");
    const cancel = (): void => this.setMode(m, "show", ".edit");
    const form = h(
      "form",
      { class: "editor" },
      input,
      h("div", { class: "editor-actions" }, save, h("button", { type: "button", class: "link", onclick: cancel }, "Cancel")),
    );
    // Enter saves and Escape cancels, like the composer; Shift+Enter is a new line.
    input.onkeydown = (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        form.requestSubmit();
      } else if (event.key === "Escape") {
        event.preventDefault();
        cancel();
      }
    };
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const body = input.value.trim();
      if (body === m.body) return cancel();
      if (!body) return this.options.showError("A message cannot be empty; delete it instead.");
      save.disabled = true;
      void this.options.edit(m, body).then((problem) => {
        if (problem) {
          this.options.showError(problem);
          save.disabled = false;
        } else {
          this.setMode(m, "show", ".edit");
        }
      });
    });
    return form;
  }
}
