//! A small Dockerfile parser: enough of the syntax to check a multi-stage build.
//!
//! It understands comments, parser directives, line continuations with `\`, heredocs
//! (`RUN <<EOF ... EOF`), `--flag=value` options, `FROM image AS name`, global `ARG`
//! defaults used in `FROM`, and the JSON ("exec") form of `CMD`/`ENTRYPOINT`. It does not
//! run anything and does not expand variables outside `FROM`.

use std::collections::HashMap;

/// One instruction, with the line it starts on (from 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instruction {
    /// Line number where the instruction starts.
    pub line: usize,
    /// The keyword in upper case: `FROM`, `COPY`, `RUN`...
    pub keyword: String,
    /// `--name=value` options before the arguments (`--from=build` gives
    /// `("from", Some("build"))`, `--link` gives `("link", None)`).
    pub flags: Vec<(String, Option<String>)>,
    /// Everything after the keyword and the options, continuation lines joined by a space.
    pub args: String,
    /// Lines of a heredoc body, if the instruction has one.
    pub heredoc: Vec<String>,
}

impl Instruction {
    /// The value of option `--name`, if given.
    pub fn flag(&self, name: &str) -> Option<&str> {
        self.flags
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_deref().unwrap_or(""))
    }

    /// A short quote for messages: `line 3 (FROM rust:latest)`.
    pub fn quote(&self) -> String {
        let mut text = self.keyword.clone();
        for (name, value) in &self.flags {
            match value {
                Some(v) => text.push_str(&format!(" --{name}={v}")),
                None => text.push_str(&format!(" --{name}")),
            }
        }
        text.push(' ');
        text.push_str(&self.args);
        if text.chars().count() > 60 {
            text = text.chars().take(57).collect::<String>() + "...";
        }
        format!("line {} ({})", self.line, text.trim_end())
    }

    /// The arguments in JSON array ("exec") form, if they are written that way:
    /// `["/usr/local/bin/demo-service", "--flag"]`.
    pub fn exec_form(&self) -> Option<Vec<String>> {
        parse_json_string_array(&self.args)
    }

    /// The arguments split at whitespace, or the JSON array form (for `COPY`, `EXPOSE`...).
    pub fn words(&self) -> Vec<String> {
        self.exec_form()
            .unwrap_or_else(|| self.args.split_whitespace().map(str::to_string).collect())
    }
}

/// One build stage: a `FROM` and the instructions up to the next `FROM`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    /// Position of the stage, from 0 (usable as `COPY --from=0`).
    pub index: usize,
    /// The base as written, with global `ARG` defaults substituted.
    pub base: String,
    /// The name after `AS`, lower-cased, if any.
    pub name: Option<String>,
    /// The `FROM` instruction itself.
    pub from: Instruction,
    /// The instructions after `FROM`.
    pub instructions: Vec<Instruction>,
}

impl Stage {
    /// The stage's instructions with this keyword.
    pub fn all(&self, keyword: &str) -> Vec<&Instruction> {
        self.instructions
            .iter()
            .filter(|i| i.keyword == keyword)
            .collect()
    }

    /// The last instruction with this keyword (the one that wins for `USER`, `CMD`...).
    pub fn last(&self, keyword: &str) -> Option<&Instruction> {
        self.instructions.iter().rev().find(|i| i.keyword == keyword)
    }

    /// How the stage is referred to in messages: `stage 2 ("runtime")` or `stage 1`.
    pub fn label(&self) -> String {
        match &self.name {
            Some(n) => format!("stage {} ({n:?})", self.index + 1),
            None => format!("stage {}", self.index + 1),
        }
    }
}

/// A parsed Dockerfile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dockerfile {
    /// Instructions before the first `FROM` (only `ARG` is allowed there).
    pub preamble: Vec<Instruction>,
    /// The build stages in order. The last one is the image that ships.
    pub stages: Vec<Stage>,
}

impl Dockerfile {
    /// Parses Dockerfile text. Errors name the line.
    pub fn parse(text: &str) -> Result<Dockerfile, String> {
        let instructions = split_instructions(text)?;
        let mut preamble = Vec::new();
        let mut stages: Vec<Stage> = Vec::new();
        let mut global_args: HashMap<String, String> = HashMap::new();
        for ins in instructions {
            if ins.keyword == "FROM" {
                let words: Vec<&str> = ins.args.split_whitespace().collect();
                let (image, name) = match words.as_slice() {
                    [image] => (*image, None),
                    [image, as_kw, name] if as_kw.eq_ignore_ascii_case("as") => {
                        (*image, Some(name.to_ascii_lowercase()))
                    }
                    _ => {
                        return Err(format!(
                            "line {}: FROM must be `FROM [--platform=...] image [AS name]`",
                            ins.line
                        ))
                    }
                };
                let base = substitute(image, &global_args).map_err(|v| {
                    format!(
                        "line {}: FROM uses ${v}, which has no default in an ARG before the first FROM",
                        ins.line
                    )
                })?;
                stages.push(Stage {
                    index: stages.len(),
                    base,
                    name,
                    from: ins,
                    instructions: Vec::new(),
                });
            } else if let Some(stage) = stages.last_mut() {
                stage.instructions.push(ins);
            } else if ins.keyword == "ARG" {
                for (k, v) in parse_arg(&ins.args) {
                    if let Some(v) = v {
                        global_args.insert(k, v);
                    }
                }
                preamble.push(ins);
            } else {
                return Err(format!(
                    "line {}: {} comes before the first FROM (only ARG may)",
                    ins.line, ins.keyword
                ));
            }
        }
        if stages.is_empty() {
            return Err("there is no FROM instruction".into());
        }
        Ok(Dockerfile { preamble, stages })
    }

    /// The stage that becomes the image: the last one.
    pub fn final_stage(&self) -> &Stage {
        self.stages.last().expect("parse guarantees at least one stage")
    }

    /// The stage a `--from=` value or a `FROM` base refers to among the stages before
    /// `before` (by name, case-insensitive, or by index).
    pub fn earlier_stage(&self, reference: &str, before: usize) -> Option<&Stage> {
        let reference = reference.to_ascii_lowercase();
        self.stages[..before.min(self.stages.len())]
            .iter()
            .find(|s| s.name.as_deref() == Some(reference.as_str()) || s.index.to_string() == reference)
    }
}

/// Joins continuation lines, drops comments and blank lines, reads heredocs.
fn split_instructions(text: &str) -> Result<Vec<Instruction>, String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut directives_allowed = true;
    while i < lines.len() {
        let trimmed = lines[i].trim();
        if trimmed.is_empty() {
            directives_allowed = false;
            i += 1;
            continue;
        }
        if let Some(comment) = trimmed.strip_prefix('#') {
            if directives_allowed {
                if let Some((key, value)) = comment.split_once('=') {
                    if key.trim().eq_ignore_ascii_case("escape") && value.trim() != "\\" {
                        return Err(format!(
                            "line {}: only the default escape character \\ is supported by these checks",
                            i + 1
                        ));
                    }
                }
            }
            i += 1;
            continue;
        }
        directives_allowed = false;
        let start = i;
        let mut joined = String::new();
        loop {
            let line = lines[i].trim_end();
            let is_comment = line.trim_start().starts_with('#') && i != start;
            let is_blank_continuation = line.trim().is_empty() && i != start;
            if !is_comment && !is_blank_continuation {
                match line.strip_suffix('\\') {
                    Some(head) => {
                        joined.push_str(head.trim());
                        joined.push(' ');
                    }
                    None => {
                        joined.push_str(line.trim());
                        break;
                    }
                }
            }
            i += 1;
            if i >= lines.len() {
                break;
            }
        }
        i += 1;
        let joined = joined.trim().to_string();
        let (keyword, rest) = match joined.split_once(char::is_whitespace) {
            Some((k, r)) => (k.to_ascii_uppercase(), r.trim().to_string()),
            None => (joined.to_ascii_uppercase(), String::new()),
        };
        if !keyword.chars().all(|c| c.is_ascii_alphabetic()) {
            return Err(format!("line {}: {keyword:?} is not an instruction", start + 1));
        }
        let (flags, args) = split_flags(&rest);
        let mut heredoc = Vec::new();
        if let Some(end) = heredoc_terminator(&args) {
            let strip_tabs = args.contains("<<-");
            loop {
                if i >= lines.len() {
                    return Err(format!(
                        "line {}: heredoc is not closed by a line {end:?}",
                        start + 1
                    ));
                }
                let body = lines[i];
                i += 1;
                let candidate = if strip_tabs { body.trim_start_matches('\t') } else { body };
                if candidate == end {
                    break;
                }
                heredoc.push(body.to_string());
            }
        }
        out.push(Instruction {
            line: start + 1,
            keyword,
            flags,
            args,
            heredoc,
        });
    }
    Ok(out)
}

/// Splits leading `--name[=value]` options off the arguments.
fn split_flags(rest: &str) -> (Vec<(String, Option<String>)>, String) {
    let mut flags = Vec::new();
    let mut remaining = rest.trim_start();
    while let Some(after) = remaining.strip_prefix("--") {
        let end = after.find(char::is_whitespace).unwrap_or(after.len());
        let flag = &after[..end];
        match flag.split_once('=') {
            Some((n, v)) => flags.push((n.to_ascii_lowercase(), Some(v.to_string()))),
            None => flags.push((flag.to_ascii_lowercase(), None)),
        }
        remaining = after[end..].trim_start();
    }
    (flags, remaining.to_string())
}

/// The word that ends a heredoc started in `args` (`<<EOF`, `<<-EOF`, `<<"EOF"`).
fn heredoc_terminator(args: &str) -> Option<String> {
    let pos = args.find("<<")?;
    let after = args[pos + 2..].trim_start_matches('-');
    let word: String = after
        .trim_matches(|c| c == '"' || c == '\'')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    if word.is_empty() {
        None
    } else {
        Some(word)
    }
}

/// `ARG NAME=value OTHER` → `[("NAME", Some("value")), ("OTHER", None)]`.
fn parse_arg(args: &str) -> Vec<(String, Option<String>)> {
    args.split_whitespace()
        .map(|w| match w.split_once('=') {
            Some((k, v)) => (k.to_string(), Some(v.trim_matches('"').to_string())),
            None => (w.to_string(), None),
        })
        .collect()
}

/// Replaces `$NAME`, `${NAME}` and `${NAME:-default}` with ARG defaults.
fn substitute(text: &str, args: &HashMap<String, String>) -> Result<String, String> {
    let mut out = String::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '$' {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let (name, default, next) = if chars.get(i + 1) == Some(&'{') {
            let close = chars[i..]
                .iter()
                .position(|c| *c == '}')
                .map(|p| p + i)
                .ok_or_else(|| "{".to_string())?;
            let inner: String = chars[i + 2..close].iter().collect();
            match inner.split_once(":-") {
                Some((n, d)) => (n.to_string(), Some(d.to_string()), close + 1),
                None => (inner, None, close + 1),
            }
        } else {
            let name: String = chars[i + 1..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == '_')
                .collect();
            let next = i + 1 + name.chars().count();
            (name, None, next)
        };
        match args.get(&name).filter(|v| !v.is_empty()).or(default.as_ref()) {
            Some(v) => out.push_str(v),
            None => return Err(name),
        }
        i = next;
    }
    Ok(out)
}

/// Parses `["a", "b\"c"]`: a JSON array of strings with double quotes, as Docker requires
/// for the exec form. `None` for anything else (which Docker treats as shell form).
pub fn parse_json_string_array(text: &str) -> Option<Vec<String>> {
    let inner = text.trim().strip_prefix('[')?.strip_suffix(']')?;
    let mut out = Vec::new();
    let mut chars = inner.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        match chars.next() {
            None if out.is_empty() => return Some(out),
            Some('"') => {}
            _ => return None,
        }
        let mut s = String::new();
        loop {
            match chars.next()? {
                '"' => break,
                '\\' => match chars.next()? {
                    'n' => s.push('\n'),
                    't' => s.push('\t'),
                    other => s.push(other),
                },
                c => s.push(c),
            }
        }
        out.push(s);
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        match chars.next() {
            None => return Some(out),
            Some(',') => {}
            _ => return None,
        }
    }
}
