import type { Stance } from "../bindings";

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
