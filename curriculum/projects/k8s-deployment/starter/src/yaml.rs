//! Reading YAML files (one or many documents) and walking them with readable paths.
//!
//! [`Node`] is a cursor into a parsed document that remembers how it got there, so a check
//! can say `spec.template.spec.containers[0].image` instead of "somewhere in the file".
//! Walking past a missing key is not an error: you get a node whose value is `None`, and
//! the check decides whether that matters.

use serde::Deserialize;
use serde_yaml::Value;

use crate::report::Violation;

/// One YAML document from a file. A file with `---` separators gives several.
#[derive(Debug, Clone)]
pub struct Doc {
    /// Path relative to the project root, with `/` separators.
    pub file: String,
    /// Position of the document in its file, from 0.
    pub index: usize,
    /// The parsed document.
    pub value: Value,
}

impl Doc {
    /// A cursor at the root of the document.
    pub fn root(&self) -> Node<'_> {
        Node::root(&self.file, &self.value)
    }
}

/// Parses every document in `text`. Empty documents (a lone `---`, or a file of comments)
/// are skipped. A syntax error becomes a [`Violation`] that quotes the parser's message,
/// which includes the line and column.
pub fn parse_documents(file: &str, text: &str) -> Result<Vec<Doc>, Violation> {
    let mut docs = Vec::new();
    // Rust note: `Deserializer::from_str` is an iterator with one item per YAML document;
    // `Value::deserialize` turns each into a tree of `serde_yaml::Value`.
    for (index, de) in serde_yaml::Deserializer::from_str(text).enumerate() {
        match Value::deserialize(de) {
            Ok(Value::Null) => {}
            Ok(value) => docs.push(Doc {
                file: file.to_string(),
                index,
                value,
            }),
            Err(e) => {
                return Err(Violation {
                    file: file.to_string(),
                    problem: format!("is not valid YAML ({e})"),
                    advice: "fix the syntax first: every tool that reads this file would reject it too".into(),
                })
            }
        }
    }
    Ok(docs)
}

/// Parses a file that must hold exactly one YAML document.
pub fn parse_single(file: &str, text: &str) -> Result<Doc, Violation> {
    let mut docs = parse_documents(file, text)?;
    match docs.len() {
        1 => Ok(docs.remove(0)),
        0 => Err(Violation {
            file: file.to_string(),
            problem: "is empty".into(),
            advice: "it must contain one YAML document".into(),
        }),
        n => Err(Violation {
            file: file.to_string(),
            problem: format!("contains {n} YAML documents"),
            advice: "this file must contain exactly one document (remove the extra `---`)".into(),
        }),
    }
}

/// A position in a YAML document: the file, the path that led here, and the value there
/// (`None` when the path does not exist).
#[derive(Debug, Clone)]
pub struct Node<'a> {
    file: &'a str,
    path: String,
    value: Option<&'a Value>,
}

impl<'a> Node<'a> {
    /// The root of a document.
    pub fn root(file: &'a str, value: &'a Value) -> Self {
        Node {
            file,
            path: String::new(),
            value: Some(value),
        }
    }

    /// The file this node belongs to.
    pub fn file(&self) -> &'a str {
        self.file
    }

    /// The path from the document root, like `spec.template.spec.containers[0]`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The value here, or `None` when the path does not exist. A YAML `null` counts as
    /// missing too (`limits:` with nothing after it is `null`).
    pub fn value(&self) -> Option<&'a Value> {
        match self.value {
            Some(Value::Null) | None => None,
            v => v,
        }
    }

    /// `true` when there is a non-null value here.
    pub fn exists(&self) -> bool {
        self.value().is_some()
    }

    /// The child under `key` of a mapping. Keys with characters other than letters,
    /// digits, `_` and `-` are written `["app.kubernetes.io/name"]` in the path.
    pub fn get(&self, key: &str) -> Node<'a> {
        let value = match self.value() {
            Some(Value::Mapping(m)) => m.get(&Value::String(key.to_string())),
            _ => None,
        };
        self.child(key, value)
    }

    fn child(&self, key: &str, value: Option<&'a Value>) -> Node<'a> {
        let simple = !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        let path = match (self.path.is_empty(), simple) {
            (true, true) => key.to_string(),
            (false, true) => format!("{}.{}", self.path, key),
            (_, false) => format!("{}[{:?}]", self.path, key),
        };
        Node {
            file: self.file,
            path,
            value,
        }
    }

    /// Follows several keys: `node.dig(&["spec", "template", "spec"])`.
    pub fn dig(&self, keys: &[&str]) -> Node<'a> {
        keys.iter().fold(self.clone(), |n, k| n.get(k))
    }

    /// The element at `index` of a sequence.
    pub fn index(&self, index: usize) -> Node<'a> {
        let value = match self.value() {
            Some(Value::Sequence(s)) => s.get(index),
            _ => None,
        };
        Node {
            file: self.file,
            path: format!("{}[{}]", self.path, index),
            value,
        }
    }

    /// The elements of a sequence (empty when this is not a sequence).
    pub fn items(&self) -> Vec<Node<'a>> {
        match self.value() {
            Some(Value::Sequence(s)) => (0..s.len()).map(|i| self.index(i)).collect(),
            _ => Vec::new(),
        }
    }

    /// The entries of a mapping whose keys are scalars (numbers and booleans are shown as
    /// text), in file order. Empty when this is not a mapping.
    pub fn entries(&self) -> Vec<(String, Node<'a>)> {
        match self.value() {
            Some(Value::Mapping(m)) => m
                .iter()
                .filter_map(|(k, v)| scalar_text(k).map(|k| (k, v)))
                .map(|(k, v)| {
                    let child = self.child(&k, Some(v));
                    (k, child)
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// `true` when the value is a mapping.
    pub fn is_mapping(&self) -> bool {
        matches!(self.value(), Some(Value::Mapping(_)))
    }

    /// `true` when the value is a sequence.
    pub fn is_sequence(&self) -> bool {
        matches!(self.value(), Some(Value::Sequence(_)))
    }

    /// The value when it is a string.
    pub fn as_str(&self) -> Option<&'a str> {
        match self.value() {
            Some(Value::String(s)) => Some(s.as_str()),
            _ => None,
        }
    }

    /// The value when it is an integer.
    pub fn as_i64(&self) -> Option<i64> {
        self.value().and_then(Value::as_i64)
    }

    /// The value when it is a number (integer or float).
    pub fn as_f64(&self) -> Option<f64> {
        self.value().and_then(Value::as_f64)
    }

    /// The value when it is a boolean. Only `true` and `false` are booleans here; `yes`,
    /// `on` and `"true"` are strings.
    pub fn as_bool(&self) -> Option<bool> {
        self.value().and_then(Value::as_bool)
    }

    /// A scalar (string, number or boolean) as text; `None` for mappings, sequences and
    /// missing values.
    pub fn text(&self) -> Option<String> {
        self.value().and_then(scalar_text)
    }

    /// The value as a list of strings: a sequence of scalars, or a single scalar as a
    /// one-element list (GitHub Actions allows `needs: build` and `needs: [build]`).
    pub fn string_list(&self) -> Vec<String> {
        match self.value() {
            Some(Value::Sequence(s)) => s.iter().filter_map(scalar_text).collect(),
            Some(v) => scalar_text(v).into_iter().collect(),
            None => Vec::new(),
        }
    }

    /// A mapping of scalars as `(key, text)` pairs, in file order (labels, annotations,
    /// selectors, ConfigMap data).
    pub fn string_map(&self) -> Vec<(String, String)> {
        self.entries()
            .into_iter()
            .filter_map(|(k, v)| v.text().map(|t| (k, t)))
            .collect()
    }

    /// A short rendering of the value for messages: `1`, `"latest"`, `a mapping`.
    pub fn describe(&self) -> String {
        match self.value() {
            None => "missing".to_string(),
            Some(Value::String(s)) => format!("{s:?}"),
            Some(Value::Mapping(_)) => "a mapping".to_string(),
            Some(Value::Sequence(_)) => "a list".to_string(),
            Some(v) => scalar_text(v).unwrap_or_default(),
        }
    }

    /// Every string anywhere below this node (values, not keys), with its node. Used to
    /// search a whole workflow or job for text such as `:latest`.
    pub fn all_strings(&self) -> Vec<(Node<'a>, &'a str)> {
        let mut out = Vec::new();
        self.collect_strings(&mut out);
        out
    }

    fn collect_strings(&self, out: &mut Vec<(Node<'a>, &'a str)>) {
        match self.value() {
            Some(Value::String(s)) => out.push((self.clone(), s.as_str())),
            Some(Value::Sequence(_)) => {
                for item in self.items() {
                    item.collect_strings(out);
                }
            }
            Some(Value::Mapping(_)) => {
                for (_, child) in self.entries() {
                    child.collect_strings(out);
                }
            }
            _ => {}
        }
    }
}

/// A scalar value as text (`8080`, `true`, `"abc"` → `abc`); `None` for other values.
pub fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}
