import type { Stance } from "../bindings";

/** Every stance, weakest first: none < exploring < active < leading. */
export const STANCES: readonly Stance[] = ["none", "exploring", "active", "leading"];

/** 0 for "none" up to 3 for "leading"; for sorting and comparing. */
export function stanceRank(stance: Stance): number {
  return STANCES.indexOf(stance);
}

const LABELS: Record<Stance, string> = {
  none: "None",
  exploring: "Exploring",
  active: "Active",
  leading: "Leading",
};

const DESCRIPTIONS: Record<Stance, string> = {
  none: "No sign of pursuing this strategy",
  exploring: "Exploring: early signs, pilots or statements of intent",
  active: "Active: committed and visibly pursuing it",
  leading: "Leading: among the firms furthest ahead on it",
};

export function stanceLabel(stance: Stance): string {
  return LABELS[stance];
}

export function stanceDescription(stance: Stance): string {
  return DESCRIPTIONS[stance];
}
