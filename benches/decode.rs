//! Decoding a 5,000-message interview: `cargo bench --bench decode`, with
//! `serde_json::Value` on the same bytes as the baseline.

#[path = "support.rs"]
mod support;

use divan::Bencher;
use divan::counter::BytesCount;
use uj::api::model::InterviewDetail;

fn main() {
    divan::main();
}

fn bytes() -> Vec<u8> {
    serde_json::to_vec(&support::detail(5_000)).expect("json")
}

#[divan::bench]
fn interview_detail_5000(bencher: Bencher) {
    let b = bytes();
    bencher
        .counter(BytesCount::new(b.len()))
        .bench_local(|| serde_json::from_slice::<InterviewDetail>(&b).expect("decodes"));
}

#[divan::bench]
fn baseline_value_5000(bencher: Bencher) {
    let b = bytes();
    bencher
        .counter(BytesCount::new(b.len()))
        .bench_local(|| serde_json::from_slice::<serde_json::Value>(&b).expect("decodes"));
}

#[divan::bench]
fn text_sanitize_1mb(bencher: Bencher) {
    let text = "Mensaje: la tarjeta fue rechazada \u{1b}[31m dos veces\t sin explicación.\n"
        .repeat(14_000);
    bencher
        .counter(BytesCount::new(text.len()))
        .bench_local(|| uj::text::sanitize(&text).len());
}
