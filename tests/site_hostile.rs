//! Hostile text (`<script>`, quotes, ampersands, attribute breakers) in every
//! kind of input must come out escaped in HTML, SVG, JSON and CSV: a site
//! built from it runs no script and shows the text as text.

mod common;

use common::*;
use prongsai::site::{self, Options, Site};

fn hostile() -> Site {
    let dir = fixture_site("hostile-site");
    site::build(dir.path(), &Options::default()).unwrap_or_else(|f| {
        panic!("the hostile fixture must build:\n{}", f.findings().iter().map(|x| x.to_string()).collect::<String>())
    })
}

#[test]
fn no_input_can_inject_markup_into_html() {
    let site = hostile();
    let pages = html_pages(&site);
    assert!(pages.len() >= 8);
    for (path, html) in &pages {
        assert!(!without_site_script(html).contains("<script"), "{path}: a <script> got through");
        assert!(!html.contains("<div onclick"), "{path}: an element with an event handler got through");
        assert!(!html.contains("<iframe"), "{path}");
        assert!(!html.contains("<img src=x"), "{path}");
        assert!(!html.contains("</title><"), "{path}: the title was broken out of");
        assert!(!html.contains("javascript:"), "{path}: a javascript: link");
    }
    // The text is there, escaped, not dropped.
    let ind = &pages["indicators/1-1.1/index.html"];
    assert!(
        ind.contains("ร้อยละของ &lt;script&gt;alert(&quot;ind&quot;)&lt;&#x2f;script&gt;")
            || ind.contains("ร้อยละของ &lt;script&gt;alert(&quot;ind&quot;)&lt;/script&gt;"),
        "{}",
        &ind[..2000]
    );
    assert!(text(ind).contains("สรุป <script>alert(\"summary\")</script> & \"คำพูด\""));
    assert!(text(ind).contains("คำพูด </blockquote><script>alert('q')</script>"));
    let about = &pages["about/index.html"];
    assert!(text(about).contains("<script>alert(\"raw\")</script>"), "raw HTML in Markdown shows as text");
    assert!(about.contains("content=\"คำอธิบาย &quot;หน้า&quot; &lt;x&gt;\""), "attribute values are escaped");
    assert!(about.contains("<title>เกี่ยวกับ &lt;script&gt;"), "the title element is escaped");
}

#[test]
fn no_input_can_inject_markup_into_svg() {
    let site = hostile();
    let strategy = page(&site, "strategies/1/index.html");
    let svg = &strategy[strategy.find("<svg").unwrap()..strategy.find("</svg>").unwrap()];
    assert!(!svg.contains("<script") && svg.contains("&lt;script&gt;"), "labels are escaped");
}

#[test]
fn json_and_csv_carry_the_exact_text() {
    let site = hostile();
    let json: serde_json::Value = serde_json::from_slice(&site.files["data/prongsai.json"]).unwrap();
    assert_eq!(json["plan"]["indicators"][0]["name"], "ร้อยละของ <script>alert(\"ind\")</script> ที่ \"ผ่าน\" & สำเร็จ");
    assert_eq!(
        json["results"][0]["indicators"][0]["summary"].as_str().unwrap().split(' ').nth(1),
        Some("<script>alert(\"summary\")</script>")
    );
    let raw = String::from_utf8(site.files["data/prongsai.json"].clone()).unwrap();
    assert!(raw.contains(r#"alert(\"ind\")"#), "quotes are JSON-escaped");

    let csv_bytes = &site.files["data/indicators.csv"];
    let mut reader = csv::Reader::from_reader(&csv_bytes[3..]);
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(&rows[0][8], "ร้อยละของ <script>alert(\"ind\")</script> ที่ \"ผ่าน\" & สำเร็จ");
    assert_eq!(&rows[2][8], "จำนวน \"โครงการ\" ' & >");
}

#[test]
fn the_source_document_page_escapes_its_lines() {
    let site = hostile();
    let html = page(&site, "sources/doc/index.html");
    assert!(!html.contains("<script>alert(\"doc\")"));
    assert!(text(&html).contains("เอกสารต้นทาง <script>alert(\"doc\")</script> & \"คำพูด\""));
}
