//! Text measured with the bundled DejaVu Sans, so wrapping and truncation
//! are the same on every machine and match what resvg draws (it is given
//! the same two font files and nothing else). Advances are summed without
//! kerning, which only ever overestimates a line's width: a line we accept
//! always fits.

use std::sync::OnceLock;

pub const FONT_FAMILY: &str = "DejaVu Sans";
pub static REGULAR: &[u8] = include_bytes!("../../../../assets/fonts/DejaVuSans.ttf");
pub static BOLD: &[u8] = include_bytes!("../../../../assets/fonts/DejaVuSans-Bold.ttf");

fn face(bold: bool) -> &'static ttf_parser::Face<'static> {
    static R: OnceLock<ttf_parser::Face<'static>> = OnceLock::new();
    static B: OnceLock<ttf_parser::Face<'static>> = OnceLock::new();
    let (cell, bytes) = if bold { (&B, BOLD) } else { (&R, REGULAR) };
    cell.get_or_init(|| ttf_parser::Face::parse(bytes, 0).expect("bundled DejaVu Sans parses"))
}

/// Width in pixels of `text` at `size` px.
pub fn measure(text: &str, size: f32, bold: bool) -> f32 {
    let face = face(bold);
    let units = f32::from(face.units_per_em());
    let fallback = face
        .glyph_index('?')
        .and_then(|g| face.glyph_hor_advance(g))
        .unwrap_or(0);
    let total: u32 = text
        .chars()
        .map(|c| {
            let advance = face
                .glyph_index(c)
                .and_then(|g| face.glyph_hor_advance(g))
                .unwrap_or(fallback);
            u32::from(advance)
        })
        .sum();
    total as f32 * size / units
}

/// Lines that fit a box, and whether the text had to be cut to fit.
#[derive(Debug, Clone, PartialEq)]
pub struct Wrapped {
    pub lines: Vec<String>,
    pub truncated: bool,
}

const ELLIPSIS: char = '…';

/// Cuts `line` (adding an ellipsis) until it fits `width`.
fn ellipsize(line: &str, width: f32, size: f32, bold: bool) -> String {
    let mut chars: Vec<char> = line.trim_end().chars().collect();
    loop {
        let candidate: String = chars.iter().collect::<String>().trim_end().to_string() + "…";
        if chars.is_empty() || measure(&candidate, size, bold) <= width {
            return if chars.is_empty() {
                ELLIPSIS.to_string()
            } else {
                candidate
            };
        }
        chars.pop();
    }
}

/// Greedy word wrap into at most `max_lines` lines of `width` px; a word
/// longer than a line is broken by characters. Overflow ends the last line
/// with an ellipsis and sets `truncated`.
pub fn wrap(text: &str, width: f32, size: f32, bold: bool, max_lines: usize) -> Wrapped {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut overflow = false;
    'words: for word in words {
        let candidate = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if measure(&candidate, size, bold) <= width {
            current = candidate;
            continue;
        }
        if !current.is_empty() {
            lines.push(std::mem::take(&mut current));
            if lines.len() == max_lines {
                overflow = true;
                break 'words;
            }
        }
        // The word alone: break it by characters if it is wider than a line.
        for c in word.chars() {
            let mut next = current.clone();
            next.push(c);
            if measure(&next, size, bold) > width && !current.is_empty() {
                lines.push(std::mem::take(&mut current));
                if lines.len() == max_lines {
                    overflow = true;
                    break 'words;
                }
                current.push(c);
            } else {
                current = next;
            }
        }
    }
    if !overflow && !current.is_empty() {
        lines.push(current);
    }
    if max_lines == 0 {
        return Wrapped {
            lines: Vec::new(),
            truncated: !text.trim().is_empty(),
        };
    }
    if overflow {
        if let Some(last) = lines.last_mut() {
            *last = ellipsize(last, width, size, bold);
        }
    }
    Wrapped {
        lines,
        truncated: overflow,
    }
}

/// Cuts text to at most `limit` characters, the last one an ellipsis.
pub fn cut_to_chars(text: &str, limit: u32) -> Option<String> {
    let count = text.chars().count();
    if count <= limit as usize {
        return None;
    }
    let keep: String = text
        .chars()
        .take(limit.saturating_sub(1) as usize)
        .collect();
    Some(format!("{}{ELLIPSIS}", keep.trim_end()))
}

/// Escapes text for an XML text node or a double-quoted attribute. Every
/// piece of text the renderer writes goes through this; control characters
/// XML 1.0 forbids are dropped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wider_text_measures_wider_and_bold_is_wider() {
        let a = measure("Kestrel", 20.0, false);
        assert!(a > 50.0 && a < 100.0, "{a}");
        assert!(measure("Kestrel K7", 20.0, false) > a);
        assert!(measure("Kestrel", 20.0, true) > a);
        assert_eq!(measure("Kestrel", 40.0, false), 2.0 * a);
    }

    #[test]
    fn wrapping_keeps_lines_inside_the_box_and_flags_what_is_cut() {
        let text = "Kestrel K7 Full-Frame Mirrorless Camera with a very long name";
        let w = wrap(text, 200.0, 20.0, true, 2);
        assert_eq!(w.lines.len(), 2);
        assert!(w.truncated);
        assert!(w.lines[1].ends_with('…'));
        for line in &w.lines {
            assert!(measure(line, 20.0, true) <= 200.0, "{line}");
        }
        let fits = wrap("Kestrel K7", 200.0, 20.0, true, 2);
        assert_eq!(fits.lines, vec!["Kestrel K7".to_string()]);
        assert!(!fits.truncated);
        let long_word = wrap("Supercalifragilisticexpialidocious", 80.0, 20.0, false, 3);
        assert!(long_word.lines.len() > 1);
        for line in &long_word.lines {
            assert!(measure(line, 20.0, false) <= 80.0, "{line}");
        }
    }

    #[test]
    fn cutting_to_a_character_limit() {
        assert_eq!(cut_to_chars("short", 30), None);
        let cut = cut_to_chars("Kestrel K7 Full-Frame Mirrorless Camera", 30).unwrap();
        assert_eq!(cut.chars().count(), 30);
        assert!(cut.ends_with('…'));
    }

    #[test]
    fn escaping_leaves_no_markup() {
        assert_eq!(
            escape(r#"</text><script>alert("x")</script>&'"#),
            "&lt;/text&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&apos;"
        );
        assert_eq!(escape("a\u{0}b\u{1b}c"), "abc");
    }
}
