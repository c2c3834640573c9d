// This file is generated from crates/core/src/vocabulary.rs by `make bindings`. Do not edit.
// The words the app uses for what is and is not known: one word per meaning (docs/VOCABULARY.md).
import type { Stance } from "./bindings";

/** The workspace holds no value for this, though it could have one (a firm with no listing in the workspace, a blank country, a chip's foundry or die area not entered, a firm not assessed on a strategy, a field left empty in a record's history). */
export const NOT_RECORDED: string = "not recorded";
export const NOT_RECORDED_MEANING: string = "The workspace holds no value for this, though it could have one (a firm with no listing in the workspace, a blank country, a chip's foundry or die area not entered, a firm not assessed on a strategy, a field left empty in a record's history).";
/** Not recorded, as a short mark in a dense table or a tooltip line; its tooltip says "not recorded". It means nothing else. */
export const NOT_RECORDED_MARK: string = "—";
export const NOT_RECORDED_MARK_MEANING: string = "Not recorded, as a short mark in a dense table or a tooltip line; its tooltip says \"not recorded\". It means nothing else.";
/** Does not apply: the question does not arise for this firm (no parent firm, no chips to have figures, no assessment to have evidence). */
export const NOT_APPLICABLE: string = "n/a";
export const NOT_APPLICABLE_MEANING: string = "Does not apply: the question does not arise for this firm (no parent firm, no chips to have figures, no assessment to have evidence).";
/** The chip's recorded figures meet none of the 3A090 parameters: below every threshold (an estimate from the figures entered, not a legal classification). */
export const NONE_MET_3A090: string = "none met";
export const NONE_MET_3A090_MEANING: string = "The chip's recorded figures meet none of the 3A090 parameters: below every threshold (an estimate from the figures entered, not a legal classification).";
/** The figures can neither meet nor miss this 3A090 parameter: its density condition needs the die area, which is not recorded. */
export const UNDETERMINED_3A090: string = "undetermined";
export const UNDETERMINED_3A090_MEANING: string = "The figures can neither meet nor miss this 3A090 parameter: its density condition needs the die area, which is not recorded.";
/** A firm's stance on a strategy, with the sources it rests on; the same heading on the firm profile, the Firms list and Compare. */
export const ASSESSMENTS: string = "Assessments";
export const ASSESSMENTS_MEANING: string = "A firm's stance on a strategy, with the sources it rests on; the same heading on the firm profile, the Firms list and Compare.";
/** A recorded stance: the firm was assessed and shows no sign of pursuing the strategy. Only a stance is "None"; nothing missing is. */
export const STANCE_NONE: string = "None";
export const STANCE_NONE_MEANING: string = "A recorded stance: the firm was assessed and shows no sign of pursuing the strategy. Only a stance is \"None\"; nothing missing is.";
/** Reference number n into the numbered list of sources on the same page, sheet or document; one pair of brackets per reference. */
export const REFERENCE_MARK: string = "[n]";
export const REFERENCE_MARK_MEANING: string = "Reference number n into the numbered list of sources on the same page, sheet or document; one pair of brackets per reference.";
/** How many sources back a value, always in words ("1 source", "3 sources"), never in brackets. */
export const SOURCE_COUNT: string = "3 sources";
export const SOURCE_COUNT_MEANING: string = "How many sources back a value, always in words (\"1 source\", \"3 sources\"), never in brackets.";
/** Why a 3A090 paragraph is undetermined. */
export const UNDETERMINED_WHY: string = "no die area";
/** One source, in a count written as words. */
export const SOURCE: string = "source";
/** More than one source, or none, in a count written as words. */
export const SOURCES: string = "sources";
/** A stance as shown and exported. */
export const STANCE_LABELS: Readonly<Record<Stance, string>> = { none: "None", exploring: "Exploring", active: "Active", leading: "Leading" };
/** What each stance means, for tooltips and the assessment form. */
export const STANCE_DESCRIPTIONS: Readonly<Record<Stance, string>> = { none: "None: assessed, and no sign of pursuing this strategy", exploring: "Exploring: early signs, pilots or statements of intent", active: "Active: committed and visibly pursuing it", leading: "Leading: among the firms furthest ahead on it" };
