//! Writes a synthetic site of N indicators into a folder, to build or
//! preview by hand (`prongsai build --root DIR`, `prongsai serve --root DIR`).
//!
//!   cargo run --example synthetic_site -- DIR N

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(dir), Some(n)) = (args.next(), args.next().and_then(|n| n.parse::<usize>().ok())) else {
        eprintln!("usage: synthetic_site DIR N");
        std::process::exit(2);
    };
    if let Err(e) = prongsai::synthetic::generate(std::path::Path::new(&dir), n) {
        eprintln!("{dir}: {e}");
        std::process::exit(1);
    }
}
