//! The words Chipwatch uses for what is and is not known, the name of the
//! record a firm's stance lives in, and the "[n]" mark: one word per meaning
//! and one meaning per word or mark, on every screen, in the CLI and in every
//! export (XLSX, CSV wide and long, Markdown).
//!
//! The core and the CLI use these constants; the UI imports the same words
//! from `ui/src/lib/vocabulary.ts` and the table in `docs/VOCABULARY.md` lists
//! them, both written from this module by `make bindings` (bindings.rs), so
//! no screen or document types a word again. `tests/vocabulary.rs` fails when
//! a screen or an export writes an old word for one of these meanings.
//!
//! To change a word: change it here, run `make bindings`, and the tests that
//! assert it by its constant follow.

use crate::model::Stance;

/// Something that could have a value, for which the workspace holds none: a
/// firm with no export-control listing in the workspace, a blank country,
/// a chip's foundry or die area not entered, a firm never assessed on a
/// strategy, a 3A090 estimate without the figures it needs. It says nothing
/// about the world, only about what has been recorded.
pub const NOT_RECORDED: &str = "not recorded";

/// The short mark for [`NOT_RECORDED`] in a dense table cell or a tooltip line
/// (Chips table, chart tooltip, dates), always with [`NOT_RECORDED`] as its
/// tooltip. It never stands for anything else.
pub const NOT_RECORDED_MARK: &str = "—";

/// The question does not arise for this firm: the parent of a firm without
/// one, the chip figures of a firm with no chips, the evidence of an
/// assessment that does not exist.
pub const NOT_APPLICABLE: &str = "n/a";

/// The 3A090 estimate when a chip's figures are recorded and meet no
/// paragraph: a known result (below every threshold), never missing data.
pub const NONE_MET_3A090: &str = "none met";

/// A 3A090 paragraph that the figures can neither meet nor miss, because the
/// density it needs has no die area to come from: "a.2, b.2 undetermined: no die area".
pub const UNDETERMINED_3A090: &str = "undetermined";

/// Why a 3A090 paragraph is undetermined.
pub const UNDETERMINED_WHY: &str = "no die area";

/// The record of a firm's stance on a strategy with the sources it rests on,
/// and the heading of such records on the firm profile, the Firms list and
/// Compare. (A strategy is the way of responding to the curbs that is
/// assessed; the stance is the assessment's value.)
pub const ASSESSMENTS: &str = "Assessments";

/// Every stance, weakest first.
pub const STANCES: [Stance; 4] = [
    Stance::None,
    Stance::Exploring,
    Stance::Active,
    Stance::Leading,
];

/// A stance as shown and exported. "None" is a recorded stance (the firm was
/// assessed and shows no sign of pursuing the strategy), not missing data:
/// a firm never assessed is [`NOT_RECORDED`].
pub fn stance_label(stance: Stance) -> &'static str {
    match stance {
        Stance::None => "None",
        Stance::Exploring => "Exploring",
        Stance::Active => "Active",
        Stance::Leading => "Leading",
    }
}

/// What a stance means, for tooltips and the assessment form.
pub fn stance_description(stance: Stance) -> &'static str {
    match stance {
        Stance::None => "None: assessed, and no sign of pursuing this strategy",
        Stance::Exploring => "Exploring: early signs, pilots or statements of intent",
        Stance::Active => "Active: committed and visibly pursuing it",
        Stance::Leading => "Leading: among the firms furthest ahead on it",
    }
}

/// "[n]" always means reference number n into a numbered list of sources on
/// the same page, sheet or document (a profile's Sources, the XLSX Sources
/// sheet, the Markdown report's Sources); each reference has its own brackets.
pub fn reference_mark(number: usize) -> String {
    format!("[{number}]")
}

/// The reference marks of a claim, "[1] [3]", at most `shown` of them and
/// then how many more: "[1] [2] … and 3 more".
pub fn reference_marks(numbers: &[usize], shown: usize) -> String {
    let mut marks: Vec<String> = numbers
        .iter()
        .take(shown)
        .map(|n| reference_mark(*n))
        .collect();
    let more = numbers.len().saturating_sub(shown);
    if more > 0 {
        marks.push(format!("and {more} more"));
    }
    marks.join(" ")
}

/// One source, in a count written as words.
pub const SOURCE: &str = "source";
/// More than one source, or none, in a count written as words.
pub const SOURCES: &str = "sources";

/// A count of sources is written in words, never as "[n]": "1 source", "3 sources".
pub fn source_count(count: usize) -> String {
    format!("{count} {}", if count == 1 { SOURCE } else { SOURCES })
}

/// A word of this module with its meaning, for the generated TypeScript and
/// the table in docs/VOCABULARY.md.
pub struct Term {
    /// The TypeScript constant: `NOT_RECORDED`.
    pub constant: &'static str,
    pub word: &'static str,
    /// One sentence, also the tooltip a screen shows on the word.
    pub meaning: &'static str,
}

/// The words in the order the documentation lists them.
pub const TERMS: [Term; 9] = [
    Term {
        constant: "NOT_RECORDED",
        word: NOT_RECORDED,
        meaning: "The workspace holds no value for this, though it could have one (a firm with no listing in the workspace, a blank country, a chip's foundry or die area not entered, a firm not assessed on a strategy, a field left empty in a record's history).",
    },
    Term {
        constant: "NOT_RECORDED_MARK",
        word: NOT_RECORDED_MARK,
        meaning: "Not recorded, as a short mark in a dense table or a tooltip line; its tooltip says \"not recorded\". It means nothing else.",
    },
    Term {
        constant: "NOT_APPLICABLE",
        word: NOT_APPLICABLE,
        meaning: "Does not apply: the question does not arise for this firm (no parent firm, no chips to have figures, no assessment to have evidence).",
    },
    Term {
        constant: "NONE_MET_3A090",
        word: NONE_MET_3A090,
        meaning: "The chip's recorded figures meet none of the 3A090 parameters: below every threshold (an estimate from the figures entered, not a legal classification).",
    },
    Term {
        constant: "UNDETERMINED_3A090",
        word: UNDETERMINED_3A090,
        meaning: "The figures can neither meet nor miss this 3A090 parameter: its density condition needs the die area, which is not recorded.",
    },
    Term {
        constant: "ASSESSMENTS",
        word: ASSESSMENTS,
        meaning: "A firm's stance on a strategy, with the sources it rests on; the same heading on the firm profile, the Firms list and Compare.",
    },
    Term {
        constant: "STANCE_NONE",
        word: "None",
        meaning: "A recorded stance: the firm was assessed and shows no sign of pursuing the strategy. Only a stance is \"None\"; nothing missing is.",
    },
    Term {
        constant: "REFERENCE_MARK",
        word: "[n]",
        meaning: "Reference number n into the numbered list of sources on the same page, sheet or document; one pair of brackets per reference.",
    },
    Term {
        constant: "SOURCE_COUNT",
        word: "3 sources",
        meaning: "How many sources back a value, always in words (\"1 source\", \"3 sources\"), never in brackets.",
    },
];

/// The meaning of a word of [`TERMS`], for a tooltip.
pub fn meaning_of(word: &str) -> &'static str {
    TERMS
        .iter()
        .find(|term| term.word == word)
        .map_or("", |term| term.meaning)
}

/// `ui/src/lib/vocabulary.ts`: the words and their meanings as constants,
/// the stance labels and descriptions.
pub fn typescript() -> String {
    let mut out = String::from(
        "// This file is generated from crates/core/src/vocabulary.rs by `make bindings`. Do not edit.\n\
         // The words the app uses for what is and is not known: one word per meaning (docs/VOCABULARY.md).\n\
         import type { Stance } from \"./bindings\";\n\n",
    );
    for term in &TERMS {
        out.push_str(&format!("/** {} */\n", term.meaning.replace("*/", "* /")));
        out.push_str(&format!(
            "export const {}: string = {:?};\n",
            term.constant, term.word
        ));
        out.push_str(&format!(
            "export const {}_MEANING: string = {:?};\n",
            term.constant, term.meaning
        ));
    }
    let words = [
        (
            "UNDETERMINED_WHY",
            UNDETERMINED_WHY,
            "Why a 3A090 paragraph is undetermined.",
        ),
        ("SOURCE", SOURCE, "One source, in a count written as words."),
        (
            "SOURCES",
            SOURCES,
            "More than one source, or none, in a count written as words.",
        ),
    ];
    for (constant, word, doc) in words {
        out.push_str(&format!(
            "/** {doc} */\nexport const {constant}: string = {word:?};\n"
        ));
    }
    let labels: Vec<String> = STANCES
        .iter()
        .map(|s| format!("{}: {:?}", crate::text::enum_text(s), stance_label(*s)))
        .collect();
    out.push_str(&format!(
        "/** A stance as shown and exported. */\nexport const STANCE_LABELS: Readonly<Record<Stance, string>> = {{ {} }};\n",
        labels.join(", ")
    ));
    let descriptions: Vec<String> = STANCES
        .iter()
        .map(|s| {
            format!(
                "{}: {:?}",
                crate::text::enum_text(s),
                stance_description(*s)
            )
        })
        .collect();
    out.push_str(&format!(
        "/** What each stance means, for tooltips and the assessment form. */\nexport const STANCE_DESCRIPTIONS: Readonly<Record<Stance, string>> = {{ {} }};\n",
        descriptions.join(", ")
    ));
    out
}

/// `docs/VOCABULARY.md`: each word or mark and its one meaning.
pub fn markdown() -> String {
    let mut out = String::from(
        "<!-- Generated from crates/core/src/vocabulary.rs by `make bindings`. Do not edit. -->\n\
         # Words the app uses\n\n\
         One word per meaning and one meaning per word or mark, on every screen, in the CLI and in\n\
         every export (XLSX, CSV wide and long, Markdown). The words live in\n\
         `crates/core/src/vocabulary.rs`; the UI imports them from the generated\n\
         `ui/src/lib/vocabulary.ts`. A word not in this table is not used for these meanings.\n\n\
         | word or mark | meaning |\n| --- | --- |\n",
    );
    for term in &TERMS {
        let word = term.word.replace('|', "\\|");
        out.push_str(&format!("| `{word}` | {} |\n", term.meaning));
    }
    out.push_str("\nStances, weakest first: ");
    let stances: Vec<String> = STANCES
        .iter()
        .map(|s| {
            format!(
                "**{}** ({})",
                stance_label(*s),
                stance_description(*s)
                    .split_once(": ")
                    .map_or("", |(_, d)| d)
            )
        })
        .collect();
    out.push_str(&stances.join(", "));
    out.push_str(".\n\nIn the long CSV a cell's sources are named by title (a CSV has no list beside it to number into); in the wide CSV each dimension has a column of its sources' titles.\n");
    out
}
