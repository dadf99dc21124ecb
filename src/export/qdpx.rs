//! The REFI-QDA project (`--format qdpx`): a ZIP of `project.qde` and one
//! plain-text source per interview, for NVivo, ATLAS.ti, MAXQDA and
//! QualCoder.
//!
//! A source is the transcript as `mm:ss Speaker: text` lines in the text
//! chosen with `--text`. A highlight becomes a `PlainTextSelection` whose
//! `startPosition` and `endPosition` count Unicode characters (scalar
//! values) from the start of the source: the start is the first character
//! of the quote, the end is one past its last (docs/coding.md). Control
//! characters are written as spaces, one for one, so positions hold.

use std::collections::HashMap;
use std::io::Write as _;
use std::path::Path;

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use zip::write::SimpleFileOptions;

use super::{Item, files};
use crate::api::model::{InterviewDetail, StudyDetail};
use crate::present::{TextMode, role_label};
use crate::store::{Code, CodeTree, Highlight, Quoted};
use crate::text::clock;

/// What the project needs beyond the interviews: the codebook, every
/// highlight by interview, and who made them.
pub struct Coding {
    pub codes: CodeTree,
    pub highlights: HashMap<String, Vec<Highlight>>,
    pub user_guid: String,
    pub user_name: String,
    /// Highlights whose interview left the API (no source to hold them).
    pub gone: usize,
}

/// The source text of an interview, and where each message's quoted text
/// starts in it (in characters), by message and text.
struct Source {
    text: String,
    starts: HashMap<(usize, Quoted), usize>,
}

/// One character as written: controls (but line ends and tabs) become
/// spaces, so the text is valid in any reader and positions do not move.
fn plain(c: char) -> char {
    if c.is_control() && c != '\n' && c != '\t' {
        ' '
    } else {
        c
    }
}

/// Text fit for XML 1.0 (which cannot hold most control characters).
fn xml_text(s: &str) -> String {
    s.chars().map(plain).collect()
}

fn source_of(d: &InterviewDetail, mode: TextMode) -> Source {
    let mut text = String::new();
    let mut chars = 0usize;
    let mut starts = HashMap::new();
    let push = |text: &mut String, chars: &mut usize, s: &str| {
        for c in s.chars() {
            text.push(plain(c));
        }
        *chars += s.chars().count();
    };
    for (k, m) in d.transcript.iter().enumerate() {
        let original = m.message.as_deref().unwrap_or("");
        let english = m.translated.as_deref().filter(|t| !t.is_empty());
        let at = m
            .time_in_call_secs
            .map(clock)
            .unwrap_or_else(|| "--:--".into());
        let speaker = role_label(m.role.as_ref()).into_owned();
        let mut line = |label: &str, body: &str, kind: Quoted| {
            push(&mut text, &mut chars, &format!("{at} {label}: "));
            starts.insert((k, kind), chars);
            push(&mut text, &mut chars, body);
            push(&mut text, &mut chars, "\n");
        };
        match (mode, english) {
            (TextMode::English, Some(e)) => line(&speaker, e, Quoted::English),
            (TextMode::Both, Some(e)) if e != original => {
                line(&speaker, original, Quoted::Original);
                line(&format!("{speaker} (English)"), e, Quoted::English);
            }
            (_, english) => {
                line(&speaker, original, Quoted::Original);
                // The same words: an English highlight finds them here.
                if (english.is_none() || english == Some(original))
                    && let Some(at) = starts.get(&(k, Quoted::Original)).copied()
                {
                    starts.insert((k, Quoted::English), at);
                }
            }
        }
    }
    Source { text, starts }
}

/// A GUID for an id the API gave: itself when it is one, else one derived
/// from it (the same every export).
fn guid_of(id: &str) -> String {
    let is_guid = id.len() == 36
        && id.char_indices().all(|(i, c)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                c == '-'
            } else {
                c.is_ascii_hexdigit()
            }
        });
    if is_guid {
        return id.to_ascii_lowercase();
    }
    // FNV-1a twice, from different offsets, for 128 bits.
    let hex = format!(
        "{:016x}{:016x}",
        crate::store::fnv1a(id),
        crate::store::fnv1a_from(0x6c62_272e_07bb_0142, id)
    );
    format!(
        "{}-{}-5{}-8{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[13..16],
        &hex[17..20],
        &hex[20..32]
    )
}

/// A GUID for a thing of `kind` that has no id of its own (a case, a
/// variable, a coding), the same every export.
fn derived(kind: &str, of: &str) -> String {
    guid_of(&format!("uj:{kind}:{of}"))
}

const VARIABLES: [(&str, &str); 6] = [
    ("quality", "Text"),
    ("language", "Text"),
    ("status", "Text"),
    ("reviewed", "Boolean"),
    ("starred", "Boolean"),
    ("tags", "Text"),
];

/// Builds the project as it goes: the sources are written into the ZIP
/// one by one, the XML is kept until the end.
pub struct Sink {
    zip: Option<zip::ZipWriter<std::fs::File>>,
    mode: TextMode,
    study: StudyDetail,
    coding: Coding,
    sources: Vec<u8>,
    cases: Vec<u8>,
    /// Highlights that could not be placed: their text is not in the
    /// export (English under `--text original`).
    pub unplaced: usize,
    /// Where the summary of unplaced highlights goes (standard error).
    warn: Box<dyn Fn(&str) + Send>,
}

fn options() -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .unix_permissions(0o600)
}

fn zip_error(e: zip::result::ZipError) -> std::io::Error {
    std::io::Error::other(e.to_string())
}

type Xml = quick_xml::Writer<Vec<u8>>;

fn start<'a>(name: &'a str, attrs: &[(&str, &str)]) -> Event<'a> {
    let mut e = BytesStart::new(name);
    for (k, v) in attrs {
        e.push_attribute((*k, xml_text(v).as_str()));
    }
    Event::Start(e)
}

fn empty<'a>(name: &'a str, attrs: &[(&str, &str)]) -> Event<'a> {
    let mut e = BytesStart::new(name);
    for (k, v) in attrs {
        e.push_attribute((*k, xml_text(v).as_str()));
    }
    Event::Empty(e)
}

fn end(name: &str) -> Event<'_> {
    Event::End(BytesEnd::new(name))
}

fn text_element(w: &mut Xml, name: &str, text: &str) -> std::io::Result<()> {
    w.write_event(start(name, &[]))?;
    w.write_event(Event::Text(BytesText::new(&xml_text(text))))?;
    w.write_event(end(name))
}

impl Sink {
    pub fn new(
        path: &Path,
        study: &StudyDetail,
        mode: TextMode,
        coding: Coding,
        warn: Box<dyn Fn(&str) + Send>,
    ) -> std::io::Result<Sink> {
        let file = files::create(path)?;
        Ok(Sink {
            zip: Some(zip::ZipWriter::new(file)),
            mode,
            study: study.clone(),
            coding,
            sources: Vec::new(),
            cases: Vec::new(),
            unplaced: 0,
            warn,
        })
    }

    fn source_xml(&mut self, item: &Item, guid: &str, source: &Source) -> std::io::Result<()> {
        let i = &item.detail.interview;
        let mut w = quick_xml::Writer::new(std::mem::take(&mut self.sources));
        let name = i.reference_id.clone().unwrap_or_else(|| i.id.clone());
        let path = format!("internal://{guid}.txt");
        w.write_event(start(
            "TextSource",
            &[("guid", guid), ("name", &name), ("plainTextPath", &path)],
        ))?;
        let mut unplaced = 0;
        for h in self.coding.highlights.get(&i.id).into_iter().flatten() {
            let (s, e) = match (h.message, h.question) {
                (Some(m), _) => match source.starts.get(&(m, h.quoted)) {
                    Some(at) => ((at + h.start).to_string(), (at + h.end).to_string()),
                    None => {
                        unplaced += 1;
                        continue;
                    }
                },
                // A code of the whole interview selects its whole text.
                (None, None) => ("0".to_string(), source.text.chars().count().to_string()),
                (None, Some(_)) => {
                    unplaced += 1;
                    continue;
                }
            };
            let hg = guid_of(&h.uid);
            let created = h.created_at.clone();
            w.write_event(start(
                "PlainTextSelection",
                &[
                    ("guid", &hg),
                    ("name", &h.quote.chars().take(60).collect::<String>()),
                    ("startPosition", &s),
                    ("endPosition", &e),
                    ("creatingUser", &self.coding.user_guid),
                    ("creationDateTime", &created),
                ],
            ))?;
            if !h.comment.is_empty() {
                text_element(&mut w, "Description", &h.comment)?;
            }
            for code in &h.codes {
                let Some(c) = self.coding.codes.codes.get(code) else {
                    continue;
                };
                w.write_event(start(
                    "Coding",
                    &[
                        ("guid", &derived("coding", &format!("{}:{}", h.uid, c.uid))),
                        ("creatingUser", &self.coding.user_guid),
                    ],
                ))?;
                w.write_event(empty("CodeRef", &[("targetGUID", &guid_of(&c.uid))]))?;
                w.write_event(end("Coding"))?;
            }
            w.write_event(end("PlainTextSelection"))?;
        }
        w.write_event(end("TextSource"))?;
        self.sources = w.into_inner();
        self.unplaced += unplaced;
        Ok(())
    }

    fn case_xml(&mut self, item: &Item, source_guid: &str) -> std::io::Result<()> {
        let i = &item.detail.interview;
        let marks = item.marks.clone().unwrap_or_default();
        let mut w = quick_xml::Writer::new(std::mem::take(&mut self.cases));
        let name = i.reference_id.clone().unwrap_or_else(|| i.id.clone());
        w.write_event(start(
            "Case",
            &[("guid", &derived("case", &i.id)), ("name", &name)],
        ))?;
        let values = [
            i.quality_score.as_ref().map(|q| q.as_str().to_string()),
            i.language.clone(),
            i.status.as_ref().map(|s| s.as_str().to_string()),
            Some(marks.reviewed.to_string()),
            Some(marks.starred.to_string()),
            Some(marks.tags.join("; ")),
        ];
        for ((var, kind), value) in VARIABLES.iter().zip(values) {
            let Some(value) = value else { continue };
            w.write_event(start("VariableValue", &[]))?;
            w.write_event(empty(
                "VariableRef",
                &[("targetGUID", &derived("variable", var))],
            ))?;
            let element = if *kind == "Boolean" {
                "BooleanValue"
            } else {
                "TextValue"
            };
            text_element(&mut w, element, &value)?;
            w.write_event(end("VariableValue"))?;
        }
        w.write_event(empty("SourceRef", &[("targetGUID", source_guid)]))?;
        w.write_event(end("Case"))?;
        self.cases = w.into_inner();
        Ok(())
    }

    /// A code and the codes beneath it; `seen` keeps a cycle written by
    /// hand into the store from recursing for ever.
    fn code_xml(&self, w: &mut Xml, code: &Code, seen: &mut Vec<i64>) -> std::io::Result<()> {
        if seen.contains(&code.id) {
            return Ok(());
        }
        seen.push(code.id);
        let guid = guid_of(&code.uid);
        let color = crate::palette::code_color(code.id);
        w.write_event(start(
            "Code",
            &[
                ("guid", &guid),
                ("name", &code.name),
                ("isCodable", "true"),
                ("color", color),
            ],
        ))?;
        if !code.description.is_empty() {
            text_element(w, "Description", &code.description)?;
        }
        for child in self.coding.codes.children_of(Some(code.id)) {
            self.code_xml(w, child, seen)?;
        }
        w.write_event(end("Code"))
    }

    fn project_xml(&self) -> std::io::Result<Vec<u8>> {
        let mut w = quick_xml::Writer::new_with_indent(Vec::new(), b' ', 1);
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
        let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let name = self
            .study
            .name
            .clone()
            .unwrap_or_else(|| self.study.id.clone());
        w.write_event(start(
            "Project",
            &[
                ("xmlns", "urn:QDA-XML:project:1.0"),
                ("name", &name),
                ("origin", concat!("uj ", env!("CARGO_PKG_VERSION"))),
                ("creatingUserGUID", &self.coding.user_guid),
                ("creationDateTime", &now),
            ],
        ))?;
        w.write_event(start("Users", &[]))?;
        w.write_event(empty(
            "User",
            &[
                ("guid", &self.coding.user_guid),
                ("name", &self.coding.user_name),
            ],
        ))?;
        w.write_event(end("Users"))?;
        let tops: Vec<&Code> = self.coding.codes.children_of(None).collect();
        if !tops.is_empty() {
            w.write_event(start("CodeBook", &[]))?;
            w.write_event(start("Codes", &[]))?;
            let mut seen = Vec::new();
            for code in tops {
                self.code_xml(&mut w, code, &mut seen)?;
            }
            w.write_event(end("Codes"))?;
            w.write_event(end("CodeBook"))?;
        }
        w.write_event(start("Variables", &[]))?;
        for (var, kind) in VARIABLES {
            w.write_event(empty(
                "Variable",
                &[
                    ("guid", &derived("variable", var)),
                    ("name", var),
                    ("typeOfVariable", kind),
                ],
            ))?;
        }
        w.write_event(end("Variables"))?;
        let mut out = w.into_inner();
        if !self.cases.is_empty() {
            out.extend_from_slice(b"\n<Cases>");
            out.extend_from_slice(&self.cases);
            out.extend_from_slice(b"</Cases>");
        }
        if !self.sources.is_empty() {
            out.extend_from_slice(b"\n<Sources>");
            out.extend_from_slice(&self.sources);
            out.extend_from_slice(b"</Sources>");
        }
        if let Some(goal) = &self.study.research_goal {
            let mut w = quick_xml::Writer::new(Vec::new());
            text_element(&mut w, "Description", goal)?;
            out.push(b'\n');
            out.extend_from_slice(&w.into_inner());
        }
        out.extend_from_slice(b"\n</Project>\n");
        Ok(out)
    }
}

impl super::Sink for Sink {
    fn item(&mut self, item: &Item) -> std::io::Result<()> {
        let guid = guid_of(&item.detail.interview.id);
        let source = source_of(&item.detail, self.mode);
        if let Some(zip) = &mut self.zip {
            zip.start_file(format!("sources/{guid}.txt"), options())
                .map_err(zip_error)?;
            zip.write_all(source.text.as_bytes())?;
        }
        self.source_xml(item, &guid, &source)?;
        self.case_xml(item, &guid)
    }

    fn finish(mut self: Box<Self>) -> std::io::Result<()> {
        let project = self.project_xml()?;
        let Some(mut zip) = self.zip.take() else {
            return Ok(());
        };
        zip.start_file("project.qde", options())
            .map_err(zip_error)?;
        zip.write_all(&project)?;
        let file = zip.finish().map_err(zip_error)?;
        file.sync_all()?;
        if self.coding.gone > 0 {
            (self.warn)(&format!(
                "{} belong to interviews no longer in the API and have no source here: `uj highlights --format json` still lists them",
                crate::text::count(self.coding.gone as u64, "highlight", "highlights")
            ));
        }
        if self.unplaced > 0 {
            (self.warn)(&format!(
                "{} quote a text this export does not carry (the English under --text original, or a message no longer in the transcript): export with --text both to carry them",
                crate::text::count(self.unplaced as u64, "highlight", "highlights")
            ));
        }
        Ok(())
    }
}
