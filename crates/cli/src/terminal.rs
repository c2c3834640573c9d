//! Text on its way to a terminal. Titles, notes, names and the values of an
//! imported file may hold characters a terminal acts on instead of showing:
//! OSC 52 writes the clipboard, CSI sequences recolour or clear the screen, a
//! carriage return overwrites the line, bidi overrides reorder what is shown.
//! Every human-readable line goes out through the macros below, which show
//! such characters as Rust-style escapes (`\u{1b}`; `\n`, `\r`, `\t` where a
//! line break would split a row). `--json` output is printed exactly, not here:
//! serde escapes the C0 controls itself. The crate's clippy.toml forbids
//! `println!` and friends elsewhere, so no print path can bypass this.
#![allow(clippy::disallowed_macros)] // the one place that prints

use std::borrow::Cow;
use std::fmt::Write as _;

/// Prints one line of human output: every control character is escaped,
/// line breaks too, so that a row of a listing stays one row.
macro_rules! println_escaped {
    ($($arg:tt)*) => {
        $crate::terminal::print_line(&format!($($arg)*))
    };
}

/// Prints multi-line text (a note body) as it is, with its line breaks and
/// tabs, but every other control character escaped. Adds no line break.
macro_rules! print_text_escaped {
    ($($arg:tt)*) => {
        $crate::terminal::print_text(&format!($($arg)*))
    };
}

/// Prints a message on standard error, escaped like [`print_text_escaped`],
/// then a line break.
macro_rules! eprintln_escaped {
    ($($arg:tt)*) => {
        $crate::terminal::eprint_message(&format!($($arg)*))
    };
}

pub fn print_line(text: &str) {
    println!("{}", escape(text, Breaks::Escape));
}

pub fn print_text(text: &str) {
    print!("{}", escape(text, Breaks::Keep));
}

pub fn eprint_message(text: &str) {
    eprintln!("{}", escape(text, Breaks::Keep));
}

/// Output that is not for people (`--json`, which serde has escaped already).
pub fn print_exact(text: &str) {
    println!("{text}");
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Breaks {
    /// Multi-line text: a line feed, a tab and a CR before a line feed stay.
    Keep,
    /// One line per row: they are escaped too.
    Escape,
}

/// What a terminal may act on: C0 controls, DEL, C1 controls, and the bidi
/// embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069).
fn acts_on(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every character a terminal would act on shown as an escape.
fn escape(text: &str, breaks: Breaks) -> Cow<'_, str> {
    if !text.chars().any(acts_on) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let kept = breaks == Breaks::Keep
            && (c == '\n' || c == '\t' || (c == '\r' && chars.peek() == Some(&'\n')));
        match c {
            _ if kept || !acts_on(c) => out.push(c),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            _ => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
        }
    }
    Cow::Owned(out)
}
