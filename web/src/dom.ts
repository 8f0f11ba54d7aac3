/** A tiny element builder: enough to keep the views declarative without a framework. */
type Attrs = Record<string, string | boolean | number | undefined | ((event: Event) => void)>;
type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (typeof value === "function") {
      el.addEventListener(name.replace(/^on/, ""), value);
    } else if (value === true) {
      el.setAttribute(name, "");
    } else if (value !== undefined && value !== false) {
      el.setAttribute(name, String(value));
    }
  }
  el.append(...children.filter((c): c is Node | string => c !== null && c !== undefined && c !== false));
  return el;
}

/** A labelled input: the label is a real <label for>, so screen readers and clicks both work. */
export function field(label: string, input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement): HTMLElement {
  input.id ||= `f-${label.toLowerCase().replace(/\W+/g, "-")}-${Math.random().toString(36).slice(2, 7)}`;
  return h("div", { class: "field" }, h("label", { for: input.id }, label), input);
}

/** Shows an error (or clears it with ""): an alert region, so it is announced. */
export function showError(box: HTMLElement, text: string): void {
  box.textContent = text;
  box.hidden = text === "";
}

export function errorBox(): HTMLElement {
  return h("p", { class: "error", role: "alert", hidden: true });
}

/**
 * Makes `parent`'s children exactly `nodes`, in order, moving only what is out of place: a node
 * that stays keeps its focus, selection and scroll (removing a focused element blurs it).
 */
export function reconcile(parent: Element, nodes: readonly Node[]): void {
  nodes.forEach((node, i) => {
    const at = parent.childNodes[i];
    if (at !== node) parent.insertBefore(node, at ?? null);
  });
  while (parent.childNodes.length > nodes.length) parent.lastChild!.remove();
}
