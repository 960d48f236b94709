//! PNG proofs: the page's size at the asked resolution, deterministic, and
//! guides or fit tints only when asked for.

mod common;

use common::*;

fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[1..4], b"PNG");
    let n = |i: usize| u32::from_be_bytes(bytes[i..i + 4].try_into().unwrap());
    (n(16), n(20))
}

fn proof(out: &std::path::Path, extra: &[&str]) -> Vec<u8> {
    let mut args = vec![
        "proof",
        "content/xinchun-2018",
        "--issue",
        "xinchun-1",
        "--dpi",
        "50",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend(extra);
    let o = paiban(&args, &root());
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::read(out.join("xinchun-1-p1.png")).unwrap()
}

#[test]
fn proofs_have_the_page_size_and_guides_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let plain = proof(&dir.path().join("a"), &[]);
    let (w, h) = png_size(&plain);
    assert_eq!((w, h), ((390.0 / 25.4 * 50.0f64).round() as u32, (540.0 / 25.4 * 50.0f64).round() as u32));
    assert_eq!(plain, proof(&dir.path().join("b"), &[]), "proofs are deterministic");
    let guides = proof(&dir.path().join("c"), &["--guides"]);
    let fit = proof(&dir.path().join("d"), &["--fit"]);
    assert_eq!(png_size(&guides), (w, h));
    assert_ne!(plain, guides);
    assert_ne!(plain, fit);
    assert_ne!(guides, fit);
}
