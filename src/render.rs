//! Templates: minijinja, loaded from the theme's `templates/` with the site's
//! own `templates/` taking precedence name by name, so a site overrides any
//! template by providing one with the same name.
//!
//! All templates are read and compiled before anything renders, so a broken
//! template is reported with its file and line even if no page uses it yet.

use crate::diagnostic::{Finding, Kind, SourceFile};
use minijinja::{Environment, State, UndefinedBehavior, Value};
use std::collections::BTreeMap;
use std::path::Path;

/// Where a site puts templates that override the theme's.
pub const SITE_TEMPLATES: &str = "templates";

/// The compiled templates.
pub struct Renderer {
    env: Environment<'static>,
    /// Template name → file, relative to the site root.
    files: BTreeMap<String, SourceFile>,
}

impl Renderer {
    /// Reads every template of the theme and the site, site first.
    pub fn new(root: &Path, theme_dir: &str) -> Result<Renderer, Vec<Finding>> {
        let mut files: BTreeMap<String, SourceFile> = BTreeMap::new();
        let mut findings = Vec::new();
        for dir in [format!("{theme_dir}/templates"), SITE_TEMPLATES.to_string()] {
            let base = root.join(&dir);
            if !base.is_dir() {
                continue;
            }
            for entry in walkdir::WalkDir::new(&base).sort_by_file_name().into_iter().filter_map(|e| e.ok()) {
                let path = entry.path();
                if !entry.file_type().is_file() || crate::site::is_editor_temp(path) {
                    continue;
                }
                let name = crate::site::rel_path(&base, path);
                let rel = crate::site::rel_path(root, path);
                match crate::data::read_source(root, &rel) {
                    // Later directories (the site's) replace earlier ones (the theme's).
                    Ok(src) => {
                        files.insert(name, src);
                    }
                    Err(f) => findings.push(f),
                }
            }
        }
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::SemiStrict);
        env.add_function("url", url);
        // HTML escaping of &, <, >, " and ', as the spec requires; minijinja
        // also writes every "/" as "&#x2f;", which makes pages needlessly
        // hard to read and to search.
        env.set_formatter(|out, state, value| {
            if *state.auto_escape() == minijinja::AutoEscape::Html && !value.is_safe() {
                out.write_str(&crate::charts::escape(&value.to_string())).map_err(minijinja::Error::from)
            } else {
                minijinja::escape_formatter(out, state, value)
            }
        });
        for (name, src) in &files {
            if let Err(e) = env.add_template_owned(name.clone(), src.text.clone()) {
                findings.push(template_finding(&e, src));
            }
        }
        if !findings.is_empty() {
            return Err(findings);
        }
        Ok(Renderer { env, files })
    }

    /// Whether a layout (template name without `.html`) exists.
    pub fn has_layout(&self, layout: &str) -> bool {
        self.files.contains_key(&format!("{layout}.html"))
    }

    /// Layouts a page may name, for suggestions.
    pub fn layouts(&self) -> Vec<String> {
        self.files
            .keys()
            .filter_map(|k| k.strip_suffix(".html"))
            .filter(|k| !k.starts_with('_') && !k.contains('/'))
            .map(String::from)
            .collect()
    }

    /// Renders a template; a failure names the template file and line.
    pub fn render(&self, template: &str, ctx: Value) -> Result<String, Finding> {
        let tmpl = self.env.get_template(template).map_err(|_| {
            Finding::new(
                Kind::TemplateMissing,
                format!("templates/{template}"),
                format!("ไม่มีแม่แบบ {template} ในธีมหรือในโฟลเดอร์ templates ของเว็บไซต์"),
            )
            .with_help(format!("สร้างไฟล์ {template} หรือคัดลอกจาก themes/default/templates/"))
        })?;
        tmpl.render(ctx).map_err(|e| {
            let name = e.name().unwrap_or(template).to_string();
            match self.files.get(&name) {
                Some(src) => template_finding(&e, src),
                None => Finding::new(Kind::TemplateError, name, describe(&e)),
            }
        })
    }
}

fn template_finding(e: &minijinja::Error, src: &SourceFile) -> Finding {
    let mut f = Finding::new(Kind::TemplateError, src.path.clone(), describe(e))
        .with_help("แก้แม่แบบตามข้อความนี้ (ดูไวยากรณ์ของ minijinja/Jinja2)");
    if let Some(line) = e.line() {
        f = f.at_line(src, line as u32);
    }
    f
}

fn describe(e: &minijinja::Error) -> String {
    let mut msg = format!("แม่แบบผิดพลาด: {}", e.kind());
    if let Some(detail) = e.detail() {
        msg.push_str(&format!(": {detail}"));
    }
    msg
}

/// `url(path)`: a root-relative site path made relative to the page being
/// rendered (its `root`), ending in `index.html` unless the site uses pretty
/// URLs, so links work under any subpath and from disk.
fn url(state: &State, path: String) -> Value {
    let root = state.lookup("root").map(|v| v.to_string()).unwrap_or_default();
    let pretty = state.lookup("pretty").is_some_and(|v| v.is_true());
    // Escaped here for an attribute value; minijinja's own escaping would
    // also write every "/" as "&#x2f;", which is valid but unreadable.
    Value::from_safe_string(crate::charts::escape(&crate::content::link(&root, &path, pretty)))
}
