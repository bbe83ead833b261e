//! Collecting policy violations and turning them into one readable test failure.
//!
//! A check does not stop at the first problem: it records every violation it finds in a
//! [`Report`], and the test ends with [`Report::assert_ok`], which fails the test with the
//! whole list. Each line names the file, the place in it and what to do:
//!
//! ```text
//! deploy/deployment.yaml: spec.template.spec.containers[0].resources.limits.memory is missing: set a memory limit so one pod cannot starve a node
//! ```

use std::fmt;

use crate::yaml::Node;

/// One broken rule: where, what is wrong, and why it matters or how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Path of the file relative to the project root, with `/` separators.
    pub file: String,
    /// What is wrong, starting with the place: `spec.replicas is 1`, `line 3 (FROM rust:latest)...`.
    pub problem: String,
    /// Why the rule exists, or what to change.
    pub advice: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.file, self.problem, self.advice)
    }
}

/// The violations found by one test.
#[derive(Debug, Default)]
pub struct Report {
    violations: Vec<Violation>,
}

impl Report {
    /// An empty report.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a problem with a whole file (or a place you describe yourself).
    pub fn fail(&mut self, file: &str, problem: impl Into<String>, advice: impl Into<String>) {
        let v = Violation {
            file: file.to_string(),
            problem: problem.into(),
            advice: advice.into(),
        };
        // The same file problem (say, a YAML syntax error) may be reached twice; say it once.
        if !self.violations.contains(&v) {
            self.violations.push(v);
        }
    }

    /// Records a problem at a YAML node: the message starts with the node's path.
    /// `problem` continues the sentence: `"is 1"` gives `spec.replicas is 1`.
    pub fn at(&mut self, node: &Node<'_>, problem: impl AsRef<str>, advice: impl Into<String>) {
        let problem = problem.as_ref();
        let place = node.path();
        let text = if place.is_empty() {
            problem.to_string()
        } else {
            format!("{place} {problem}")
        };
        self.fail(node.file(), text, advice);
    }

    /// Records that a required field is absent (or `null`).
    pub fn missing(&mut self, node: &Node<'_>, advice: impl Into<String>) {
        self.at(node, "is missing", advice);
    }

    /// Adds violations found elsewhere, for example while loading files.
    pub fn extend(&mut self, violations: impl IntoIterator<Item = Violation>) {
        for v in violations {
            if !self.violations.contains(&v) {
                self.violations.push(v);
            }
        }
    }

    /// The violations recorded so far.
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }

    /// `true` when nothing was recorded.
    pub fn is_ok(&self) -> bool {
        self.violations.is_empty()
    }

    /// Passes when no violation was recorded; otherwise fails the calling test with the
    /// numbered list of violations.
    #[track_caller]
    pub fn assert_ok(self) {
        if self.violations.is_empty() {
            return;
        }
        let mut text = format!(
            "{} problem{} found:\n",
            self.violations.len(),
            if self.violations.len() == 1 { "" } else { "s" }
        );
        for (i, v) in self.violations.iter().enumerate() {
            text.push_str(&format!("  {}. {}\n", i + 1, v));
        }
        panic!("{text}");
    }
}
