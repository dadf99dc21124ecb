//! What each part of the search index costs (BENCHMARKS.md, issue 20
//! item 3): the first N documents of a store are indexed again in several
//! forms, each in a file of its own, and each file's index is measured.
//!
//! ```sh
//! cargo run --release --example index_cost -- STORE.sqlite3 [N]
//! ```

use rusqlite::{Connection, params};
use uj::api::model::{Interview, InterviewDetail};
use uj::store::search::{document, grams};

const TOKENIZE: &str = "tokenize = 'unicode61 remove_diacritics 2'";

/// The forms measured: a name and the table's arguments.
fn forms() -> Vec<(&'static str, String)> {
    vec![
        (
            "before: text kept, positions, prefixes 2 and 3, CJK pieces",
            format!("text, grams, {TOKENIZE}, prefix = '2 3'"),
        ),
        (
            "without the kept text (contentless): the form now used",
            format!(
                "text, grams, content = '', contentless_delete = 1, {TOKENIZE}, prefix = '2 3'"
            ),
        ),
        (
            "  and without the prefix indexes",
            format!("text, grams, content = '', contentless_delete = 1, {TOKENIZE}"),
        ),
        (
            "  and with column positions only (detail=column: no phrases)",
            format!(
                "text, grams, content = '', contentless_delete = 1, {TOKENIZE}, prefix = '2 3', detail = column"
            ),
        ),
        (
            "  and without the CJK pieces (no CJK substrings)",
            format!("text, content = '', contentless_delete = 1, {TOKENIZE}, prefix = '2 3'"),
        ),
    ]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(store) = args.get(1) else {
        eprintln!("usage: index_cost STORE.sqlite3 [N]");
        std::process::exit(2);
    };
    let n: i64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let src = Connection::open(store).unwrap_or_else(|e| panic!("{e}"));
    let mut docs: Vec<(String, String)> = Vec::new();
    let mut rows = src
        .prepare(
            "SELECT i.json, d.json FROM interviews i LEFT JOIN details d ON d.interview_id = i.id
              ORDER BY i.rowid LIMIT ?1",
        )
        .unwrap_or_else(|e| panic!("{e}"));
    let mut it = rows.query(params![n]).unwrap_or_else(|e| panic!("{e}"));
    while let Some(r) = it.next().unwrap_or_else(|e| panic!("{e}")) {
        let list: String = r.get(0).unwrap_or_default();
        let detail: Option<String> = r.get(1).unwrap_or_default();
        let Ok(i) = serde_json::from_str::<Interview>(&list) else {
            continue;
        };
        let d = detail.and_then(|d| serde_json::from_str::<InterviewDetail>(&d).ok());
        let doc = document(&i, d.as_ref());
        let g = grams(&doc);
        docs.push((doc, g));
    }
    let text: usize = docs.iter().map(|(d, _)| d.len()).sum();
    let pieces: usize = docs.iter().map(|(_, g)| g.len()).sum();
    println!(
        "{} documents, {:.1} MB of text (and {:.1} MB of CJK pieces)",
        docs.len(),
        text as f64 / 1e6,
        pieces as f64 / 1e6
    );
    println!("| form | index | × the text |");
    println!("|---|---|---|");
    let dir = tempfile_dir();
    for (k, (name, args)) in forms().into_iter().enumerate() {
        let path = dir.join(format!("form{k}.sqlite3"));
        let _ = std::fs::remove_file(&path);
        let mut c = Connection::open(&path).unwrap_or_else(|e| panic!("{e}"));
        c.execute_batch(&format!("CREATE VIRTUAL TABLE search USING fts5({args});"))
            .unwrap_or_else(|e| panic!("{e}"));
        let with_grams = args.starts_with("text, grams");
        let tx = c.transaction().unwrap_or_else(|e| panic!("{e}"));
        for (rowid, (doc, g)) in docs.iter().enumerate() {
            if with_grams {
                tx.execute(
                    "INSERT INTO search (rowid, text, grams) VALUES (?1, ?2, ?3)",
                    params![rowid as i64 + 1, doc, g],
                )
            } else {
                tx.execute(
                    "INSERT INTO search (rowid, text) VALUES (?1, ?2)",
                    params![rowid as i64 + 1, doc],
                )
            }
            .unwrap_or_else(|e| panic!("{e}"));
        }
        tx.commit().unwrap_or_else(|e| panic!("{e}"));
        c.execute_batch("VACUUM;").unwrap_or_else(|e| panic!("{e}"));
        drop(c);
        let size = std::fs::metadata(&path).map_or(0, |m| m.len());
        println!(
            "| {name} | {:.1} MB | {:.2}× |",
            size as f64 / 1e6,
            size as f64 / text as f64
        );
        let _ = std::fs::remove_file(&path);
    }
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("uj-index-cost-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    dir
}
