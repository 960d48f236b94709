//! A content-stream tokenizer that borrows from the stream and allocates
//! nothing per token.
//!
//! The preflight runs inside every build over ~1 MB of content per page, and
//! needs only numbers and names as operands: strings, arrays and
//! dictionaries are skipped (correctly, with nesting and escapes) and stand
//! as [`Operand::Other`]. Inline images (`BI … ID … EI`) come back as one
//! `BI` operator whose operands are the dictionary's keys and values.

/// One operand, as far as the preflight needs it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Operand<'a> {
    Num(f64),
    Name(&'a [u8]),
    Bool(bool),
    /// A string, array, dictionary or null.
    Other,
}

impl Operand<'_> {
    pub fn num(&self) -> Option<f64> {
        match self {
            Operand::Num(n) => Some(*n),
            _ => None,
        }
    }
}

pub struct Lexer<'a> {
    data: &'a [u8],
    pos: usize,
}

#[inline]
fn is_white(b: u8) -> bool {
    matches!(b, b' ' | b'\n' | b'\r' | b'\t' | b'\x0c' | b'\0')
}

#[inline]
fn is_delim(b: u8) -> bool {
    matches!(b, b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%')
}

#[inline]
fn is_regular(b: u8) -> bool {
    !is_white(b) && !is_delim(b)
}

impl<'a> Lexer<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Self { data, pos: 0 }
    }

    /// Reads operands into `ops` (cleared first) up to the next operator and
    /// returns it; `None` at the end of the stream.
    pub fn next_op(&mut self, ops: &mut Vec<Operand<'a>>) -> Option<&'a [u8]> {
        ops.clear();
        loop {
            self.skip_space();
            let b = *self.data.get(self.pos)?;
            match b {
                b'/' | b'0'..=b'9' | b'+' | b'-' | b'.' | b'(' | b'<' | b'[' => ops.push(self.operand(b)),
                // Stray closers: skip them.
                b')' | b'>' | b']' | b'{' | b'}' => self.pos += 1,
                _ => {
                    let word = self.word();
                    match word {
                        b"true" => ops.push(Operand::Bool(true)),
                        b"false" => ops.push(Operand::Bool(false)),
                        b"null" => ops.push(Operand::Other),
                        b"BI" => {
                            self.inline_image(ops);
                            return Some(b"BI");
                        }
                        _ => return Some(word),
                    }
                }
            }
        }
    }

    fn skip_space(&mut self) {
        while let Some(&b) = self.data.get(self.pos) {
            if is_white(b) {
                self.pos += 1;
            } else if b == b'%' {
                while let Some(&c) = self.data.get(self.pos) {
                    if c == b'\n' || c == b'\r' {
                        break;
                    }
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    fn word(&mut self) -> &'a [u8] {
        let start = self.pos;
        while self.data.get(self.pos).is_some_and(|&b| is_regular(b)) {
            self.pos += 1;
        }
        if self.pos == start {
            // A lone delimiter we do not understand: step over it.
            self.pos += 1;
        }
        &self.data[start..self.pos]
    }

    fn name(&mut self) -> &'a [u8] {
        self.pos += 1; // '/'
        let start = self.pos;
        while self.data.get(self.pos).is_some_and(|&b| is_regular(b)) {
            self.pos += 1;
        }
        &self.data[start..self.pos]
    }

    fn number(&mut self) -> f64 {
        let d = self.data;
        let mut i = self.pos;
        let mut neg = false;
        while i < d.len() && (d[i] == b'+' || d[i] == b'-') {
            neg ^= d[i] == b'-';
            i += 1;
        }
        let mut int: f64 = 0.0;
        while i < d.len() && d[i].is_ascii_digit() {
            int = int * 10.0 + (d[i] - b'0') as f64;
            i += 1;
        }
        if i < d.len() && d[i] == b'.' {
            i += 1;
            let mut scale = 0.1;
            while i < d.len() && d[i].is_ascii_digit() {
                int += (d[i] - b'0') as f64 * scale;
                scale *= 0.1;
                i += 1;
            }
        }
        // Anything glued on (e.g. "1.2.3") is dropped.
        while i < d.len() && is_regular(d[i]) {
            i += 1;
        }
        self.pos = i.max(self.pos + 1);
        if neg { -int } else { int }
    }

    /// Skips one object of any kind at `pos`.
    fn skip_object(&mut self) {
        let Some(&b) = self.data.get(self.pos) else { return };
        match b {
            b'(' => self.skip_literal(),
            b'<' if self.data.get(self.pos + 1) == Some(&b'<') => self.skip_nested(b"<<", b">>"),
            b'<' => {
                while self.data.get(self.pos).is_some_and(|&c| c != b'>') {
                    self.pos += 1;
                }
                self.pos += 1;
            }
            b'[' => self.skip_nested(b"[", b"]"),
            b'/' => {
                self.name();
            }
            _ if is_regular(b) => {
                self.word();
            }
            _ => self.pos += 1,
        }
    }

    fn skip_literal(&mut self) {
        self.pos += 1;
        let mut depth = 1;
        while let Some(&c) = self.data.get(self.pos) {
            self.pos += 1;
            match c {
                b'\\' => self.pos += 1,
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        return;
                    }
                }
                _ => {}
            }
        }
    }

    /// Skips an array or dictionary (opener at `pos`), with nested objects.
    fn skip_nested(&mut self, open: &[u8], close: &[u8]) {
        self.pos += open.len();
        loop {
            self.skip_space();
            if self.pos >= self.data.len() {
                return;
            }
            if self.data[self.pos..].starts_with(close) {
                self.pos += close.len();
                return;
            }
            self.skip_object();
        }
    }

    /// A name, number, or an object skipped whole (string, hex string,
    /// array, dictionary), starting at `b`.
    fn operand(&mut self, b: u8) -> Operand<'a> {
        match b {
            b'/' => Operand::Name(self.name()),
            b'(' | b'<' | b'[' => {
                self.skip_object();
                Operand::Other
            }
            _ => Operand::Num(self.number()),
        }
    }

    /// After `BI`: key/value pairs up to `ID`, then the samples up to `EI`.
    fn inline_image(&mut self, ops: &mut Vec<Operand<'a>>) {
        loop {
            self.skip_space();
            let Some(&b) = self.data.get(self.pos) else { return };
            match b {
                b'/' | b'0'..=b'9' | b'+' | b'-' | b'.' | b'(' | b'<' | b'[' => ops.push(self.operand(b)),
                _ if is_regular(b) => {
                    let w = self.word();
                    match w {
                        b"ID" => break,
                        b"true" => ops.push(Operand::Bool(true)),
                        b"false" => ops.push(Operand::Bool(false)),
                        _ => ops.push(Operand::Other),
                    }
                }
                _ => self.pos += 1,
            }
        }
        // One white-space byte, then binary data ending at a delimited "EI".
        self.pos += 1;
        let d = self.data;
        let mut i = self.pos;
        while i + 1 < d.len() {
            if d[i] == b'E'
                && d[i + 1] == b'I'
                && (i == 0 || is_white(d[i - 1]))
                && d.get(i + 2).is_none_or(|&c| is_white(c) || is_delim(c))
            {
                self.pos = i + 2;
                return;
            }
            i += 1;
        }
        self.pos = d.len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ops(src: &[u8]) -> Vec<(String, Vec<Operand<'_>>)> {
        let mut lx = Lexer::new(src);
        let mut out = Vec::new();
        let mut buf = Vec::new();
        while let Some(op) = lx.next_op(&mut buf) {
            out.push((String::from_utf8_lossy(op).into_owned(), buf.clone()));
        }
        out
    }

    #[test]
    fn numbers_names_and_skipped_objects() {
        let got = ops(b"q 1 0 0 -1.5 .25 -3 cm /GS0 gs [(a]b) <41> [1 2]] TJ (x\\)y(z)) Tj % c\n0.5 g Q");
        let names: Vec<&str> = got.iter().map(|(o, _)| o.as_str()).collect();
        assert_eq!(names, ["q", "cm", "gs", "TJ", "Tj", "g", "Q"]);
        assert_eq!(
            got[1].1,
            vec![
                Operand::Num(1.0),
                Operand::Num(0.0),
                Operand::Num(0.0),
                Operand::Num(-1.5),
                Operand::Num(0.25),
                Operand::Num(-3.0)
            ]
        );
        assert_eq!(got[2].1, vec![Operand::Name(b"GS0")]);
        assert_eq!(got[3].1, vec![Operand::Other]);
        assert_eq!(got[5].1, vec![Operand::Num(0.5)]);
    }

    #[test]
    fn inline_image_is_one_operator() {
        let got = ops(b"BI /W 4 /H 2 /CS /RGB /BPC 8 ID \x00EI\xffEIx\n EI Q");
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].0, "BI");
        assert_eq!(got[0].1[0], Operand::Name(b"W"));
        assert_eq!(got[0].1[5], Operand::Name(b"RGB"));
        assert_eq!(got[1].0, "Q");
    }

    #[test]
    fn marked_content_dicts_are_skipped() {
        let got = ops(b"/Span <</ActualText (\\(>>) /N <<>> >> BDC EMC");
        assert_eq!(got[0].0, "BDC");
        assert_eq!(got[0].1, vec![Operand::Name(b"Span"), Operand::Other]);
        assert_eq!(got[1].0, "EMC");
    }
}
