//! prongsai (โปร่งใส, "transparent"): a static site generator for Thai public
//! transparency pages. It turns a strategic plan's indicator data (JSON) and
//! narrative (Markdown) into a Thai-language website with SVG progress charts.
//!
//! The pipeline runs one way, one module per stage:
//! [`config`] and [`data`] and [`content`] load, [`data::validate`] and [`lint`]
//! check, [`model`] computes what pages show (with [`charts`] and [`thai`]),
//! [`render`] lays it out through the theme's templates, [`site`] orders the
//! steps and writes the output, [`export`] writes the open data, [`feed`],
//! [`search`] and [`raster`] make what helps the site travel (the Atom feed,
//! the search index, PNG share images and chart downloads), and [`serve`]
//! previews with live reload. [`diagnostic`] is the one error type they share.

// Findings are large (file, field, message, help, excerpt) and are only ever
// returned on the error path, where their size costs nothing worth boxing for.
#![allow(clippy::result_large_err)]

pub mod cache;
pub mod charts;
pub mod config;
pub mod content;
pub mod data;
pub mod diagnostic;
pub mod document;
pub mod escape;
pub mod export;
pub mod feed;
pub mod files;
pub mod fingerprint;
pub mod index;
pub mod lint;
pub mod model;
pub mod output;
pub mod raster;
pub mod render;
pub mod routes;
pub mod rules;
/// `prongsai new-year` and `prongsai init`: new content from nothing.
pub mod scaffold;
pub mod search;
pub mod serve;
/// `prongsai sheet`: a year's results as a spreadsheet and back.
pub mod sheet;
pub mod site;
/// Synthetic plans of any size, deterministic, in realistic Thai: for the
/// scale benchmark (`examples/scale.rs`) and scale tests.
pub mod synthetic;
pub mod thai;
