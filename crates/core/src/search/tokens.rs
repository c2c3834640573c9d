//! Text: CJK runs, bigrams, folding, as the index and the query parser cut it.

/// Characters indexed as bigrams: Han (with extensions and compatibility
/// ideographs), kana and Hangul, which are written without spaces between words.
pub(super) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3005..=0x3007      // 々 〆 〇
        | 0x3040..=0x30FF    // Hiragana, Katakana
        | 0x31F0..=0x31FF    // Katakana phonetic extensions
        | 0x3400..=0x4DBF    // CJK Extension A
        | 0x4E00..=0x9FFF    // CJK Unified Ideographs
        | 0xAC00..=0xD7AF    // Hangul syllables
        | 0xF900..=0xFAFF    // CJK Compatibility Ideographs
        | 0x20000..=0x323AF) // CJK Extensions B to H
}

/// Full-width ASCII (ＡＢＣ１２３, common in Chinese text) as ASCII.
pub(super) fn fold_width(c: char) -> char {
    match c as u32 {
        code @ 0xFF01..=0xFF5E => char::from_u32(code - 0xFEE0).unwrap_or(c),
        0x3000 => ' ',
        _ => c,
    }
}

/// A character of a word in the unicode61 sense (letters and digits), not CJK.
pub(super) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !is_cjk(c)
}

/// Appends `text` to an index column pair: `words` gets it with CJK runs blanked
/// out (unicode61 tokenizes the rest), `cjk` gets each run's overlapping bigrams,
/// or the character itself for a run of one.
pub(super) fn split_for_index(text: &str, words: &mut String, cjk: &mut String) {
    let mut run: Vec<char> = Vec::new();
    for c in text.chars().map(fold_width) {
        if is_cjk(c) {
            if run.is_empty() {
                words.push(' ');
            }
            run.push(c);
        } else {
            push_bigrams(&run, cjk);
            run.clear();
            words.push(c);
        }
    }
    push_bigrams(&run, cjk);
    // Separates this text from the next one appended to the same column.
    words.push('\n');
}

pub(super) fn push_bigrams(run: &[char], out: &mut String) {
    let mut push = |token: &[char]| {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(token);
    };
    match run.len() {
        0 => {}
        1 => push(run),
        _ => run.windows(2).for_each(push),
    }
}

/// A word as unicode61 with remove_diacritics compares it: lower case, common
/// Latin diacritics removed. Only used to find matches for highlighting.
pub(super) fn fold_word(word: &str) -> String {
    word.chars()
        .flat_map(char::to_lowercase)
        .map(strip_diacritic)
        .collect()
}

pub(super) fn strip_diacritic(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => 'c',
        'ď' => 'd',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => 'e',
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => 'g',
        'ĥ' => 'h',
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' => 'i',
        'ĵ' => 'j',
        'ķ' => 'k',
        'ĺ' | 'ļ' | 'ľ' => 'l',
        'ñ' | 'ń' | 'ņ' | 'ň' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ō' | 'ŏ' | 'ő' => 'o',
        'ŕ' | 'ŗ' | 'ř' => 'r',
        'ś' | 'ŝ' | 'ş' | 'š' => 's',
        'ţ' | 'ť' => 't',
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => 'u',
        'ŵ' => 'w',
        'ý' | 'ÿ' | 'ŷ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_text_splits_words_from_cjk_bigrams() {
        let (mut words, mut cjk) = (String::new(), String::new());
        split_for_index("Huawei 华为技术 Ascend，芯", &mut words, &mut cjk);
        assert_eq!(cjk, "华为 为技 技术 芯");
        assert!(words.contains("Huawei") && words.contains("Ascend"));
        assert!(!words.chars().any(is_cjk));
    }
}
