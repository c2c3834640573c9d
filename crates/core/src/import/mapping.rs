//! Which column of a file fills which field. A mapping is data: the UI shows
//! it, the analyst edits it, and it can be saved as a named preset. The
//! automatic mapping knows Zotero's CSV export, common English headers and
//! common Chinese ones; a column it does not know stays unmapped (its cells are
//! still kept in the source's `original_row`).

use std::collections::HashMap;

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{presets, ImportOptions, ImportTarget};
use crate::error::{Error, Result};
use crate::text::grouped;

/// A field a column can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ImportField {
    // Sources
    Title,
    Authors,
    /// The outlet: publisher, journal, website, agency.
    Publisher,
    Url,
    Doi,
    /// Several date columns may map here; the most precise valid one wins.
    PublishedOn,
    AccessedOn,
    Language,
    Abstract,
    /// Several columns may map here; their tags are joined.
    Tags,
    /// The kind of source (Zotero's item type, or article / report / ...).
    Kind,
    Reliability,
    Credibility,
    // Firms
    Name,
    NativeName,
    Country,
    /// Several columns may map here; their names are joined.
    Aliases,
    FirmKind,
    Website,
    Summary,
    /// The parent firm's name (matched to a firm in the workspace or the file).
    ParentFirm,
}

/// One column of the file and the field it fills (none: kept, not mapped).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ColumnMapping {
    /// The column's position, from 0.
    pub index: u32,
    pub header: String,
    pub field: Option<ImportField>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Mapping {
    pub columns: Vec<ColumnMapping>,
}

impl Mapping {
    /// The columns that fill `field`, in file order.
    pub fn columns_of(&self, field: ImportField) -> Vec<usize> {
        self.columns
            .iter()
            .filter(|c| c.field == Some(field))
            .map(|c| c.index as usize)
            .collect()
    }

    /// The header of column `index`.
    pub fn header(&self, index: usize) -> &str {
        self.columns
            .iter()
            .find(|c| c.index as usize == index)
            .map_or("", |c| c.header.as_str())
    }
}

/// The fields a column may fill when importing `target`.
pub fn fields_for(target: ImportTarget) -> Vec<ImportField> {
    use ImportField::*;
    match target {
        ImportTarget::Sources => vec![
            Title,
            Authors,
            Publisher,
            Url,
            Doi,
            PublishedOn,
            AccessedOn,
            Language,
            Abstract,
            Tags,
            Kind,
            Reliability,
            Credibility,
        ],
        ImportTarget::Firms => vec![
            Name, NativeName, Country, Aliases, FirmKind, Website, Summary, ParentFirm,
        ],
        // Epoch's columns are fixed; nothing to map.
        ImportTarget::Chips | ImportTarget::Listings => Vec::new(),
    }
}

/// Fields that may be filled by more than one column (joined or best-of).
fn multi_column(field: ImportField) -> bool {
    matches!(
        field,
        ImportField::Tags
            | ImportField::Aliases
            | ImportField::PublishedOn
            | ImportField::Publisher
    )
}

/// Headers as compared: lower case, letters and digits only (CJK kept).
fn header_key(header: &str) -> String {
    header
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Known headers (as `header_key`s) per field, English and Chinese.
fn synonyms(target: ImportTarget) -> &'static [(ImportField, &'static [&'static str])] {
    use ImportField::*;
    match target {
        ImportTarget::Sources => &[
            (
                Title,
                &[
                    "title",
                    "headline",
                    "articletitle",
                    "标题",
                    "题名",
                    "篇名",
                    "文章标题",
                    "题目",
                ],
            ),
            (
                Authors,
                &[
                    "author",
                    "authors",
                    "authors",
                    "creator",
                    "creators",
                    "by",
                    "byline",
                    "作者",
                    "著者",
                    "责任者",
                ],
            ),
            (
                Publisher,
                &[
                    "publicationtitle",
                    "publisher",
                    "source",
                    "publication",
                    "journal",
                    "outlet",
                    "website",
                    "sitename",
                    "newspaper",
                    "来源",
                    "出版社",
                    "出版者",
                    "媒体",
                    "期刊",
                    "刊名",
                    "发布机构",
                    "来源媒体",
                ],
            ),
            (
                Url,
                &[
                    "url",
                    "link",
                    "links",
                    "weblink",
                    "sourceurl",
                    "href",
                    "address",
                    "链接",
                    "网址",
                    "原文链接",
                    "网页链接",
                ],
            ),
            (Doi, &["doi"]),
            (
                PublishedOn,
                &[
                    "date",
                    "published",
                    "publicationdate",
                    "publisheddate",
                    "pubdate",
                    "publishdate",
                    "datepublished",
                    "publicationyear",
                    "year",
                    "发布日期",
                    "发表日期",
                    "日期",
                    "出版日期",
                    "发布时间",
                    "发表时间",
                    "时间",
                    "年份",
                ],
            ),
            (
                AccessedOn,
                &[
                    "accessdate",
                    "accessed",
                    "accessedon",
                    "dateaccessed",
                    "访问日期",
                    "获取日期",
                    "访问时间",
                ],
            ),
            (Language, &["language", "lang", "语言", "语种"]),
            (
                Abstract,
                &[
                    "abstract",
                    "abstractnote",
                    "summary",
                    "description",
                    "摘要",
                    "简介",
                    "内容摘要",
                    "概要",
                    "内容简介",
                ],
            ),
            (
                Tags,
                &[
                    "tags",
                    "tag",
                    "manualtags",
                    "automatictags",
                    "keywords",
                    "keyword",
                    "标签",
                    "关键词",
                    "关键字",
                ],
            ),
            (
                Kind,
                &["itemtype", "kind", "type", "sourcetype", "类型", "文献类型"],
            ),
            (Reliability, &["reliability", "可靠性"]),
            (Credibility, &["credibility", "可信度"]),
        ],
        ImportTarget::Firms => &[
            (
                Name,
                &[
                    "name",
                    "firm",
                    "company",
                    "firmname",
                    "companyname",
                    "englishname",
                    "名称",
                    "公司",
                    "企业",
                    "公司名称",
                    "英文名",
                    "英文名称",
                ],
            ),
            (
                NativeName,
                &[
                    "nativename",
                    "chinesename",
                    "localname",
                    "originalname",
                    "中文名",
                    "中文名称",
                    "本地名称",
                ],
            ),
            (
                Country,
                &[
                    "country",
                    "countrycode",
                    "nation",
                    "国家",
                    "国家地区",
                    "地区",
                ],
            ),
            (
                Aliases,
                &[
                    "aliases",
                    "alias",
                    "alsoknownas",
                    "aka",
                    "othernames",
                    "别名",
                    "其他名称",
                ],
            ),
            (FirmKind, &["kind", "type", "firmkind", "类型"]),
            (
                Website,
                &["website", "url", "homepage", "web", "site", "网站", "官网"],
            ),
            (
                Summary,
                &[
                    "summary",
                    "description",
                    "notes",
                    "note",
                    "简介",
                    "描述",
                    "备注",
                ],
            ),
            (
                ParentFirm,
                &[
                    "parent",
                    "parentfirm",
                    "parentcompany",
                    "owner",
                    "母公司",
                    "上级公司",
                ],
            ),
        ],
        ImportTarget::Chips | ImportTarget::Listings => &[],
    }
}

/// The automatic mapping for `headers`: each known header to its field. A
/// single-valued field takes the first column that names it; a repeated
/// header (read as "X (2)") is left unmapped.
pub fn auto_mapping(target: ImportTarget, headers: &[String]) -> Mapping {
    let table = synonyms(target);
    let mut taken: Vec<ImportField> = Vec::new();
    let mut columns = Vec::with_capacity(headers.len());
    // Exact names first (Zotero's "Item Type" before a later "Type"), in synonym order.
    let keys: Vec<String> = headers.iter().map(|h| header_key(h)).collect();
    let mut fields: Vec<Option<ImportField>> = vec![None; headers.len()];
    for (field, names) in table {
        for name in names.iter() {
            for (index, key) in keys.iter().enumerate() {
                if fields[index].is_some() || key != name {
                    continue;
                }
                if !multi_column(*field) && taken.contains(field) {
                    continue;
                }
                // Zotero's "Type" (a report's type) is not the item type.
                if *field == ImportField::Kind && key == "type" && taken.contains(field) {
                    continue;
                }
                fields[index] = Some(*field);
                taken.push(*field);
            }
        }
    }
    for (index, header) in headers.iter().enumerate() {
        columns.push(ColumnMapping {
            index: index as u32,
            header: header.clone(),
            field: fields[index],
        });
    }
    Mapping { columns }
}

/// Zotero's CSV export headers that Chipwatch maps (the other 70-odd are kept).
pub const ZOTERO_COLUMNS: [(&str, ImportField); 14] = [
    ("Item Type", ImportField::Kind),
    ("Publication Year", ImportField::PublishedOn),
    ("Author", ImportField::Authors),
    ("Title", ImportField::Title),
    ("Publication Title", ImportField::Publisher),
    ("DOI", ImportField::Doi),
    ("Url", ImportField::Url),
    ("Abstract Note", ImportField::Abstract),
    ("Date", ImportField::PublishedOn),
    ("Access Date", ImportField::AccessedOn),
    ("Publisher", ImportField::Publisher),
    ("Language", ImportField::Language),
    ("Manual Tags", ImportField::Tags),
    ("Automatic Tags", ImportField::Tags),
];

/// The built-in "zotero" preset: Zotero's headers by exact name.
pub fn zotero_mapping(headers: &[String]) -> Mapping {
    Mapping {
        columns: headers
            .iter()
            .enumerate()
            .map(|(index, header)| ColumnMapping {
                index: index as u32,
                header: header.clone(),
                field: ZOTERO_COLUMNS
                    .iter()
                    .find(|(name, _)| name == header)
                    .map(|(_, field)| *field),
            })
            .collect(),
    }
}

/// A saved mapping applied to another file: columns matched by header (ignoring
/// case and punctuation), so the preset works whatever the column order. The
/// preset's headers are looked up by key, not rescanned for each column.
pub fn apply_preset(preset: &Mapping, headers: &[String]) -> Mapping {
    let mut field_of: HashMap<String, Option<ImportField>> = HashMap::new();
    for column in &preset.columns {
        // The first column of a key decides, as a scan in order would.
        field_of
            .entry(header_key(&column.header))
            .or_insert(column.field);
    }
    Mapping {
        columns: headers
            .iter()
            .enumerate()
            .map(|(index, header)| ColumnMapping {
                index: index as u32,
                header: header.clone(),
                field: field_of.get(&header_key(header)).copied().flatten(),
            })
            .collect(),
    }
}

impl ImportField {
    /// The field's name as mappings write it (`title`, `publishedOn`).
    pub fn name(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }
}

/// A field's name as compared: lower case, without `_`, `-` or spaces, so
/// `publishedOn`, `published_on` and `Published on` are one name.
fn field_key(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, '_' | '-') && !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The field of `target` that `name` means (see `field_key`); for firms, `kind`
/// and `parent` name `firmKind` and `parentFirm`. Unknown: invalid input for
/// `map`, listing the fields.
pub fn field_named(target: ImportTarget, name: &str) -> Result<ImportField> {
    let allowed = fields_for(target);
    if allowed.is_empty() {
        return Err(Error::invalid(
            "map",
            format!(
                "{} are imported in a fixed format whose columns are known; there is nothing to map",
                target.as_str()
            ),
        ));
    }
    let key = field_key(name);
    let key = match (target, key.as_str()) {
        (ImportTarget::Firms, "kind") => "firmkind".to_owned(),
        (ImportTarget::Firms, "parent") => "parentfirm".to_owned(),
        _ => key,
    };
    allowed
        .iter()
        .copied()
        .find(|f| field_key(&f.name()) == key)
        .ok_or_else(|| {
            let names: Vec<String> = allowed.iter().map(|f| f.name()).collect();
            Error::invalid(
                "map",
                format!(
                    "'{name}' is not a field of {}; the fields are: {}",
                    target.as_str(),
                    names.join(", ")
                ),
            )
        })
}

/// A mapping written as (column, field) pairs, e.g. from `--map "Title=title"`:
/// each named column fills its field, every other column is kept unmapped.
/// A column is matched by its exact header, else by the one header equal to it
/// ignoring case and punctuation. An unknown column or field, a column named
/// twice, or two columns for a field that takes one, is invalid input for `map`.
pub fn from_names(
    target: ImportTarget,
    headers: &[String],
    pairs: &[(String, String)],
) -> Result<Mapping> {
    if pairs.is_empty() {
        return Err(Error::invalid(
            "map",
            "no column=field pair given; write e.g. Title=title",
        ));
    }
    let mut fields: Vec<Option<ImportField>> = vec![None; headers.len()];
    for (column, field_name) in pairs {
        let field = field_named(target, field_name)?;
        let index = match headers.iter().position(|h| h == column) {
            Some(index) => index,
            None => {
                let key = header_key(column);
                let near: Vec<usize> = (0..headers.len())
                    .filter(|&i| !key.is_empty() && header_key(&headers[i]) == key)
                    .collect();
                match near.as_slice() {
                    [index] => *index,
                    _ => {
                        return Err(Error::invalid(
                            "map",
                            format!(
                                "the file has no column '{column}'; its columns are: {}",
                                headers
                                    .iter()
                                    .map(|h| format!("'{h}'"))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        ))
                    }
                }
            }
        };
        if let Some(earlier) = fields[index] {
            return Err(Error::invalid(
                "map",
                format!(
                    "column '{}' is mapped twice (to {} and {}); map it once",
                    headers[index],
                    earlier.name(),
                    field.name()
                ),
            ));
        }
        if !multi_column(field) {
            if let Some(other) = fields.iter().position(|f| *f == Some(field)) {
                return Err(Error::invalid(
                    "map",
                    format!(
                        "columns '{}' and '{}' both fill {}, which takes one column; map one of them",
                        headers[other],
                        headers[index],
                        field.name()
                    ),
                ));
            }
        }
        fields[index] = Some(field);
    }
    Ok(Mapping {
        columns: headers
            .iter()
            .zip(fields)
            .enumerate()
            .map(|(index, (header, field))| ColumnMapping {
                index: index as u32,
                header: header.clone(),
                field,
            })
            .collect(),
    })
}

/// The mapping an import uses: the one given (checked against the file),
/// else the named preset, else the automatic one.
pub(crate) fn resolve(
    conn: &Connection,
    target: ImportTarget,
    options: &ImportOptions,
    headers: &[String],
) -> Result<Mapping> {
    let mapping = if let Some(given) = &options.mapping {
        if let Some(extra) = given
            .columns
            .iter()
            .find(|c| c.index as usize >= headers.len())
        {
            return Err(Error::invalid(
                "mapping",
                format!(
                    "the mapping names column {} ('{}'), but the file has {} columns; preview the file again",
                    extra.index + 1,
                    extra.header,
                    headers.len()
                ),
            ));
        }
        // By position, in one pass: the first entry for a column decides.
        let mut fields: Vec<Option<Option<ImportField>>> = vec![None; headers.len()];
        for column in &given.columns {
            if let Some(slot @ None) = fields.get_mut(column.index as usize) {
                *slot = Some(column.field);
            }
        }
        Mapping {
            columns: headers
                .iter()
                .zip(fields)
                .enumerate()
                .map(|(index, (header, field))| ColumnMapping {
                    index: index as u32,
                    header: header.clone(),
                    field: field.flatten(),
                })
                .collect(),
        }
    } else {
        match options.preset.as_deref().map(str::trim) {
            None | Some("") | Some("auto") => auto_mapping(target, headers),
            Some(name) if name.eq_ignore_ascii_case("zotero") => zotero_mapping(headers),
            Some(name) => apply_preset(&presets::load(conn, name)?.mapping, headers),
        }
    };
    let allowed = fields_for(target);
    if let Some(bad) = mapping
        .columns
        .iter()
        .find(|c| c.field.is_some_and(|f| !allowed.contains(&f)))
    {
        return Err(Error::invalid(
            "mapping",
            format!(
                "column '{}' is mapped to a field {} do not have",
                bad.header,
                target.as_str()
            ),
        ));
    }
    if target == ImportTarget::Sources && mapping.columns_of(ImportField::Title).is_empty() {
        return Err(Error::invalid(
            "mapping",
            format!(
                "no column is mapped to the title, and every source needs one; map one of the columns ({}) to Title",
                listed(headers)
            ),
        ));
    }
    if target == ImportTarget::Firms && mapping.columns_of(ImportField::Name).is_empty() {
        return Err(Error::invalid(
            "mapping",
            format!(
                "no column is mapped to the firm's name; map one of the columns ({}) to Name",
                listed(headers)
            ),
        ));
    }
    Ok(mapping)
}

/// Headers a message names: the first few, then how many more.
fn listed(headers: &[String]) -> String {
    const NAMED: usize = 10;
    let mut text = headers
        .iter()
        .take(NAMED)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    if headers.len() > NAMED {
        text.push_str(&format!(
            " and {} more",
            grouped((headers.len() - NAMED) as u64)
        ));
    }
    text
}
