//! Reading Office XML parts: a small tag scanner, the text of a part cut into pieces
//! (one per run, so each run's font can be known), and the fonts a DOCX's styles give.
//!
//! Word keeps the font of a run in `<w:rFonts w:ascii=… w:hAnsi=… w:cs=…/>`, set on the
//! run itself, or inherited from the run's character style, the paragraph's style (or
//! the default paragraph style) and the document defaults (`w:docDefaults`), each slot
//! on its own. That is what says a run was typed in a legacy font (`.VnTime`,
//! `VNI-Times`); `legacy.rs` decides what to do about it.

use std::collections::HashMap;

use vntext::legacy::{Legacy, encoding_from_font};

/// One piece of an XML part, as the scan meets it.
#[derive(Debug, PartialEq, Eq)]
enum Token<'a> {
    /// Character data between tags, still escaped.
    Text(&'a str),
    /// The content of a CDATA section.
    Cdata(&'a str),
    /// `<name attrs>` or `<name attrs/>`, `name` without its namespace prefix.
    Open {
        name: &'a str,
        attrs: &'a str,
        empty: bool,
    },
    /// `</name>`, without the prefix.
    Close(&'a str),
}

/// The tokens of `xml`. Comments, processing instructions and declarations are
/// skipped; a tag left open at the end, and text after the last tag, are dropped.
fn tokens(xml: &str) -> impl Iterator<Item = Token<'_>> {
    let mut rest = xml;
    std::iter::from_fn(move || {
        loop {
            let lt = rest.find('<')?;
            if lt > 0 {
                let text = &rest[..lt];
                rest = &rest[lt..];
                return Some(Token::Text(text));
            }
            if let Some(after) = rest.strip_prefix("<![CDATA[") {
                let end = after.find("]]>").unwrap_or(after.len());
                rest = after.get(end + 3..).unwrap_or("");
                return Some(Token::Cdata(&after[..end]));
            }
            let close = if rest.starts_with("<!--") { "-->" } else { ">" };
            let gt = rest.find(close)?;
            let tag = &rest[1..gt];
            rest = &rest[gt + close.len()..];
            if tag.starts_with(['?', '!']) {
                continue;
            }
            let (closing, tag) = match tag.strip_prefix('/') {
                Some(t) => (true, t),
                None => (false, tag),
            };
            let (tag, empty) = match tag.strip_suffix('/') {
                Some(t) => (t, true),
                None => (tag, false),
            };
            let end = tag.find(char::is_whitespace).unwrap_or(tag.len());
            let qualified = &tag[..end];
            let name = qualified.rsplit(':').next().unwrap_or(qualified);
            return Some(if closing {
                Token::Close(name)
            } else {
                Token::Open {
                    name,
                    attrs: &tag[end..],
                    empty,
                }
            });
        }
    })
}

/// The value of the attribute whose local name is `local` (`val` finds `w:val`).
fn attr<'a>(attrs: &'a str, local: &str) -> Option<&'a str> {
    let mut rest = attrs;
    loop {
        rest = rest.trim_start();
        let eq = rest.find('=')?;
        let name = rest[..eq].trim();
        let after = rest[eq + 1..].trim_start();
        let quote = after.chars().next().filter(|q| matches!(q, '"' | '\''))?;
        let value_end = after[1..].find(quote)? + 1;
        if name.rsplit(':').next() == Some(local) {
            return Some(&after[1..value_end]);
        }
        rest = &after[value_end + 1..];
    }
}

/// The font slots of one `rFonts`: `Some(None)` is a slot set to a Unicode (or theme)
/// font, `Some(Some(e))` one set to a legacy font, `None` one left to inherit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Fonts {
    ascii: Option<Option<Legacy>>,
    h_ansi: Option<Option<Legacy>>,
    cs: Option<Option<Legacy>>,
}

impl Fonts {
    fn parse(attrs: &str) -> Fonts {
        // A theme attribute wins over the name beside it; theme fonts are Unicode ones.
        let slot = |name: &str, theme: &str| match attr(attrs, theme) {
            Some(_) => Some(None),
            None => attr(attrs, name).map(encoding_from_font),
        };
        Fonts {
            ascii: slot("ascii", "asciiTheme"),
            h_ansi: slot("hAnsi", "hAnsiTheme"),
            cs: slot("cs", "cstheme"),
        }
    }

    /// These slots, with those left unset taken from `base`.
    fn over(self, base: Fonts) -> Fonts {
        Fonts {
            ascii: self.ascii.or(base.ascii),
            h_ansi: self.h_ansi.or(base.h_ansi),
            cs: self.cs.or(base.cs),
        }
    }

    /// The legacy encoding of the first slot naming a legacy font: `hAnsi` (the font
    /// Word draws bytes 0x80–0xFF with), then `ascii`, then `cs`.
    fn encoding(self) -> Option<Legacy> {
        [self.h_ansi, self.ascii, self.cs]
            .into_iter()
            .flatten()
            .flatten()
            .next()
    }
}

#[derive(Debug, Default)]
struct Style {
    based_on: Option<String>,
    fonts: Fonts,
}

/// The fonts `word/styles.xml` gives: document defaults and styles by id.
#[derive(Debug, Default)]
pub struct Styles {
    defaults: Fonts,
    by_id: HashMap<String, Style>,
    default_paragraph: Option<String>,
}

/// Styles based on styles: deeper chains than this are cut (and cycles with them).
const MAX_CHAIN: usize = 16;

impl Styles {
    /// Reads `word/styles.xml`; what it cannot read it leaves out.
    pub fn parse(xml: &str) -> Styles {
        let mut styles = Styles::default();
        let mut stack: Vec<&str> = Vec::new();
        let mut current: Option<(String, Style)> = None;
        for token in tokens(xml) {
            match token {
                Token::Open { name, attrs, empty } => {
                    let within = |path: &[&str]| stack.ends_with(path);
                    match name {
                        "style" => {
                            let id = attr(attrs, "styleId").unwrap_or("").to_owned();
                            let default =
                                matches!(attr(attrs, "default"), Some("1" | "true" | "on"));
                            if default && attr(attrs, "type") == Some("paragraph") {
                                styles.default_paragraph = Some(id.clone());
                            }
                            current = Some((id, Style::default()));
                        }
                        "rFonts" if within(&["rPrDefault", "rPr"]) => {
                            styles.defaults = Fonts::parse(attrs);
                        }
                        _ => {}
                    }
                    if let Some((_, style)) = current.as_mut() {
                        match name {
                            "basedOn" if within(&["style"]) => {
                                style.based_on = attr(attrs, "val").map(str::to_owned);
                            }
                            "rFonts" if within(&["style", "rPr"]) => {
                                style.fonts = Fonts::parse(attrs);
                            }
                            _ => {}
                        }
                    }
                    if !empty {
                        stack.push(name);
                    } else if name == "style" {
                        current = None;
                    }
                }
                Token::Close(name) => {
                    if let Some(at) = stack.iter().rposition(|n| *n == name) {
                        stack.truncate(at);
                    }
                    if name == "style"
                        && let Some((id, style)) = current.take()
                    {
                        styles.by_id.insert(id, style);
                    }
                }
                Token::Text(_) | Token::Cdata(_) => {}
            }
        }
        styles
    }

    /// The fonts style `id` sets, its own over those of the styles it is based on.
    fn chain(&self, id: Option<&str>) -> Fonts {
        let mut fonts = Fonts::default();
        let mut next = id;
        for _ in 0..MAX_CHAIN {
            let Some(style) = next.and_then(|id| self.by_id.get(id)) else {
                break;
            };
            fonts = fonts.over(style.fonts);
            next = style.based_on.as_deref();
        }
        fonts
    }

    /// The legacy encoding of a run: its own fonts over its character style's, over
    /// its paragraph's style (or the default one), over the document defaults.
    fn encoding(&self, paragraph: Option<&str>, run: &Run) -> Option<Legacy> {
        let paragraph = paragraph.or(self.default_paragraph.as_deref());
        run.fonts
            .over(self.chain(run.style))
            .over(self.chain(paragraph))
            .over(self.defaults)
            .encoding()
    }
}

/// A stretch of a part's text: the text of one run, or a break between paragraphs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    /// As written in the XML (entities decoded).
    pub text: String,
    /// The legacy encoding the run's font names, if it does.
    pub font: Option<Legacy>,
    /// The encoding the text was converted from, once it is.
    pub converted: Option<Legacy>,
    run: usize,
}

impl Piece {
    /// Text outside any run (a line break between parts).
    pub fn plain(text: &str) -> Piece {
        Piece {
            text: text.to_owned(),
            font: None,
            converted: None,
            run: 0,
        }
    }

    /// A run's text in `font`, as a test writes it.
    #[cfg(test)]
    pub fn in_font(text: &str, font: Option<Legacy>) -> Piece {
        Piece {
            font,
            ..Piece::plain(text)
        }
    }
}

#[derive(Debug, Default)]
struct Run<'a> {
    id: usize,
    fonts: Fonts,
    style: Option<&'a str>,
}

/// The text of an Office XML part in pieces: character data of `t` elements (`w:t` in
/// Word, `t` in shared strings, `a:t` in drawings), a line break after each paragraph
/// (`p`) or shared string (`si`), tabs and breaks inside runs. Deleted text
/// (`w:delText`) and field codes (`w:instrText`) have other names and are left out.
pub fn pieces(xml: &str, styles: &Styles) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::new();
    let mut stack: Vec<&str> = Vec::new();
    let mut paragraphs: Vec<Option<&str>> = Vec::new();
    let mut runs: Vec<Run> = Vec::new();
    let mut count = 0;
    let push = |out: &mut Vec<Piece>, runs: &[Run], paragraph: Option<&str>, text: &str| {
        let run = runs.last();
        let id = run.map_or(0, |r| r.id);
        match out.last_mut() {
            Some(last) if id != 0 && last.run == id => last.text.push_str(text),
            _ => out.push(Piece {
                text: text.to_owned(),
                font: run.and_then(|r| styles.encoding(paragraph, r)),
                converted: None,
                run: id,
            }),
        }
    };
    for token in tokens(xml) {
        let paragraph = paragraphs.last().copied().flatten();
        match token {
            Token::Text(raw) if stack.last() == Some(&"t") => {
                let mut text = String::new();
                super::extract::unescape_into(&mut text, raw);
                push(&mut out, &runs, paragraph, &text);
            }
            Token::Cdata(text) if stack.last() == Some(&"t") => {
                push(&mut out, &runs, paragraph, text);
            }
            Token::Text(_) | Token::Cdata(_) => {}
            Token::Open { name, attrs, empty } => {
                let within = |path: &[&str]| stack.ends_with(path);
                if let Some(run) = runs.last_mut() {
                    match name {
                        "rFonts" if within(&["r", "rPr"]) => run.fonts = Fonts::parse(attrs),
                        "rStyle" if within(&["r", "rPr"]) => run.style = attr(attrs, "val"),
                        _ => {}
                    }
                }
                match name {
                    "pStyle" if within(&["p", "pPr"]) => {
                        if let Some(p) = paragraphs.last_mut() {
                            *p = attr(attrs, "val");
                        }
                    }
                    "tab" if within(&["r"]) => push(&mut out, &runs, paragraph, "\t"),
                    "br" | "cr" if within(&["r"]) => push(&mut out, &runs, paragraph, "\n"),
                    _ => {}
                }
                if !empty {
                    stack.push(name);
                    match name {
                        "p" => paragraphs.push(None),
                        "r" => {
                            count += 1;
                            runs.push(Run {
                                id: count,
                                ..Run::default()
                            });
                        }
                        _ => {}
                    }
                }
            }
            Token::Close(name) => {
                if let Some(at) = stack.iter().rposition(|n| *n == name) {
                    for open in stack.drain(at..) {
                        match open {
                            "p" => drop(paragraphs.pop()),
                            "r" => drop(runs.pop()),
                            _ => {}
                        }
                    }
                }
                if matches!(name, "p" | "si") {
                    push(&mut out, &[], None, "\n");
                }
            }
        }
    }
    out
}

/// The pieces' text, joined.
pub fn join(pieces: &[Piece]) -> String {
    pieces.iter().map(|p| p.text.as_str()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const STYLES: &str = r#"<w:styles xmlns:w="w">
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=".VnTime" w:hAnsi=".VnTime" w:cs="Arial"/></w:rPr></w:rPrDefault>
<w:pPrDefault/></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:basedOn w:val="Normal"/><w:rPr><w:rFonts w:hAnsi=".VnTimeH"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:basedOn w:val="Heading1"/></w:style>
<w:style w:type="character" w:styleId="Uni"><w:rPr><w:rFonts w:asciiTheme="minorHAnsi" w:hAnsiTheme="minorHAnsi"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Loop"><w:basedOn w:val="Loop"/></w:style>
</w:styles>"#;

    fn fonts_of(document: &str) -> Vec<(String, Option<Legacy>)> {
        pieces(document, &Styles::parse(STYLES))
            .into_iter()
            .filter(|p| p.text != "\n")
            .map(|p| (p.text, p.font))
            .collect()
    }

    #[test]
    fn attributes_are_found_by_local_name() {
        let attrs = r#" w:ascii=".VnTime" w:asciiTheme='minorHAnsi' w:hAnsi = "VNI-Times""#;
        assert_eq!(attr(attrs, "ascii"), Some(".VnTime"));
        assert_eq!(attr(attrs, "asciiTheme"), Some("minorHAnsi"));
        assert_eq!(attr(attrs, "hAnsi"), Some("VNI-Times"));
        assert_eq!(attr(attrs, "cs"), None);
        assert_eq!(attr(" w:val=\"unterminated", "val"), None);
    }

    #[test]
    fn a_runs_font_comes_from_the_run_its_styles_or_the_defaults() {
        let document = r#"<w:document><w:body>
<w:p><w:r><w:t>defaults</w:t></w:r><w:r><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman"/></w:rPr><w:t>direct</w:t></w:r></w:p>
<w:p><w:pPr><w:pStyle w:val="Title"/><w:rPr><w:rFonts w:ascii="VNI-Times"/></w:rPr></w:pPr><w:r><w:t>heading</w:t></w:r><w:r><w:rPr><w:rStyle w:val="Uni"/></w:rPr><w:t>theme</w:t></w:r></w:p>
<w:p><w:pPr><w:pStyle w:val="Loop"/></w:pPr><w:r><w:rPr><w:rFonts w:hAnsi="VNI-Helve"/><w:rPrChange><w:rPr><w:rFonts w:hAnsi="Arial"/></w:rPr></w:rPrChange></w:rPr><w:t>vni</w:t><w:tab/><w:t>same run</w:t></w:r></w:p>
</w:body></w:document>"#;
        assert_eq!(
            fonts_of(document),
            [
                ("defaults".to_owned(), Some(Legacy::Tcvn3)),
                ("direct".to_owned(), None),
                ("heading".to_owned(), Some(Legacy::Tcvn3Capitals)),
                ("theme".to_owned(), None),
                ("vni\tsame run".to_owned(), Some(Legacy::Vni)),
            ]
        );
    }

    #[test]
    fn without_styles_nothing_is_legacy_and_text_is_kept_in_order() {
        let xml =
            "<sst><si><t>A&amp;B</t></si><si><r><t><![CDATA[<c>]]></t></r></si></sst>trailing";
        let got = pieces(xml, &Styles::default());
        assert_eq!(join(&got), "A&B\n<c>\n");
        assert!(got.iter().all(|p| p.font.is_none()));
    }

    #[test]
    fn broken_xml_gives_what_it_has() {
        let got = pieces(
            "<w:p><w:r><w:t>còn</w:t></w:p><w:t>x</w:r><w:t",
            &Styles::default(),
        );
        assert_eq!(join(&got), "còn\nx");
        assert_eq!(tokens("<a b='1'").count(), 0);
    }
}
