//! The words reference managers use for a source's kind and its authors, both
//! ways: CSL-JSON types, RIS `TY` codes and BibTeX entry types against
//! [`SourceKind`], and the one authors text Chipwatch keeps
//! ("Family, Given; Family, Given", as Zotero's CSV writes it) against a list
//! of names. Citation import and export both read this table, so a file
//! Chipwatch writes comes back as the same kinds and names.

use crate::model::SourceKind;

/// Each kind with its CSL type, RIS type and BibTeX entry type, in the order
/// an export prefers them. Reading goes through [`kind_from_csl_type`] and
/// friends, which also know the types other tools write.
const KINDS: [(SourceKind, &str, &str, &str); 9] = [
    (SourceKind::Article, "article-journal", "JOUR", "article"),
    (SourceKind::Report, "report", "RPRT", "techreport"),
    (SourceKind::Regulation, "legislation", "BILL", "misc"),
    (SourceKind::Dataset, "dataset", "DATA", "misc"),
    (
        SourceKind::Paper,
        "paper-conference",
        "CPAPER",
        "inproceedings",
    ),
    (SourceKind::Filing, "document", "GEN", "misc"),
    (SourceKind::Web, "webpage", "ELEC", "online"),
    (SourceKind::Book, "book", "BOOK", "book"),
    (SourceKind::Other, "document", "GEN", "misc"),
];

fn row(kind: SourceKind) -> (SourceKind, &'static str, &'static str, &'static str) {
    KINDS
        .into_iter()
        .find(|(k, ..)| *k == kind)
        .unwrap_or(KINDS[KINDS.len() - 1])
}

/// The CSL-JSON `type` a source of this kind is written as.
pub fn csl_type(kind: SourceKind) -> &'static str {
    row(kind).1
}

/// The RIS `TY` code a source of this kind is written as.
pub fn ris_type(kind: SourceKind) -> &'static str {
    row(kind).2
}

/// The BibTeX/BibLaTeX entry type a source of this kind is written as.
pub fn bibtex_type(kind: SourceKind) -> &'static str {
    row(kind).3
}

/// The kind of a CSL-JSON `type` (CSL 1.0.2's list); unknown types are Other.
pub fn kind_from_csl_type(csl: &str) -> SourceKind {
    match csl.trim().to_ascii_lowercase().as_str() {
        "article" | "article-journal" | "article-magazine" | "article-newspaper" | "periodical"
        | "review" | "review-book" => SourceKind::Article,
        "report" => SourceKind::Report,
        "legislation" | "legal_case" | "regulation" | "bill" | "treaty" | "standard" => {
            SourceKind::Regulation
        }
        "dataset" => SourceKind::Dataset,
        "paper-conference" | "thesis" | "manuscript" | "speech" => SourceKind::Paper,
        "patent" => SourceKind::Filing,
        "webpage" | "post" | "post-weblog" => SourceKind::Web,
        "book" | "chapter" | "entry-encyclopedia" | "entry-dictionary" | "classic" => {
            SourceKind::Book
        }
        _ => SourceKind::Other,
    }
}

/// The kind of an RIS `TY` code (the RIS specification's list); unknown codes are Other.
pub fn kind_from_ris_type(ty: &str) -> SourceKind {
    match ty.trim().to_ascii_uppercase().as_str() {
        "JOUR" | "JFULL" | "MGZN" | "NEWS" | "EJOUR" | "ABST" | "INPR" => SourceKind::Article,
        "RPRT" => SourceKind::Report,
        "BILL" | "STAT" | "LEGAL" | "GOVDOC" | "CASE" | "HEAR" | "STAND" => SourceKind::Regulation,
        "DATA" | "DBASE" | "AGGR" => SourceKind::Dataset,
        "CPAPER" | "CONF" | "THES" | "UNPB" | "MANSCPT" => SourceKind::Paper,
        "PAT" => SourceKind::Filing,
        "ELEC" | "WEB" | "BLOG" | "ICOMM" => SourceKind::Web,
        "BOOK" | "CHAP" | "EBOOK" | "ECHAP" | "EDBOOK" | "ENCYC" | "DICT" => SourceKind::Book,
        _ => SourceKind::Other,
    }
}

/// The kind of a BibTeX/BibLaTeX entry type; unknown types are Other.
pub fn kind_from_bibtex_type(entry: &str) -> SourceKind {
    match entry.trim().to_ascii_lowercase().as_str() {
        "article" | "periodical" => SourceKind::Article,
        "techreport" | "report" => SourceKind::Report,
        "legislation" | "legal" | "jurisdiction" | "standard" => SourceKind::Regulation,
        "dataset" | "data" => SourceKind::Dataset,
        "inproceedings" | "conference" | "phdthesis" | "mastersthesis" | "thesis"
        | "unpublished" => SourceKind::Paper,
        "patent" => SourceKind::Filing,
        "online" | "electronic" | "www" => SourceKind::Web,
        "book" | "inbook" | "incollection" | "booklet" | "mvbook" | "collection" => {
            SourceKind::Book
        }
        _ => SourceKind::Other,
    }
}

/// One author as reference managers hold it: a family and given name, or one
/// literal name (an organisation, or a Chinese name written whole).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PersonName {
    Parts { family: String, given: String },
    Literal(String),
}

impl PersonName {
    /// "Family, Given" or the literal name, as Chipwatch's authors text holds it.
    pub fn as_text(&self) -> String {
        match self {
            PersonName::Parts { family, given } if given.is_empty() => family.clone(),
            PersonName::Parts { family, given } => format!("{family}, {given}"),
            PersonName::Literal(name) => name.clone(),
        }
    }
}

/// Splits Chipwatch's authors text ("Allen, Gregory C.; 张三; Center for
/// Security and Emerging Technology") into names. A name without a comma is
/// literal: an organisation or a name written whole; so is one with a comma
/// that names an organisation ("Bureau of Industry and Security, US Department
/// of Commerce"), which read as "Family, Given" would be cited as a person.
pub fn split_authors(authors: &str) -> Vec<PersonName> {
    authors
        .split(';')
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(|name| match name.split_once(',') {
            Some((family, given)) if !family.trim().is_empty() && !names_an_organisation(name) => {
                PersonName::Parts {
                    family: family.trim().to_owned(),
                    given: given.trim().to_owned(),
                }
            }
            _ => PersonName::Literal(name.to_owned()),
        })
        .collect()
}

/// Words only an organisation's name holds (compared without case).
const ORGANISATION_WORDS: &str = "academy administration agency association authority \
    board bureau center centre college commission committee company corp corporation \
    council department federation foundation government group inc institute institution \
    laboratory limited llc ltd ministry office organisation organization parliament plc \
    secretariat society university";

/// Endings only an organisation's name in Chinese holds: ministry, bureau,
/// committee, association, institutes, university, company, group, centre,
/// bank, government.
const ORGANISATION_ENDINGS_ZH: &str =
    "部 局 委员会 协会 研究院 研究所 大学 公司 集团 中心 银行 政府";

/// Whether `name` reads as an organisation's: an organisation word
/// ("Department", "Ltd"), a Chinese organisation ending, or a digit.
fn names_an_organisation(name: &str) -> bool {
    let has_word = name.split(|c: char| !c.is_alphanumeric()).any(|word| {
        ORGANISATION_WORDS
            .split_whitespace()
            .any(|w| w.eq_ignore_ascii_case(word))
    });
    has_word
        || name.chars().any(|c| c.is_ascii_digit())
        || name.split([',', '，']).map(str::trim).any(|part| {
            ORGANISATION_ENDINGS_ZH
                .split_whitespace()
                .any(|end| part.ends_with(end))
        })
}

/// The authors text for a list of names; None when there are none.
pub fn join_authors(names: &[PersonName]) -> Option<String> {
    let parts: Vec<String> = names
        .iter()
        .map(PersonName::as_text)
        .filter(|text| !text.trim().is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// Tags as one keywords text (BibTeX `keywords`, CSL `keyword`): joined by
/// ", ", or by "; " when a tag holds a comma, as the import splits them back
/// (on ";" when the text has one, else on ","); a lone tag with a comma ends
/// in ";" so that it is not split.
pub fn join_tags(tags: &[String]) -> String {
    if !tags.iter().any(|t| t.contains([',', '，', '、'])) {
        return tags.join(", ");
    }
    let joined = tags.join("; ");
    if tags.len() == 1 {
        format!("{joined};")
    } else {
        joined
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL_KINDS: [SourceKind; 9] = [
        SourceKind::Article,
        SourceKind::Report,
        SourceKind::Regulation,
        SourceKind::Dataset,
        SourceKind::Paper,
        SourceKind::Filing,
        SourceKind::Web,
        SourceKind::Book,
        SourceKind::Other,
    ];

    #[test]
    fn every_kind_comes_back_from_the_csl_and_ris_types_it_is_written_as() {
        for kind in ALL_KINDS {
            // Filing and Other share "document"/"GEN": both read back as Other.
            let expected = if kind == SourceKind::Filing {
                SourceKind::Other
            } else {
                kind
            };
            assert_eq!(kind_from_csl_type(csl_type(kind)), expected, "{kind:?}");
            assert_eq!(kind_from_ris_type(ris_type(kind)), expected, "{kind:?}");
        }
    }

    #[test]
    fn bibtex_keeps_the_kinds_it_has_entry_types_for() {
        for kind in [
            SourceKind::Article,
            SourceKind::Report,
            SourceKind::Paper,
            SourceKind::Web,
            SourceKind::Book,
        ] {
            assert_eq!(kind_from_bibtex_type(bibtex_type(kind)), kind);
        }
        assert_eq!(kind_from_bibtex_type("Misc"), SourceKind::Other);
    }

    #[test]
    fn tags_with_a_comma_are_joined_by_semicolons() {
        assert_eq!(join_tags(&["AI".into(), "芯片".into()]), "AI, 芯片");
        assert_eq!(
            join_tags(&["Entity List, 2023".into(), "AI".into()]),
            "Entity List, 2023; AI"
        );
        assert_eq!(
            join_tags(&["Entity List, 2023".into()]),
            "Entity List, 2023;"
        );
    }

    #[test]
    fn authors_split_into_family_given_and_literal_names_and_join_back() {
        let text = "Allen, Gregory C.; 张三; Center for Security and Emerging Technology";
        let names = split_authors(text);
        assert_eq!(
            names,
            vec![
                PersonName::Parts {
                    family: "Allen".into(),
                    given: "Gregory C.".into()
                },
                PersonName::Literal("张三".into()),
                PersonName::Literal("Center for Security and Emerging Technology".into()),
            ]
        );
        assert_eq!(join_authors(&names).as_deref(), Some(text));
        assert_eq!(join_authors(&split_authors(" ; ")), None);
    }

    #[test]
    fn an_organisation_named_with_a_comma_stays_whole() {
        let text = "Bureau of Industry and Security, US Department of Commerce; \
                    Wang, Li; Semiconductor Industry Association, SIA; \
                    中华人民共和国, 商务部; TechInsights, 2024 teardown team; van der Berg, Jan";
        assert_eq!(
            split_authors(text),
            vec![
                PersonName::Literal(
                    "Bureau of Industry and Security, US Department of Commerce".into()
                ),
                PersonName::Parts {
                    family: "Wang".into(),
                    given: "Li".into()
                },
                PersonName::Literal("Semiconductor Industry Association, SIA".into()),
                PersonName::Literal("中华人民共和国, 商务部".into()),
                PersonName::Literal("TechInsights, 2024 teardown team".into()),
                PersonName::Parts {
                    family: "van der Berg".into(),
                    given: "Jan".into()
                },
            ]
        );
        assert_eq!(join_authors(&split_authors(text)).as_deref(), Some(text));
    }
}
