// Arrow keys that move a visible selection through a list's rows (or a
// matrix's cells) instead of scrolling the page. The list (a table with
// role="grid", or a role="listbox") takes focus itself and points at the
// selected row with aria-activedescendant, so rows are not each a Tab stop.
// The keys are heard on the window, so they work straight after a view opens
// (focus is on its heading), but never where a control has its own use for
// them: text fields, menus, buttons, dialogs, another list.

import { tick } from "svelte";

/** Controls that keep their own meaning of arrows, Home/End and Enter. */
const OWNS_KEYS =
  "input, textarea, select, button, a[href], summary, [contenteditable]:not([contenteditable='false']), dialog, " +
  "[role='dialog'], [role='grid'], [role='listbox'], [role='menu'], [role='slider'], [role='tablist'], [role='radiogroup']";

/** Whether a key pressed on `target` may move `list`'s selection. */
function reachesList(target: EventTarget | null, list: HTMLElement): boolean {
  if (!(target instanceof Element)) return true;
  if (target.closest("dialog[open]")) return false;
  if (list.contains(target)) return !target.closest("input, textarea, select, [contenteditable]:not([contenteditable='false'])");
  return target.closest(OWNS_KEYS) === null;
}

const MOVES = new Set(["ArrowDown", "ArrowUp", "ArrowLeft", "ArrowRight", "Home", "End"]);

function plainKey(event: KeyboardEvent): boolean {
  return !event.defaultPrevented && !event.altKey && !event.ctrlKey && !event.metaKey && !event.shiftKey;
}

/** Brings the selected element into view, below a sticky header, once the DOM has caught up. */
async function reveal(id: string | undefined): Promise<void> {
  await tick();
  if (id) document.getElementById(id)?.scrollIntoView({ block: "nearest", inline: "nearest" });
}

/**
 * The selected row of a list. Up/Down move it, Home/End jump to the ends,
 * Enter (with the list focused) opens it. A paged list passes `beyondEnd` and
 * `beyondStart`, which turn the page and say where the selection lands.
 */
export class RowSelection {
  /** The selected row; -1 before the first key. */
  index = $state(-1);
  /** The element that takes focus and carries aria-activedescendant (bind:this). */
  list: HTMLElement | undefined = $state();

  readonly #count: () => number;
  readonly #recordId: (index: number) => number | undefined;
  readonly #idPrefix: string;
  readonly #open: (recordId: number) => void;
  readonly #beyondEnd: (() => number | null) | undefined;
  readonly #beyondStart: (() => number | null) | undefined;

  constructor(options: {
    count: () => number;
    /** The id of the record a row shows. */
    recordId: (index: number) => number | undefined;
    /** Rows have the DOM id `${idPrefix}${recordId}` (for aria-activedescendant and scrolling). */
    idPrefix: string;
    open: (recordId: number) => void;
    /** Down on the last row: turn the page and return the row to select, or null when there is none. */
    beyondEnd?: () => number | null;
    /** Up on the first row: likewise, backwards. */
    beyondStart?: () => number | null;
  }) {
    this.#count = options.count;
    this.#recordId = options.recordId;
    this.#idPrefix = options.idPrefix;
    this.#open = options.open;
    this.#beyondEnd = options.beyondEnd;
    this.#beyondStart = options.beyondStart;
  }

  /** The selected row within the rows there are now (a filter may have removed some); -1 for none. */
  get active(): number {
    return Math.min(this.index, this.#count() - 1);
  }

  /** The selected row's DOM id, for aria-activedescendant. */
  get activeId(): string | undefined {
    const id = this.active >= 0 ? this.#recordId(this.active) : undefined;
    return id === undefined ? undefined : `${this.#idPrefix}${id}`;
  }

  /** Scrolls the selected row into view while the list has focus (after a page turned under it). */
  revealWhileFocused(): void {
    if (this.list && document.activeElement === this.list) void reveal(this.activeId);
  }

  /** Selects a row the mouse chose, so the keys go on from there. */
  select(index: number): void {
    this.index = index;
  }

  /** For `<svelte:window onkeydown>`. */
  readonly onkeydown = (event: KeyboardEvent): void => {
    const list = this.list;
    const count = this.#count();
    if (!list?.isConnected || count === 0 || !plainKey(event)) return;
    if (event.key === "Enter") {
      const id = this.active >= 0 ? this.#recordId(this.active) : undefined;
      if (event.target === list && id !== undefined) {
        event.preventDefault();
        this.#open(id);
      }
      return;
    }
    if (!MOVES.has(event.key) || !reachesList(event.target, list)) return;
    const current = this.active;
    let next: number | null;
    switch (event.key) {
      case "ArrowDown":
        next = current < 0 ? 0 : current + 1 < count ? current + 1 : (this.#beyondEnd?.() ?? current);
        break;
      case "ArrowUp":
        next = current < 0 ? 0 : current > 0 ? current - 1 : (this.#beyondStart?.() ?? current);
        break;
      case "Home":
        next = 0;
        break;
      case "End":
        next = count - 1;
        break;
      default:
        return;
    }
    event.preventDefault();
    list.focus({ preventScroll: true });
    this.index = next ?? current;
    void reveal(this.activeId);
  };
}

/**
 * The selected cell of a matrix: arrows move across columns and down rows,
 * Home/End to the ends of the row, Enter (with the matrix focused) opens it.
 */
export class CellSelection {
  row = $state(-1);
  column = $state(-1);
  list: HTMLElement | undefined = $state();

  readonly #size: () => { rows: number; columns: number };
  readonly #cellId: (row: number, column: number) => string;
  readonly #open: (row: number, column: number) => void;

  constructor(options: {
    size: () => { rows: number; columns: number };
    cellId: (row: number, column: number) => string;
    open: (row: number, column: number) => void;
  }) {
    this.#size = options.size;
    this.#cellId = options.cellId;
    this.#open = options.open;
  }

  /** The selected cell within the matrix there is now, or null before the first key. */
  get active(): { row: number; column: number } | null {
    const { rows, columns } = this.#size();
    if (this.row < 0 || rows === 0 || columns === 0) return null;
    return { row: Math.min(this.row, rows - 1), column: Math.min(this.column, columns - 1) };
  }

  get activeId(): string | undefined {
    const active = this.active;
    return active ? this.#cellId(active.row, active.column) : undefined;
  }

  readonly onkeydown = (event: KeyboardEvent): void => {
    const list = this.list;
    const { rows, columns } = this.#size();
    if (!list?.isConnected || rows === 0 || columns === 0 || !plainKey(event)) return;
    const active = this.active;
    if (event.key === "Enter") {
      if (event.target === list && active) {
        event.preventDefault();
        this.#open(active.row, active.column);
      }
      return;
    }
    if (!MOVES.has(event.key) || !reachesList(event.target, list)) return;
    const at = active ?? { row: 0, column: 0 };
    const clamp = (value: number, size: number): number => Math.max(0, Math.min(size - 1, value));
    let next: { row: number; column: number };
    switch (event.key) {
      case "ArrowDown":
        next = active ? { row: clamp(at.row + 1, rows), column: at.column } : at;
        break;
      case "ArrowUp":
        next = active ? { row: clamp(at.row - 1, rows), column: at.column } : at;
        break;
      case "ArrowRight":
        next = active ? { row: at.row, column: clamp(at.column + 1, columns) } : at;
        break;
      case "ArrowLeft":
        next = active ? { row: at.row, column: clamp(at.column - 1, columns) } : at;
        break;
      case "Home":
        next = { row: at.row, column: 0 };
        break;
      case "End":
        next = { row: at.row, column: columns - 1 };
        break;
      default:
        return;
    }
    event.preventDefault();
    list.focus({ preventScroll: true });
    this.row = next.row;
    this.column = next.column;
    void reveal(this.activeId);
  };
}
