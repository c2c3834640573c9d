//! `--map "Title=title,Web page=url"`: an import's mapping written inline.
//!
//! The syntax:
//! - `COLUMN=FIELD` pairs separated by commas; `--map` may be repeated, and the
//!   pairs of every `--map` count.
//! - The last `=` of a pair separates column from field (fields never hold
//!   one), so a column name may hold `=`.
//! - Spaces around a column or field are dropped; inside they are kept.
//! - Double quotes keep what is between them as it is: commas, `=`, spaces
//!   (`"Title, main"=title`); `""` inside quotes is one quote.
//! - A backslash keeps the next character as it is (`Title\, main=title`,
//!   `\"`, `\\`).
//!
//! Columns and fields are then matched by the core (`mapping::from_names`),
//! which names an unknown column or field.

use chipwatch_core::Error;

/// The (column, field) pairs of every `--map` given.
pub fn parse_all(texts: &[String]) -> Result<Vec<(String, String)>, Error> {
    let mut pairs = Vec::new();
    for text in texts {
        pairs.extend(parse(text)?);
    }
    Ok(pairs)
}

/// A character of a pair, and whether it was quoted or escaped (kept as it is:
/// never a separator, never trimmed).
type Marked = (char, bool);

/// The (column, field) pairs of one `--map` value.
pub fn parse(text: &str) -> Result<Vec<(String, String)>, Error> {
    let mut pairs = Vec::new();
    let mut current: Vec<Marked> = Vec::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(next) => current.push((next, true)),
                None => {
                    return Err(Error::invalid(
                        "map",
                        format!("'{text}' ends in a lone \\; write \\\\ for a backslash"),
                    ))
                }
            },
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                current.push(('"', true));
            }
            '"' => quoted = !quoted,
            ',' if !quoted => {
                pairs.extend(pair(&current)?);
                current.clear();
            }
            _ => current.push((c, quoted)),
        }
    }
    if quoted {
        return Err(Error::invalid(
            "map",
            format!("'{text}' opens a quote it never closes; close it with \""),
        ));
    }
    pairs.extend(pair(&current)?);
    Ok(pairs)
}

/// One `COLUMN=FIELD` pair; nothing for an empty one (`a=b,,c=d`, a trailing comma).
fn pair(marked: &[Marked]) -> Result<Option<(String, String)>, Error> {
    let all = trimmed(marked);
    if all.is_empty() {
        return Ok(None);
    }
    let Some(split) = marked.iter().rposition(|&(c, kept)| c == '=' && !kept) else {
        return Err(Error::invalid(
            "map",
            format!("'{all}' has no '='; write COLUMN=FIELD, e.g. Title=title"),
        ));
    };
    let column = trimmed(&marked[..split]);
    let field = trimmed(&marked[split + 1..]);
    if column.is_empty() {
        return Err(Error::invalid(
            "map",
            format!("'{all}' names no column before '='"),
        ));
    }
    Ok(Some((column, field)))
}

/// The text without the unquoted spaces at either end.
fn trimmed(marked: &[Marked]) -> String {
    let loose = |&(c, kept): &Marked| !kept && c.is_whitespace();
    let start = marked
        .iter()
        .position(|m| !loose(m))
        .unwrap_or(marked.len());
    let end = marked
        .iter()
        .rposition(|m| !loose(m))
        .map_or(start, |e| e + 1);
    marked[start..end].iter().map(|&(c, _)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(text: &str) -> Vec<(String, String)> {
        parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn p(column: &str, field: &str) -> (String, String) {
        (column.to_owned(), field.to_owned())
    }

    #[test]
    fn pairs_are_split_at_commas_and_the_last_equals_sign() {
        assert_eq!(
            pairs("Title=title, Web page = url ,发布日期=publishedOn,"),
            vec![
                p("Title", "title"),
                p("Web page", "url"),
                p("发布日期", "publishedOn")
            ]
        );
        assert_eq!(pairs("a=b=url"), vec![p("a=b", "url")]);
        assert_eq!(pairs(""), vec![]);
    }

    #[test]
    fn quotes_and_backslashes_keep_commas_quotes_and_spaces() {
        assert_eq!(
            pairs(r#""Title, main"=title,Tags\, manual=tags"#),
            vec![p("Title, main", "title"), p("Tags, manual", "tags")]
        );
        assert_eq!(
            pairs(r#""He said ""hi"""=title"#),
            vec![p(r#"He said "hi""#, "title")]
        );
        assert_eq!(
            pairs(r#"\"quoted\"=title"#),
            vec![p(r#""quoted""#, "title")]
        );
        assert_eq!(pairs(r#"" padded "=title"#), vec![p(" padded ", "title")]);
        assert_eq!(pairs(r#""a=b"=url"#), vec![p("a=b", "url")]);
        assert_eq!(pairs(r"C:\\dir=url"), vec![p(r"C:\dir", "url")]);
        assert_eq!(pairs("标题 🚀=title"), vec![p("标题 🚀", "title")]);
    }

    #[test]
    fn a_malformed_map_is_bad_input_for_map() {
        for text in ["Title", "=title", r#""Title=title"#, r"Title=title\"] {
            match parse(text).unwrap_err() {
                Error::InvalidInput { field, .. } => assert_eq!(field, "map", "{text}"),
                other => panic!("{text}: expected invalid input, got {other}"),
            }
        }
        assert!(parse(r"Title\=title")
            .unwrap_err()
            .to_string()
            .contains("no '='"));
    }
}
