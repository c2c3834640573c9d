import type { Stance } from "../bindings";
// The labels the exports use too (the core's vocabulary.rs, generated).
import { STANCE_DESCRIPTIONS, STANCE_LABELS } from "../vocabulary";

export function stanceLabel(stance: Stance): string {
  return STANCE_LABELS[stance];
}

export function stanceDescription(stance: Stance): string {
  return STANCE_DESCRIPTIONS[stance];
}
