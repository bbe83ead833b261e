//! Just enough Markdown for a runbook: ATX headings (`## Rollback`), their sections, the
//! anchors GitHub gives them, and fenced code blocks.

use std::collections::HashMap;

/// A heading outside code blocks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1 for `#`, 2 for `##`...
    pub level: usize,
    /// The text after the `#`s, trimmed, closing `#`s removed.
    pub text: String,
    /// Line number, from 1.
    pub line: usize,
    /// The anchor GitHub generates for it (see [`slug`]); repeated headings get `-1`, `-2`...
    pub anchor: String,
}

/// A heading and the lines under it, up to the next heading of the same or a higher level
/// (so a `##` section includes its `###` subsections).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The heading that starts the section.
    pub heading: Heading,
    /// `(line number, text)` of every line in the section, headings of subsections included.
    pub lines: Vec<(usize, String)>,
}

impl Section {
    /// `true` when the section has a line that is neither blank nor a heading.
    pub fn has_content(&self) -> bool {
        self.lines.iter().any(|(_, l)| {
            let t = l.trim();
            !t.is_empty() && heading_of(t).is_none()
        })
    }

    /// `true` when the section contains a fenced code block (```` ``` ```` or `~~~`).
    pub fn has_code_block(&self) -> bool {
        self.lines.iter().any(|(_, l)| is_fence(l))
    }

    /// Lines that contain `TODO`.
    pub fn todo_lines(&self) -> Vec<usize> {
        self.lines
            .iter()
            .filter(|(_, l)| l.contains("TODO"))
            .map(|(n, _)| *n)
            .collect()
    }
}

/// The anchor GitHub generates for a heading: lower case, every character that is not a
/// letter, digit, space, `-` or `_` removed, spaces turned into `-`.
/// `slug("Alerts: HighErrorRate")` is `"alerts-higherrorrate"`.
pub fn slug(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-' || *c == '_')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

fn is_fence(line: &str) -> bool {
    let t = line.trim_start();
    line.len() - t.len() <= 3 && (t.starts_with("```") || t.starts_with("~~~"))
}

/// `Some((level, text))` when `line` is an ATX heading.
fn heading_of(line: &str) -> Option<(usize, String)> {
    let t = line.trim_start();
    if line.len() - t.len() > 3 {
        return None;
    }
    let level = t.chars().take_while(|c| *c == '#').count();
    if level == 0 || level > 6 {
        return None;
    }
    let rest = &t[level..];
    if !(rest.is_empty() || rest.starts_with(' ') || rest.starts_with('\t')) {
        return None;
    }
    let text = rest.trim().trim_end_matches('#').trim_end().to_string();
    Some((level, text))
}

/// Every heading outside fenced code blocks, in order, with GitHub anchors.
pub fn headings(text: &str) -> Vec<Heading> {
    sections(text).into_iter().map(|s| s.heading).collect()
}

/// Every section, in order.
pub fn sections(text: &str) -> Vec<Section> {
    let mut found: Vec<(Heading, usize)> = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    let mut in_code = false;
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, line) in lines.iter().enumerate() {
        if is_fence(line) {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        if let Some((level, text)) = heading_of(line) {
            let base = slug(&text);
            let count = seen.entry(base.clone()).or_insert(0);
            let anchor = if *count == 0 {
                base.clone()
            } else {
                format!("{base}-{count}")
            };
            *count += 1;
            found.push((
                Heading {
                    level,
                    text,
                    line: i + 1,
                    anchor,
                },
                i,
            ));
        }
    }
    let mut out = Vec::new();
    for (k, (heading, start)) in found.iter().enumerate() {
        let end = found[k + 1..]
            .iter()
            .find(|(h, _)| h.level <= heading.level)
            .map(|(_, idx)| *idx)
            .unwrap_or(lines.len());
        let body = (start + 1..end)
            .map(|i| (i + 1, lines[i].to_string()))
            .collect();
        out.push(Section {
            heading: heading.clone(),
            lines: body,
        });
    }
    out
}
