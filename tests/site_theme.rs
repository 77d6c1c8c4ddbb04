//! A site overrides any template or static file of its theme by providing one
//! with the same name, and relabels the theme's words in site.toml.

mod common;

use common::*;
use prongsai::site::{self, Options};

#[test]
fn a_site_template_overrides_the_theme_template_of_the_same_name() {
    let dir = fixture_site("hostile-site");
    std::fs::create_dir_all(dir.path().join("templates")).unwrap();
    std::fs::write(
        dir.path().join("templates/page.html"),
        "{% extends \"base.html\" %}{% block content %}<p class=\"override\">แม่แบบของเว็บไซต์: {{ page.title }}</p>{% endblock %}",
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("static")).unwrap();
    std::fs::write(dir.path().join("static/style.css"), "/* the site's own style */\n").unwrap();
    std::fs::write(dir.path().join("static/logo.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>").unwrap();

    let built = site::build(dir.path(), &Options::default()).unwrap();
    let about = page(&built, "about/index.html");
    assert!(about.contains("<p class=\"override\">แม่แบบของเว็บไซต์: เกี่ยวกับ &lt;script&gt;"), "{about}");
    // Templates the site does not override still come from the theme.
    assert!(page(&built, "indicators/1-1.1/index.html").contains("class=\"facts\""));
    assert_eq!(built.files["style.css"], b"/* the site's own style */\n");
    assert!(built.files.contains_key("logo.svg"));
    assert!(built.files.contains_key("favicon.svg"), "theme assets the site does not replace remain");
}

#[test]
fn labels_come_from_the_theme_and_the_site_can_change_them() {
    let dir = fixture_site("hostile-site");
    let config = dir.path().join("content/site.toml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("\n[labels]\nstrategy_n = \"แผนงานที่\"\nstatus_met = \"ทำได้ตามเป้า\"\n");
    std::fs::write(&config, text).unwrap();
    let built = site::build(dir.path(), &Options::default()).unwrap();
    let strategy = page(&built, "strategies/1/index.html");
    assert!(strategy.contains("แผนงานที่ 1"), "the site's word for a strategy");
    assert!(!strategy.contains("<p class=\"eyebrow\">ยุทธศาสตร์ที่"), "the theme default is replaced");
    assert!(page(&built, "indicators/1-1.1/index.html").contains("ทำได้ตามเป้า"));
}

#[test]
fn digits_and_era_follow_the_configuration() {
    let dir = fixture_site("hostile-site");
    let config = dir.path().join("content/site.toml");
    let text = std::fs::read_to_string(&config).unwrap().replace("era = \"be\"", "era = \"ce\"");
    std::fs::write(&config, text).unwrap();
    let built = site::build(dir.path(), &Options::default()).unwrap();
    let year = page(&built, "years/2566/index.html");
    assert!(year.contains("ปีงบประมาณ ค.ศ. 2023"), "CE years with Arabic digits");
    let thai = site::build(&repo(), &Options::default()).unwrap();
    assert!(page(&thai, "years/2566/index.html").contains("ปีงบประมาณ พ.ศ. ๒๕๖๖"));
}

/// An error inside an included template is reported where it is (the
/// partial's file and line), with the chain of templates that led there,
/// not as "error in _sidebar.html" at the include.
#[test]
fn an_error_in_an_included_template_names_its_line_and_the_chain() {
    let dir = fixture_site("hostile-site");
    let templates = dir.path().join("templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(
        templates.join("page.html"),
        "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ page.title }}</h1>\n{% include \"_sidebar.html\" %}\n{% endblock %}\n",
    )
    .unwrap();
    std::fs::write(templates.join("_sidebar.html"), "<aside>\n{{ page.title|no_such_filter }}\n</aside>\n").unwrap();
    let failure = site::build(dir.path(), &Options::default()).expect_err("the broken partial stops the build");
    let f = &failure.findings()[0];
    assert_eq!((f.kind.code(), f.file.as_str(), f.line), ("template-error", "templates/_sidebar.html", Some(2)));
    assert!(f.message.contains("page.html บรรทัด 4 → _sidebar.html บรรทัด 2"), "{}", f.message);
    assert!(f.message.contains("no_such_filter"), "{}", f.message);
}
