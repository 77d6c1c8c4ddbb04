//! Snapshot tests of rendered pages and charts (insta). A change to a template,
//! the model or a chart shows up as a reviewable diff: `cargo insta review`,
//! or `INSTA_UPDATE=always cargo test --test snapshots` after checking it.

mod common;

use common::*;

fn chart(html: &str, id: &str) -> String {
    let start =
        html.find(&format!("<figure class=\"chart-figure\" id=\"{id}\"")).unwrap_or_else(|| panic!("no chart {id}"));
    let svg = html[start..].find("<svg").unwrap() + start;
    let end = html[svg..].find("</svg>").unwrap() + svg + "</svg>".len();
    html[svg..end].to_string()
}

#[test]
fn indicator_page() {
    insta::assert_snapshot!("indicator-3-2.1", page(default_site(), "indicators/3-2.1/index.html"));
}

#[test]
fn strategy_page() {
    insta::assert_snapshot!("strategy-2", page(default_site(), "strategies/2/index.html"));
}

#[test]
fn narrative_page() {
    insta::assert_snapshot!("policy-2566", page(default_site(), "years/2566/policy/index.html"));
}

#[test]
fn progress_chart() {
    let html = page(default_site(), "years/2566/index.html");
    insta::assert_snapshot!("chart-progress-2566", chart(&html, "chart-progress-2566"));
}

#[test]
fn indicator_chart() {
    let html = page(default_site(), "indicators/3-1.2/index.html");
    insta::assert_snapshot!("chart-3-1.2", chart(&html, "chart-3-1.2"));
}

#[test]
fn strategy_chart() {
    let html = page(default_site(), "strategies/3/index.html");
    insta::assert_snapshot!("chart-s3-2566", chart(&html, "chart-s3-2566"));
}

#[test]
fn strategy_map() {
    let html = page(default_site(), "years/2566/index.html");
    insta::assert_snapshot!("chart-map-2566", chart(&html, "chart-map-2566"));
}
