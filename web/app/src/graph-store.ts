/**
 * The graph on screen, for the export dialog: the graph view registers what it draws (accounts, ties, positions,
 * title, the filters' caption, which legend), the dialog follows it with `useSyncExternalStore`. Also the
 * colours both use, so that the exported picture matches the screen.
 */
import type { GNode, GraphViewData, Positions } from "./graph-model.js";

export const COLORS = {
  core: "#b3412e",
  member: "#2f6fa7",
  group: "#6b4ea8",
  edge: "#c5cbd3",
};

export const colorOf = (n: GNode): string =>
  n.group ? COLORS.group : n.role === "core" ? COLORS.core : COLORS.member;

export type LegendVariant = "campaign" | "explorer" | "grouped";

export interface ExportableView {
  view: GraphViewData;
  pos: Positions;
  title: string;
  caption: string;
  legend: LegendVariant;
}

let current: ExportableView | null = null;
const listeners = new Set<() => void>();

export const setCurrentGraph = (v: ExportableView | null): void => {
  current = v;
  listeners.forEach((l) => l());
};
/** The graph view on screen now (null when none is). */
export const currentGraph = (): ExportableView | null => current;
/** Be told when the graph on screen changes. */
export const watchGraph = (listener: () => void): (() => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};
