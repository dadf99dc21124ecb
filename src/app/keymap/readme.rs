//! The README's key tables, made from the table.

use super::*;

/// The README's key tables, in Markdown (checked by a test against the
/// README; `UJ_WRITE_README=1 cargo test --test keys` rewrites it).
pub fn readme_tables() -> String {
    let mut out = String::new();
    for c in Context::ALL {
        out.push_str(&format!(
            "\n**{}** (`[keys.{}]`)\n\n| keys | action | name |\n|---|---|---|\n",
            c.title(),
            c.name()
        ));
        for b in BINDINGS.iter().filter(|b| b.context == c) {
            let keys: Vec<String> = b
                .keys
                .iter()
                .map(|k| match k.to_string().as_str() {
                    "letters" => "letters".to_string(),
                    "`" => "`` ` ``".to_string(),
                    "|" => "`\\|`".to_string(),
                    t => format!("`{t}`"),
                })
                .collect();
            out.push_str(&format!(
                "| {} | {} | `{}` |\n",
                keys.join(" "),
                b.help,
                b.action.name()
            ));
        }
    }
    out
}
