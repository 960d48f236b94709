//! A PDF content-stream rewriter that copies every byte it does not need to
//! change: it tokenises operands and operators (strings, hex strings,
//! arrays, dictionaries, names, numbers, comments, inline images) and hands
//! each operator with its operands to a callback, which either keeps the
//! original bytes or writes replacements. Text-heavy newspaper pages carry
//! ~1 MB of content each; a full parse into objects and back would cost
//! more than the layout.

/// One operand as the callback sees it.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand<'a> {
    Number(f64),
    Name(&'a [u8]),
    /// Anything else (strings, arrays, dictionaries, booleans): kept raw.
    Other,
}

/// What to do with an operator.
pub enum Action {
    /// Keep its bytes (operands included) as they were.
    Keep,
    /// Replace the operator and its operands with these bytes (may be empty).
    Replace(Vec<u8>),
}

fn is_white(b: u8) -> bool {
    matches!(b, b' ' | b'\n' | b'\r' | b'\t' | b'\x0c' | b'\0')
}

fn is_delim(b: u8) -> bool {
    matches!(b, b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%')
}

/// Rewrites `input`, calling `f(operator, operands)` for every operator.
/// Malformed input is copied through from the point it stops making sense,
/// never dropped.
pub fn rewrite(input: &[u8], mut f: impl FnMut(&[u8], &[Operand]) -> Action) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len() + input.len() / 16);
    let mut ops: Vec<Operand> = Vec::new();
    // Start of the current operator's operands (what a Replace drops).
    let mut seg_start = 0;
    // Bytes before seg_start are already in `out`.
    let mut i = 0;
    let n = input.len();
    while i < n {
        let b = input[i];
        if is_white(b) {
            if ops.is_empty() {
                out.push(b);
                seg_start = i + 1;
            }
            i += 1;
            continue;
        }
        let tok_start = i;
        match b {
            b'%' => {
                while i < n && input[i] != b'\n' && input[i] != b'\r' {
                    i += 1;
                }
                if ops.is_empty() {
                    out.extend_from_slice(&input[seg_start..i]);
                    seg_start = i;
                }
                continue;
            }
            b'(' => {
                i = skip_string(input, i);
                ops.push(Operand::Other);
            }
            b'<' if input.get(i + 1) == Some(&b'<') => {
                i = skip_nested(input, i, b"<<", b">>");
                ops.push(Operand::Other);
            }
            b'<' => {
                while i < n && input[i] != b'>' {
                    i += 1;
                }
                i = (i + 1).min(n);
                ops.push(Operand::Other);
            }
            b'[' => {
                i = skip_nested(input, i, b"[", b"]");
                ops.push(Operand::Other);
            }
            b'/' => {
                i += 1;
                while i < n && !is_white(input[i]) && !is_delim(input[i]) {
                    i += 1;
                }
                ops.push(Operand::Name(&input[tok_start + 1..i]));
            }
            _ => {
                i += 1;
                while i < n && !is_white(input[i]) && !is_delim(input[i]) {
                    i += 1;
                }
                let tok = &input[tok_start..i];
                if let Some(v) = number(tok) {
                    ops.push(Operand::Number(v));
                    continue;
                }
                if tok == b"true" || tok == b"false" || tok == b"null" {
                    ops.push(Operand::Other);
                    continue;
                }
                // An operator.
                if tok == b"BI" {
                    // Inline image: copy through to EI.
                    i = skip_inline_image(input, i);
                    out.extend_from_slice(&input[seg_start..i]);
                    seg_start = i;
                    ops.clear();
                    continue;
                }
                match f(tok, &ops) {
                    Action::Keep => out.extend_from_slice(&input[seg_start..i]),
                    Action::Replace(bytes) => {
                        // Tokens may touch at delimiters (`cm/c0 cs`):
                        // a replacement is set off by whitespace.
                        if !bytes.is_empty() {
                            if out.last().is_some_and(|&b| !is_white(b)) {
                                out.push(b' ');
                            }
                            out.extend_from_slice(&bytes);
                            out.push(b' ');
                        }
                    }
                }
                seg_start = i;
                ops.clear();
            }
        }
    }
    out.extend_from_slice(&input[seg_start.min(n)..]);
    out
}

fn number(tok: &[u8]) -> Option<f64> {
    let first = *tok.first()?;
    if !(first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.')) {
        return None;
    }
    std::str::from_utf8(tok).ok()?.parse().ok()
}

fn skip_string(s: &[u8], mut i: usize) -> usize {
    let mut depth = 0usize;
    while i < s.len() {
        match s[i] {
            b'\\' => i += 1,
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    s.len()
}

fn skip_nested(s: &[u8], mut i: usize, open: &[u8], close: &[u8]) -> usize {
    let mut depth = 0usize;
    while i < s.len() {
        if s[i] == b'(' {
            i = skip_string(s, i);
            continue;
        }
        if s[i..].starts_with(open) {
            depth += 1;
            i += open.len();
            continue;
        }
        if s[i..].starts_with(close) {
            depth -= 1;
            i += close.len();
            if depth == 0 {
                return i;
            }
            continue;
        }
        i += 1;
    }
    s.len()
}

fn skip_inline_image(s: &[u8], mut i: usize) -> usize {
    // Find "ID" then the data, ending at whitespace "EI" whitespace/end.
    while i + 1 < s.len() && !(s[i] == b'I' && s[i + 1] == b'D' && i > 0 && is_white(s[i - 1])) {
        i += 1;
    }
    i += 2;
    while i + 2 < s.len() {
        if is_white(s[i]) && s[i + 1] == b'E' && s[i + 2] == b'I' && s.get(i + 3).is_none_or(|&b| is_white(b)) {
            return i + 3;
        }
        i += 1;
    }
    s.len()
}

/// Formats a number as a PDF content-stream number (at most 4 decimals).
pub fn num(v: f64) -> String {
    let v = if v.abs() < 1e-6 { 0.0 } else { v };
    let s = format!("{v:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_everything_it_is_not_asked_to_change() {
        let src = b"q 1 0 0 1 0 0 cm /cs0 cs 0 scn BT /F1 9 Tf (a\\)b (c) ) Tj [(x) -20 (y)] TJ ET % c\n<</MCID 0>> BDC EMC Q";
        let out = rewrite(src, |_, _| Action::Keep);
        assert_eq!(out, src.to_vec());
    }

    #[test]
    fn replaces_an_operator_with_its_operands() {
        let src = b"q /cs0 cs 0.5 scn 0 0 10 10 re f Q";
        let out = rewrite(src, |op, args| match op {
            b"cs" => Action::Replace(Vec::new()),
            b"scn" => match args {
                [Operand::Number(v)] => Action::Replace(format!("{} g", num(*v)).into_bytes()),
                _ => Action::Keep,
            },
            _ => Action::Keep,
        });
        let out = String::from_utf8(out).unwrap();
        assert_eq!(out.split_whitespace().collect::<Vec<_>>().join(" "), "q 0.5 g 0 0 10 10 re f Q");
    }

    #[test]
    fn a_replacement_never_runs_into_its_neighbours() {
        let src = b"1 0 0 1 5 5 cm/c0 cs 0 scn/F1 9 Tf";
        let out = rewrite(src, |op, _| match op {
            b"cs" => Action::Replace(Vec::new()),
            b"scn" => Action::Replace(b"0 g".to_vec()),
            _ => Action::Keep,
        });
        let out = String::from_utf8(out).unwrap();
        assert_eq!(out.split_whitespace().collect::<Vec<_>>(), ["1", "0", "0", "1", "5", "5", "cm", "0", "g", "/F1", "9", "Tf"]);
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(0.25), "0.25");
        assert_eq!(num(-0.0000001), "0");
        assert_eq!(num(0.123456), "0.1235");
    }
}
