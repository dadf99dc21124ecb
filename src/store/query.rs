//! The query language of `/`, `uj search` and `uj interviews --query`
//! (docs/search.md): words and `"phrases"` as before, field terms
//! (`quality:insightful`, `lang:ja`, `tag:x`, `code:x`, `is:reviewed`,
//! `answered:2`, `duration:>5m`, `date:2026-11-01..2026-11-15`, `ref:P`),
//! `-term` to negate, `OR` between two terms, parentheses to group.
//!
//! No input is an error: a field this language does not know, or a value
//! it cannot read, stays literal text (`pricing:page` is the phrase
//! "pricing page"), and input that does not parse (a parenthesis left
//! open) is read as literal words.

use rusqlite::types::Value;

use super::search::fts_query;

/// A field term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    /// `None`: not scored yet (`quality:none`).
    Quality(Option<String>),
    Status(String),
    Lang(String),
    Tag(String),
    Code(String),
    Is(Flag),
    /// The question's number, from 1.
    Answered(usize),
    /// Seconds, compared.
    Duration(Cmp, u64),
    /// Days (`YYYY-MM-DD`), both ends included.
    Date(String, String),
    Ref(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    Reviewed,
    Unreviewed,
    Starred,
    Coded,
    Noted,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    Less,
    AtMost,
    More,
    AtLeast,
    Equal,
}

/// A query as a tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Not(Box<Expr>),
    /// A word, or a phrase (quoted).
    Text {
        text: String,
        phrase: bool,
    },
    Field(Field),
}

/// A query read: the plain words and phrases that must all match (they
/// drive the search's hits and snippets, as before), the rest as a
/// filter, and how the top bar shows it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    pub text: String,
    pub filter: Option<Expr>,
    pub shown: String,
}

impl Query {
    pub fn is_empty(&self) -> bool {
        self.text.trim().is_empty() && self.filter.is_none()
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    Phrase(String),
    Open,
    Close,
    Or,
    /// `-` before a term or a group.
    Minus,
}

fn tokenize(input: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut chars = input.chars().peekable();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut Vec<Token>| {
        if !word.is_empty() {
            let w = std::mem::take(word);
            out.push(if w == "OR" { Token::Or } else { Token::Word(w) });
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                // A field's value may be quoted: `tag:"call back"`.
                let mut phrase = String::new();
                for p in chars.by_ref() {
                    if p == '"' {
                        break;
                    }
                    phrase.push(p);
                }
                if word.ends_with(':') {
                    word.push('"');
                    word.push_str(&phrase);
                    word.push('"');
                    flush(&mut word, &mut out);
                } else {
                    flush(&mut word, &mut out);
                    out.push(Token::Phrase(phrase));
                }
            }
            '(' if word.is_empty() => out.push(Token::Open),
            ')' => {
                flush(&mut word, &mut out);
                out.push(Token::Close);
            }
            '-' if word.is_empty()
                && chars
                    .peek()
                    .is_some_and(|n| !n.is_whitespace() && *n != '-') =>
            {
                out.push(Token::Minus)
            }
            c if c.is_whitespace() || c.is_control() => flush(&mut word, &mut out),
            c => word.push(c),
        }
    }
    flush(&mut word, &mut out);
    out
}

/// Reads `5m`, `90s`, `1h`, `2m30s`, or plain seconds.
fn seconds(text: &str) -> Option<u64> {
    if let Ok(n) = text.parse::<u64>() {
        return Some(n);
    }
    let mut total = 0u64;
    let mut number = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let n: u64 = number.parse().ok()?;
        number.clear();
        total += n * match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            _ => return None,
        };
    }
    number.is_empty().then_some(total)
}

fn day(text: &str) -> Option<String> {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .map(|d| d.format("%Y-%m-%d").to_string())
}

/// A `field:value` word read as a field term, if it is one.
fn field(word: &str) -> Option<Field> {
    let (name, value) = word.split_once(':')?;
    let value = value.trim_matches('"');
    if value.is_empty() {
        return None;
    }
    let lower = value.to_lowercase();
    Some(match name.to_lowercase().as_str() {
        "quality" => match lower.as_str() {
            "insightful" | "successful" | "unsuccessful" => Field::Quality(Some(lower)),
            "none" => Field::Quality(None),
            _ => return None,
        },
        "status" => match lower.as_str() {
            "completed" | "started" | "processing" => Field::Status(lower),
            _ => return None,
        },
        "lang" | "language" => {
            if !value.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                return None;
            }
            Field::Lang(lower)
        }
        "tag" => Field::Tag(value.to_string()),
        "code" => Field::Code(value.to_string()),
        "is" => Field::Is(match lower.as_str() {
            "reviewed" => Flag::Reviewed,
            "unreviewed" => Flag::Unreviewed,
            "starred" => Flag::Starred,
            "coded" => Flag::Coded,
            "noted" => Flag::Noted,
            _ => return None,
        }),
        "answered" => Field::Answered(value.parse().ok().filter(|n| *n > 0)?),
        "duration" => {
            let (cmp, rest) = if let Some(r) = value.strip_prefix(">=") {
                (Cmp::AtLeast, r)
            } else if let Some(r) = value.strip_prefix("<=") {
                (Cmp::AtMost, r)
            } else if let Some(r) = value.strip_prefix('>') {
                (Cmp::More, r)
            } else if let Some(r) = value.strip_prefix('<') {
                (Cmp::Less, r)
            } else {
                (Cmp::Equal, value)
            };
            Field::Duration(cmp, seconds(rest)?)
        }
        "date" => match value.split_once("..") {
            Some((from, to)) => {
                let from = if from.is_empty() {
                    "0000-01-01".into()
                } else {
                    day(from)?
                };
                let to = if to.is_empty() {
                    "9999-12-31".into()
                } else {
                    day(to)?
                };
                Field::Date(from, to)
            }
            None => {
                let d = day(value)?;
                Field::Date(d.clone(), d)
            }
        },
        "ref" => Field::Ref(value.to_string()),
        _ => return None,
    })
}

/// A word that is not a field: its letters, as literal text
/// (`pricing:page` is the phrase "pricing page").
fn literal(word: &str) -> Expr {
    let text: String = word
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let phrase = text.contains(' ');
    Expr::Text { text, phrase }
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    /// A sequence of terms (ANDed), up to a `)` or the end.
    fn and(&mut self) -> Result<Expr, ()> {
        let mut terms = Vec::new();
        while let Some(t) = self.peek() {
            if *t == Token::Close {
                break;
            }
            terms.push(self.or()?);
        }
        Ok(Expr::And(terms))
    }

    /// A term, with `OR` and the terms after it.
    fn or(&mut self) -> Result<Expr, ()> {
        let mut alts = vec![self.unary()?];
        while self.peek() == Some(&Token::Or) {
            self.at += 1;
            if matches!(self.peek(), None | Some(Token::Close) | Some(Token::Or)) {
                // `a OR` with nothing after: the OR is a word, read next.
                self.at -= 1;
                break;
            }
            alts.push(self.unary()?);
        }
        Ok(if alts.len() == 1 {
            alts.remove(0)
        } else {
            Expr::Or(alts)
        })
    }

    fn unary(&mut self) -> Result<Expr, ()> {
        let Some(t) = self.peek().cloned() else {
            return Err(());
        };
        self.at += 1;
        Ok(match t {
            Token::Minus => Expr::Not(Box::new(self.unary()?)),
            Token::Open => {
                self.depth += 1;
                if self.depth > 32 {
                    return Err(());
                }
                let inner = self.and()?;
                if self.peek() != Some(&Token::Close) {
                    return Err(());
                }
                self.at += 1;
                self.depth -= 1;
                inner
            }
            Token::Close => return Err(()),
            Token::Or => Expr::Text {
                text: "OR".into(),
                phrase: false,
            },
            Token::Phrase(p) => Expr::Text {
                text: p,
                phrase: true,
            },
            Token::Word(w) => match field(&w) {
                Some(f) => Expr::Field(f),
                None if w.contains(':') => literal(&w),
                None => Expr::Text {
                    text: w,
                    phrase: false,
                },
            },
        })
    }
}

/// Reads a query. Never fails: what does not parse is literal words.
pub fn parse(input: &str) -> Query {
    let input: String = input.chars().take(1000).collect();
    let mut parser = Parser {
        tokens: tokenize(&input),
        at: 0,
        depth: 0,
    };
    let tree = match parser.and() {
        Ok(t) if parser.at == parser.tokens.len() => t,
        _ => {
            // Unbalanced or stray: the words as they are.
            let words: String = input
                .chars()
                .map(|c| if matches!(c, '(' | ')') { ' ' } else { c })
                .collect();
            return Query {
                text: words.clone(),
                filter: None,
                shown: shown_text(&words),
            };
        }
    };
    split(tree)
}

fn shown_text(text: &str) -> String {
    crate::text::sanitize_line(text.trim()).into_owned()
}

/// The top level's plain words go to the text search; the rest filters.
fn split(tree: Expr) -> Query {
    let Expr::And(terms) = tree else {
        return split(Expr::And(vec![tree]));
    };
    let mut words = Vec::new();
    let mut rest = Vec::new();
    let mut shown = Vec::new();
    for t in terms {
        shown.push(show(&t));
        match t {
            Expr::Text { text, phrase } if !text.trim().is_empty() => {
                words.push(if phrase { format!("\"{text}\"") } else { text });
            }
            Expr::Text { .. } => {}
            other => rest.push(other),
        }
    }
    Query {
        text: words.join(" "),
        filter: (!rest.is_empty()).then_some(Expr::And(rest)),
        shown: shown
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · "),
    }
}

/// How the top bar shows a term.
pub fn show(e: &Expr) -> String {
    let clean = |s: &str| crate::text::sanitize_line(s).into_owned();
    match e {
        Expr::And(ts) => {
            let inner: Vec<String> = ts.iter().map(show).collect();
            format!("({})", inner.join(" "))
        }
        Expr::Or(ts) => {
            let inner: Vec<String> = ts.iter().map(show).collect();
            format!("({})", inner.join(" OR "))
        }
        Expr::Not(t) => format!("-{}", show(t)),
        Expr::Text { text, phrase: true } => format!("\"{}\"", clean(text)),
        Expr::Text { text, .. } => clean(text),
        Expr::Field(f) => match f {
            Field::Quality(Some(q)) => format!("quality:{q}"),
            Field::Quality(None) => "quality:none".into(),
            Field::Status(s) => format!("status:{s}"),
            Field::Lang(l) => format!("lang:{}", clean(l)),
            Field::Tag(t) => format!("tag:{}", clean(t)),
            Field::Code(c) => format!("code:{}", clean(c)),
            Field::Is(f) => format!(
                "is:{}",
                match f {
                    Flag::Reviewed => "reviewed",
                    Flag::Unreviewed => "unreviewed",
                    Flag::Starred => "starred",
                    Flag::Coded => "coded",
                    Flag::Noted => "noted",
                }
            ),
            Field::Answered(n) => format!("answered:{n}"),
            Field::Duration(cmp, s) => format!(
                "duration:{}{}",
                match cmp {
                    Cmp::Less => "<",
                    Cmp::AtMost => "<=",
                    Cmp::More => ">",
                    Cmp::AtLeast => ">=",
                    Cmp::Equal => "",
                },
                crate::text::duration(*s as f64)
            ),
            Field::Date(a, b) if a == b => format!("date:{a}"),
            Field::Date(a, b) => format!("date:{a}..{b}"),
            Field::Ref(r) => format!("ref:{}", clean(r)),
        },
    }
}

/// The SQL condition over an `interviews` row for a filter, with its
/// parameters appended to `values`.
pub fn sql(e: &Expr, values: &mut Vec<Value>) -> String {
    match e {
        Expr::And(ts) if ts.is_empty() => "1".into(),
        Expr::And(ts) => {
            let parts: Vec<String> = ts.iter().map(|t| sql(t, values)).collect();
            format!("({})", parts.join(" AND "))
        }
        Expr::Or(ts) => {
            let parts: Vec<String> = ts.iter().map(|t| sql(t, values)).collect();
            format!("({})", parts.join(" OR "))
        }
        // A missing value (no quality yet) is not a match, so its negation
        // is one: SQL's NULL would drop it from both.
        Expr::Not(t) => format!("(NOT COALESCE({}, 0))", sql(t, values)),
        Expr::Text { text, phrase } => {
            let typed = if *phrase {
                format!("\"{text}\"")
            } else {
                text.clone()
            };
            match fts_query(&typed) {
                Some(q) => {
                    values.push(Value::Text(q.expr));
                    "(rowid IN (SELECT rowid FROM search WHERE search MATCH ?))".into()
                }
                // Nothing searchable: matches nothing.
                None => "0".into(),
            }
        }
        Expr::Field(f) => field_sql(f, values),
    }
}

fn field_sql(f: &Field, values: &mut Vec<Value>) -> String {
    match f {
        Field::Quality(Some(q)) => {
            values.push(Value::Text(q.clone()));
            "(quality = ?)".into()
        }
        Field::Quality(None) => "(quality IS NULL)".into(),
        Field::Status(s) => {
            values.push(Value::Text(s.clone()));
            "(status = ?)".into()
        }
        Field::Lang(l) => {
            values.push(Value::Text(l.clone()));
            values.push(Value::Text(format!("{l}-%")));
            "(lower(language) = ? OR lower(language) LIKE ?)".into()
        }
        Field::Tag(t) => {
            values.push(Value::Text(t.clone()));
            "(id IN (SELECT m.interview_id FROM marks m, json_each(m.tags) t WHERE lower(t.value) = lower(?)))".into()
        }
        Field::Code(c) => {
            values.push(Value::Text(c.clone()));
            "(id IN (SELECT h.interview_id FROM highlights h JOIN highlight_codes hc ON hc.highlight_id = h.id \
              WHERE hc.code_id IN (WITH RECURSIVE t(id) AS (SELECT c.id FROM codes c WHERE c.name = ? COLLATE NOCASE \
              UNION SELECT c.id FROM codes c JOIN t ON c.parent_id = t.id) SELECT id FROM t)))"
                .into()
        }
        Field::Is(Flag::Reviewed) => {
            "(id IN (SELECT interview_id FROM marks WHERE reviewed = 1))".into()
        }
        Field::Is(Flag::Unreviewed) => {
            "(id NOT IN (SELECT interview_id FROM marks WHERE reviewed = 1))".into()
        }
        Field::Is(Flag::Starred) => {
            "(id IN (SELECT interview_id FROM marks WHERE starred = 1))".into()
        }
        Field::Is(Flag::Coded) => "(id IN (SELECT interview_id FROM highlights))".into(),
        Field::Is(Flag::Noted) => {
            "(id IN (SELECT interview_id FROM marks WHERE note != ''))".into()
        }
        Field::Answered(n) => {
            values.push(Value::Integer(*n as i64 - 1));
            "(id IN (SELECT interview_id FROM answered WHERE question_index = ?))".into()
        }
        Field::Duration(cmp, s) => {
            values.push(Value::Integer(*s as i64));
            let op = match cmp {
                Cmp::Less => "<",
                Cmp::AtMost => "<=",
                Cmp::More => ">",
                Cmp::AtLeast => ">=",
                Cmp::Equal => "=",
            };
            if *cmp == Cmp::Equal {
                // A duration is fractional: equal to the second.
                "(CAST(duration AS INTEGER) = ?)".into()
            } else {
                format!("(duration {op} ?)")
            }
        }
        Field::Date(a, b) => {
            values.push(Value::Text(a.clone()));
            values.push(Value::Text(b.clone()));
            "(substr(started_at, 1, 10) BETWEEN ? AND ?)".into()
        }
        Field::Ref(r) => {
            let escaped: String = r
                .chars()
                .flat_map(|c| match c {
                    '%' | '_' | '\\' => vec!['\\', c],
                    c => vec![c],
                })
                .collect();
            values.push(Value::Text(format!("{escaped}%")));
            "(reference_id LIKE ? ESCAPE '\\')".into()
        }
    }
}
