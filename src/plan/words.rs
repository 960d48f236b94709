//! Where a head may break: word boundaries from a Chinese word segmenter
//! (jieba, its bundled dictionary), seeded per article with the article's
//! own names and titles, so that a sub-editor's rules hold in heads (主题,
//! 引题, 副题), person lines, bylines, 小标题 and captions: a line breaks
//! between words, never inside 书记 or a name, and no mark starts or ends a
//! line against the line-start and line-end rules.
//!
//! The words cross into Typst as data (`Block::words`): each text as a list
//! of segments whose concatenation is the text, a whitespace segment being
//! a phrase boundary (the space is not printed at a break). `heads.typ`
//! chooses the lines from them; `typography` checks the laid-out lines
//! against the same segments.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Mutex, PoisonError};

use jieba_rs::Jieba;
use serde::Serialize;

use crate::clreq::{NO_END, NO_START};
use crate::content::model::{Article, BodyBlock};

/// The segmenter with its dictionary (~0.3 s to load, ~22 MB), loaded on
/// first use; [`release`] drops it.
static JIEBA: Mutex<Option<Jieba>> = Mutex::new(None);

/// Word ends (in characters) jieba gives each chunk of text it was asked
/// about, kept for the process: a head is cut again on every layout round.
static CUTS: Mutex<Option<HashMap<String, Vec<usize>>>> = Mutex::new(None);

/// Jieba's word ends in `chunk` (a run of text without whitespace), in
/// characters from its start.
fn word_ends(chunk: &str) -> Vec<usize> {
    if let Some(ends) =
        CUTS.lock().unwrap_or_else(PoisonError::into_inner).as_ref().and_then(|c| c.get(chunk))
    {
        return ends.clone();
    }
    let ends: Vec<usize> = {
        let mut j = JIEBA.lock().unwrap_or_else(PoisonError::into_inner);
        let jieba = j.get_or_insert_with(Jieba::new);
        let mut at = 0;
        jieba
            .cut(chunk, false)
            .into_iter()
            .map(|t| {
                at += t.word.chars().count();
                at
            })
            .collect()
    };
    CUTS.lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get_or_insert_default()
        .insert(chunk.to_string(), ends.clone());
    ends
}

/// Cuts every head, person line, byline, 小标题 and caption of `articles`
/// now (bylines as `byline` words them), then drops the dictionary: a
/// build segments its heads first and lays out its pages without jieba's
/// ~22 MB in memory. A text not cut here later loads jieba again.
pub fn prepare<'a>(articles: impl IntoIterator<Item = &'a Article>, byline: impl Fn(&Article) -> String) {
    for a in articles {
        let _ = HeadWords::new(a, &byline(a));
        for ph in &a.meta.photos {
            let _ = segments(&caption_text(&ph.caption, &ph.credit), &[]);
        }
    }
    release();
}

/// Drops the segmenter's dictionary (the cuts made so far are kept).
pub fn release() {
    JIEBA.lock().unwrap_or_else(PoisonError::into_inner).take();
}

/// Title words a person line names its person by (the name follows the last
/// one: 党组书记、常务副主席王昌迪).
const TITLES: &[&str] = &[
    "董事长",
    "总经理",
    "负责人",
    "主席",
    "书记",
    "主任",
    "局长",
    "部长",
    "经理",
    "院长",
    "校长",
    "所长",
    "厂长",
    "会长",
    "处长",
    "科长",
    "组长",
    "队长",
    "站长",
    "社长",
    "总监",
    "行长",
    "县长",
    "市长",
    "区长",
    "镇长",
    "乡长",
    "村长",
    "省长",
    "馆长",
    "班长",
    "主管",
    "理事长",
    "秘书长",
    "委员",
    "代表",
    "总工程师",
    "工程师",
    "技师",
    "教授",
    "医生",
    "护士长",
    "干事",
    "专员",
];

/// What a title may be qualified by, read leftwards: 常务副主席, 党组书记.
const TITLE_PREFIXES: &[&str] =
    &["常务", "副", "党组", "党委", "总", "执行", "专职", "兼职", "首席", "名誉", "驻会"];

/// The article's own names and titles, as words: byline names and roles,
/// and from each person line its titles and the name after the last title.
pub fn seeds(a: &Article) -> Vec<String> {
    let mut out = BTreeSet::new();
    for c in &a.meta.byline {
        for s in [&c.role, &c.name] {
            let s = s.trim();
            if s.chars().count() >= 2 {
                out.insert(s.to_string());
            }
        }
    }
    for line in &a.meta.person {
        for piece in line.split(['、', '，', ',', ' ', '　']) {
            let piece = piece.trim_end_matches(['：', ':']);
            // The last title in the piece, with its qualifiers.
            let Some((at, t)) = TITLES
                .iter()
                .filter_map(|t| piece.rfind(t).map(|i| (i, *t)))
                .max_by_key(|(i, t)| (*i + t.len(), t.len()))
            else {
                continue;
            };
            let end = at + t.len();
            let mut start = at;
            'more: loop {
                for p in TITLE_PREFIXES {
                    if piece[..start].ends_with(p) {
                        start -= p.len();
                        continue 'more;
                    }
                }
                break;
            }
            out.insert(piece[start..end].to_string());
            // The name: the Han characters after the title (two to four).
            let name = &piece[end..];
            let n = name.chars().count();
            if (2..=4).contains(&n) && name.chars().all(crate::clreq::is_han) {
                out.insert(name.to_string());
            }
        }
    }
    out.into_iter().collect()
}

/// `text` cut into segments whose concatenation is `text`: a line may break
/// only between two segments. A run of whitespace is a segment of its own
/// (a phrase boundary). No segment boundary falls inside a seed word, before
/// a no-start mark, after a no-end mark, inside a number or a Latin word, or
/// between a number and its unit.
pub fn segments(text: &str, seeds: &[String]) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut cut = BTreeSet::new();
    // Whitespace runs and the chunks between them.
    let mut i = 0;
    while i < chars.len() {
        let space = chars[i].is_whitespace();
        let mut j = i;
        while j < chars.len() && chars[j].is_whitespace() == space {
            j += 1;
        }
        cut.insert(i);
        cut.insert(j);
        if !space {
            let chunk: String = chars[i..j].iter().collect();
            for end in word_ends(&chunk) {
                cut.insert(i + end);
            }
        }
        i = j;
    }
    // Seed words stay whole.
    for s in seeds {
        let s: Vec<char> = s.chars().collect();
        if s.len() < 2 {
            continue;
        }
        for p in 0..chars.len().saturating_sub(s.len() - 1) {
            if chars[p..p + s.len()] == s[..] {
                for k in p + 1..p + s.len() {
                    cut.remove(&k);
                }
            }
        }
    }
    // A short quoted term (“零距离”, 《劳动法》) is one word: the desk
    // never parts a quotation's few characters.
    for (open, close) in [('“', '”'), ('‘', '’'), ('《', '》'), ('「', '」')] {
        let mut k = 0;
        while let Some(i) = (k..chars.len()).find(|&i| chars[i] == open) {
            let Some(j) = (i + 1..chars.len()).find(|&j| chars[j] == close || chars[j] == open) else {
                break;
            };
            if chars[j] == close
                && chars[i + 1..j].iter().filter(|c| crate::clreq::is_han(**c)).count() <= QUOTED_WORD
            {
                for b in i + 1..=j {
                    cut.remove(&b);
                }
            }
            k = j;
        }
    }
    // Breaks the rules forbid between two printing characters.
    for k in 1..chars.len() {
        let (a, b) = (chars[k - 1], chars[k]);
        if a.is_whitespace() || b.is_whitespace() {
            continue;
        }
        if NO_START.contains(b)
            || NO_END.contains(a)
            || a == '·'
            || a == '■'
            || (a.is_ascii_alphanumeric() && (b.is_ascii_alphanumeric() || ".%".contains(b)))
            || (a.is_ascii_digit() && crate::clreq::is_unit(b))
            || (a == b && "—…×".contains(a))
        {
            cut.remove(&k);
        }
    }
    cut.insert(chars.len());
    join_single_characters(&chars, &mut cut);
    let mut out = Vec::new();
    let mut from = 0;
    for &k in cut.iter().filter(|&&k| k > 0) {
        out.push(chars[from..k].iter().collect());
        from = k;
    }
    out
}

/// Han characters a quoted term may hold and still be kept whole.
const QUOTED_WORD: usize = 6;

/// Particles that belong to the word before them (a line never starts with 的).
const PARTICLES: &str = "的了着过地得之们";

/// A segment of one Han character is no word a sub-editor would set alone
/// at a line's start or end: jieba leaves them where its dictionary has no
/// word (做/优做/强 for the four-character 做优做强, 阮/善良 for a name).
/// A particle joins the word before it, any other the word after it (the
/// word before, at the end of a phrase).
fn join_single_characters(chars: &[char], cut: &mut BTreeSet<usize>) {
    let space = |k: usize| chars.get(k).is_some_and(|c| c.is_whitespace());
    // One Han character, with or without marks: 迪：, “国.
    let single = |from: usize, to: usize| {
        let han = chars[from..to].iter().filter(|c| crate::clreq::is_han(**c)).count();
        han == 1
            && chars[from..to]
                .iter()
                .all(|c| crate::clreq::is_han(*c) || !c.is_alphanumeric() && !c.is_whitespace())
    };
    let segments = |cut: &BTreeSet<usize>| -> Vec<(usize, usize)> {
        let v: Vec<usize> = cut.iter().copied().collect();
        v.windows(2).map(|w| (w[0], w[1])).collect()
    };
    // A run of single characters is one word the dictionary does not know:
    // 做/优/做/强, 王/昌/迪.
    let joins: Vec<usize> = segments(cut)
        .windows(2)
        .filter(|w| single(w[0].0, w[0].1) && single(w[1].0, w[1].1))
        .map(|w| w[0].1)
        .collect();
    for k in joins {
        cut.remove(&k);
    }
    // A single character left: a particle goes with the word before, any
    // other with the word after (before, at a phrase's end).
    for (from, to) in segments(cut) {
        if space(from) || !single(from, to) {
            continue;
        }
        let at_start = from == 0 || space(from - 1);
        let at_end = to == chars.len() || space(to);
        let c = chars[from..to].iter().find(|c| crate::clreq::is_han(**c)).copied().unwrap_or(' ');
        if PARTICLES.contains(c) && !at_start {
            cut.remove(&from);
        } else if !at_end {
            cut.remove(&to);
        } else if !at_start {
            cut.remove(&from);
        }
    }
}

/// Offsets, in printed characters (whitespace not counted), where a line of
/// `text` may break.
pub fn breaks(text: &str, seeds: &[String]) -> BTreeSet<usize> {
    let mut at = 0;
    let mut out = BTreeSet::new();
    for s in segments(text, seeds) {
        at += s.chars().filter(|c| !c.is_whitespace()).count();
        out.insert(at);
    }
    out
}

/// The words of every head text of an article, for the layouts.
#[derive(Debug, Clone, Default, Serialize)]
pub struct HeadWords {
    pub kicker: Option<Vec<String>>,
    pub headline: Option<Vec<String>>,
    pub subhead: Option<Vec<String>>,
    pub person: Vec<Vec<String>>,
    pub byline: Vec<String>,
    /// 小标题 by their text: their number among the article's subheads (the
    /// marker names it) and their words.
    pub subheads: BTreeMap<String, SubheadWords>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SubheadWords {
    pub n: usize,
    pub words: Vec<String>,
}

impl HeadWords {
    pub fn new(a: &Article, byline: &str) -> Self {
        let seeds = seeds(a);
        let cut = |s: &str| segments(s, &seeds);
        let mut subheads = BTreeMap::new();
        for (n, text) in subhead_texts(a).enumerate() {
            subheads.entry(text.to_string()).or_insert(SubheadWords { n, words: cut(text) });
        }
        Self {
            kicker: a.meta.kicker.as_deref().map(cut),
            headline: a.meta.headline.as_deref().map(cut),
            subhead: a.meta.subhead.as_deref().map(cut),
            person: a.meta.person.iter().map(|p| cut(p)).collect(),
            byline: cut(byline),
            subheads,
        }
    }
}

/// The article's 小标题, in order.
pub fn subhead_texts(a: &Article) -> impl Iterator<Item = &str> {
    a.body.iter().filter_map(|b| match b {
        BodyBlock::Subhead { text, .. } => Some(text.as_str()),
        _ => None,
    })
}

/// A photo's caption line as printed: caption and credit an ideographic
/// space apart.
pub fn caption_text(caption: &str, credit: &str) -> String {
    [caption, credit].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join("　")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut(s: &str, seeds: &[&str]) -> Vec<String> {
        segments(s, &seeds.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn a_text_cut_before_the_dictionary_is_dropped_cuts_the_same_without_it() {
        let text = "完善工匠队伍建设 开展职工权益保障";
        let before = cut(text, &[]);
        release();
        assert_eq!(cut(text, &[]), before);
        let cached = CUTS.lock().unwrap_or_else(PoisonError::into_inner);
        assert!(cached.as_ref().is_some_and(|c| c.contains_key("完善工匠队伍建设")));
        assert!(before.len() > 3, "{before:?}");
    }

    #[test]
    fn segments_rebuild_the_text() {
        for s in [
            "稳步推进工会改革 做优做强工作品牌",
            "新春，来自“娘家人”的“心语心愿”（一）",
            "■记者洪茵婷 通讯员李虹",
            "2018年 50%的职工",
            "",
        ] {
            assert_eq!(cut(s, &[]).concat(), s);
        }
    }

    #[test]
    fn words_stay_whole() {
        let w = cut("淳安县总工会党组书记、常务副主席王昌迪：", &[]);
        assert!(w.contains(&"书记、".to_string()) || w.iter().any(|s| s.contains("书记")), "{w:?}");
        assert!(!breaks("淳安县总工会党组书记、常务副主席王昌迪：", &[]).contains(&9), "书/记");
        // The phrase 心语心愿 keeps its marks and never parts 心/愿.
        let b = breaks("新春，来自“娘家人”的“心语心愿”（一）", &[]);
        let at = |s: &str| {
            "新春，来自“娘家人”的“心语心愿”（一）"
                .find(s)
                .map(|i| "新春，来自“娘家人”的“心语心愿”（一）"[..i].chars().count())
                .unwrap()
        };
        assert!(!b.contains(&(at("愿"))), "{b:?}");
        // No line starts with ， or ” and none ends with “.
        assert!(!b.contains(&at("，")) && !b.contains(&at("”的")) && !b.contains(&(at("“心") + 1)), "{b:?}");
    }

    #[test]
    fn seeded_names_are_one_word() {
        // Unseeded, jieba may part a rare name; seeded, never.
        let seeds: Vec<String> = vec!["秦师余".into()];
        let b = breaks("■记者胡翀 通讯员秦师余", &seeds);
        let start = "■记者胡翀通讯员".chars().count();
        assert!(!b.contains(&(start + 1)) && !b.contains(&(start + 2)), "{b:?}");
    }

    #[test]
    fn seeds_come_from_person_and_byline() {
        let text = "+++\nkind = \"interview\"\nperson = [\"淳安县总工会党组书记、常务副主席王昌迪：\"]\nheadline = \"标题\"\nbyline = [{ role = \"记者\", name = \"洪茵婷\" }, { role = \"通讯员\", name = \"李虹\" }]\n+++\n\n正文。\n";
        let dir = tempfile_dir();
        let path = dir.join("a.md");
        std::fs::write(&path, text).unwrap();
        let a = crate::content::load::article(&path, &dir, None).unwrap();
        let s = seeds(&a);
        for w in ["党组书记", "常务副主席", "王昌迪", "洪茵婷", "李虹", "记者", "通讯员"]
        {
            assert!(s.iter().any(|x| x == w), "{w} not in {s:?}");
        }
    }

    fn tempfile_dir() -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("paiban-words-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn numbers_keep_their_units_and_dashes_stay_whole() {
        let b = breaks("建设2018个职工之家——服务", &[]);
        // 2 0 1 8 个: no break inside the number or before 个.
        for k in 1..=4 {
            assert!(!b.contains(&(2 + k)), "{b:?}");
        }
        let dash = "建设2018个职工之家—".chars().count();
        assert!(!b.contains(&dash), "{b:?}");
    }
}
