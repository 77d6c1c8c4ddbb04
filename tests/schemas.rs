//! The JSON Schemas in `schemas/` are what the code generates (so editors
//! and `prongsai check` never disagree), they describe every field for hover
//! text, they refuse unknown fields, and the files and editor settings that
//! point at them point at files that exist.

use serde_json::Value;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn committed_schemas_are_up_to_date() {
    let dir = repo().join("schemas");
    let generated = prongsai::data::published_schemas();
    let mut stale = Vec::new();
    for (name, schema) in &generated {
        let mut expected = serde_json::to_string_pretty(schema).unwrap();
        expected.push('\n');
        match std::fs::read_to_string(dir.join(name)) {
            Ok(text) if text == expected => {}
            Ok(_) => stale.push(format!("schemas/{name} differs from what the code generates")),
            Err(e) => stale.push(format!("schemas/{name}: {e}")),
        }
    }
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if !generated.iter().any(|(n, _)| *n == name) {
            stale.push(format!("schemas/{name} is not generated any more: delete it"));
        }
    }
    assert!(stale.is_empty(), "{}\nRun `cargo run -- schema` and commit schemas/.", stale.join("\n"));
}

/// Walks every schema node, with its JSON pointer.
fn walk<'a>(v: &'a Value, at: String, out: &mut Vec<(String, &'a Value)>) {
    out.push((at.clone(), v));
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                walk(child, format!("{at}/{k}"), out);
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                walk(child, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn is_thai(s: &str) -> bool {
    s.chars().any(|c| ('\u{0E00}'..='\u{0E7F}').contains(&c))
}

#[test]
fn every_field_is_described_and_unknown_fields_are_refused() {
    for (name, schema) in prongsai::data::published_schemas() {
        let mut nodes = Vec::new();
        walk(&schema, String::new(), &mut nodes);
        let mut objects = 0;
        for (at, node) in nodes {
            let Some(props) = node.get("properties").and_then(Value::as_object) else { continue };
            if at.ends_with("/properties") {
                continue; // a field that happens to be called "properties"
            }
            objects += 1;
            assert_eq!(
                node.get("additionalProperties"),
                Some(&Value::Bool(false)),
                "{name}{at}: unknown fields allowed"
            );
            assert!(
                node.get("description").and_then(Value::as_str).is_some_and(is_thai),
                "{name}{at}: no Thai description"
            );
            for (field, prop) in props {
                let description = prop.get("description").and_then(Value::as_str).unwrap_or("");
                assert!(is_thai(description), "{name}{at}/properties/{field}: no Thai description for the hover");
                // The Rust number types must not leak into what editors see.
                assert!(prop.get("format").is_none(), "{name}{at}/properties/{field}: format {:?}", prop.get("format"));
            }
        }
        assert!(objects > 0, "{name} has no object schemas");
    }
}

#[test]
fn number_fields_have_the_bounds_of_their_type() {
    let results = prongsai::data::published_schemas().into_iter().find(|(n, _)| *n == "results.schema.json").unwrap().1;
    let done = &results["$defs"]["Count"]["properties"]["done"];
    assert_eq!(done["minimum"], 0);
    assert_eq!(done["maximum"], u64::MAX);
    assert_eq!(results["properties"]["year"]["maximum"], i32::MAX);
}

/// The schema a content file names, resolved from the file's folder.
fn named_schema(file: &Path) -> PathBuf {
    let text = std::fs::read_to_string(file).unwrap();
    let reference = if file.extension().is_some_and(|e| e == "json") {
        let v: Value = serde_json::from_str(&text).unwrap();
        v["$schema"].as_str().unwrap_or_else(|| panic!("{} names no $schema", file.display())).to_string()
    } else {
        let first = text.lines().next().unwrap_or("");
        first
            .strip_prefix("#:schema ")
            .unwrap_or_else(|| panic!("{} starts without #:schema", file.display()))
            .to_string()
    };
    file.parent().unwrap().join(reference)
}

#[test]
fn content_files_point_at_their_schemas() {
    let root = repo();
    let mut files = vec![
        (root.join("content/plan.json"), "plan.schema.json"),
        (root.join("content/site.toml"), "site.schema.json"),
        (root.join("themes/default/theme.toml"), "theme.schema.json"),
    ];
    for entry in std::fs::read_dir(root.join("content/results")).unwrap() {
        files.push((entry.unwrap().path(), "results.schema.json"));
    }
    for (file, schema) in files {
        let target = named_schema(&file);
        assert!(target.is_file(), "{} points at {}, which does not exist", file.display(), target.display());
        assert_eq!(target.file_name().unwrap(), schema, "{}", file.display());
        assert_eq!(
            std::fs::canonicalize(&target).unwrap(),
            std::fs::canonicalize(root.join("schemas").join(schema)).unwrap()
        );
    }
}

#[test]
fn vscode_settings_map_the_content_files_to_existing_schemas() {
    let text = std::fs::read_to_string(repo().join(".vscode/settings.json")).unwrap();
    // The settings file is JSON with comments; these are whole-line comments.
    let json: String = text.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
    let settings: Value = serde_json::from_str(&json).expect(".vscode/settings.json parses");
    let mut urls: Vec<String> =
        settings["json.schemas"].as_array().unwrap().iter().map(|m| m["url"].as_str().unwrap().to_string()).collect();
    let toml = settings["evenBetterToml.schema.associations"].as_object().unwrap();
    urls.extend(toml.values().map(|v| v.as_str().unwrap().to_string()));
    assert_eq!(urls.len(), 4);
    for url in urls {
        assert!(repo().join(&url).is_file(), "{url} does not exist");
    }
    let matches: Vec<&str> = settings["json.schemas"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|m| m["fileMatch"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()))
        .collect();
    assert_eq!(matches, ["/content/plan.json", "/content/results/*.json"]);
}
