//! GitHub Actions workflows: jobs, the `needs` graph, steps, and what a job does.

use std::collections::BTreeSet;

use crate::report::Violation;
use crate::yaml::{Doc, Node};

/// The workflow file the checks read.
pub const WORKFLOW_FILE: &str = ".github/workflows/ci.yml";

/// A parsed workflow file.
#[derive(Debug, Clone)]
pub struct Workflow {
    /// The parsed document.
    pub doc: Doc,
}

/// What a job does, recognised from its steps (a job can be several at once).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A step runs `cargo test`.
    Test,
    /// A step pushes an image: `docker/build-push-action` with `push: true` (or an
    /// expression), or a `run` script with `docker push` or `docker buildx build ... --push`.
    Build,
    /// A step deploys: a `run` script calling `kubectl` or `helm upgrade`/`helm install`,
    /// or the `azure/k8s-deploy` action.
    Deploy,
}

impl Workflow {
    /// Reads and parses [`WORKFLOW_FILE`].
    pub fn load() -> Result<Workflow, Violation> {
        crate::load_yaml(WORKFLOW_FILE).map(|doc| Workflow { doc })
    }

    /// The root of the document.
    pub fn root(&self) -> Node<'_> {
        self.doc.root()
    }

    /// The `on:` section. (YAML 1.1 parsers read a bare `on` as the boolean `true`; that
    /// spelling is accepted too.)
    pub fn on(&self) -> Node<'_> {
        let root = self.root();
        let on = root.get("on");
        if on.exists() {
            return on;
        }
        root.entries()
            .into_iter()
            .find(|(k, _)| k == "true")
            .map(|(_, v)| v)
            .unwrap_or(on)
    }

    /// The events that start the workflow: `push`, `pull_request`, `workflow_dispatch`...
    pub fn events(&self) -> Vec<String> {
        let on = self.on();
        if on.is_mapping() {
            on.entries().into_iter().map(|(k, _)| k).collect()
        } else {
            on.string_list()
        }
    }

    /// `true` when `push` runs only for the branch `main`: `branches: [main]`, no
    /// `branches-ignore`, no `tags`.
    pub fn push_only_on_main(&self) -> bool {
        let push = self.on().get("push");
        push.is_mapping()
            && push.get("branches").string_list() == ["main"]
            && !push.get("branches-ignore").exists()
            && !push.get("tags").exists()
    }

    /// The jobs as `(id, job)`, in file order.
    pub fn jobs(&self) -> Vec<(String, Node<'_>)> {
        self.root().get("jobs").entries()
    }

    /// The job with this id.
    pub fn job(&self, id: &str) -> Option<Node<'_>> {
        self.jobs().into_iter().find(|(k, _)| k == id).map(|(_, j)| j)
    }

    /// The ids a job lists in `needs` (a single id or a list).
    pub fn needs(&self, id: &str) -> Vec<String> {
        self.job(id).map(|j| j.get("needs").string_list()).unwrap_or_default()
    }

    /// Every job `id` waits for, directly or through other jobs. Cycles and unknown ids do
    /// not loop forever.
    pub fn all_needs(&self, id: &str) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut todo = self.needs(id);
        while let Some(n) = todo.pop() {
            if seen.insert(n.clone()) {
                todo.extend(self.needs(&n));
            }
        }
        seen
    }

    /// The ids of the jobs that have `role`.
    pub fn jobs_with(&self, role: Role) -> Vec<String> {
        self.jobs()
            .into_iter()
            .filter(|(_, j)| roles(j).contains(&role))
            .map(|(id, _)| id)
            .collect()
    }

    /// `true` when the job only runs for commits on `main`: its own `if:` is a main guard
    /// (see [`Workflow::is_main_guard`]), or its `if:` has no status function (`always()`,
    /// `failure()`, `cancelled()`) and one of the jobs it needs only runs on `main` (a job
    /// whose need was skipped is skipped too).
    pub fn runs_only_on_main(&self, id: &str) -> bool {
        self.gated(id, &mut BTreeSet::new(), &|w, cond| w.is_main_guard(cond))
    }

    /// `true` when the job cannot run for a pull request: the workflow has no
    /// `pull_request`/`pull_request_target` trigger, or the job (or, as above, a job it
    /// needs) has an `if:` that is a main guard or requires `github.event_name == 'push'`
    /// (without `||`).
    pub fn never_runs_for_pull_requests(&self, id: &str) -> bool {
        let events = self.events();
        if !events.iter().any(|e| e == "pull_request" || e == "pull_request_target") {
            return true;
        }
        self.gated(id, &mut BTreeSet::new(), &|w, cond| {
            let n = normalize(cond);
            w.is_main_guard(cond)
                || (!n.contains("||")
                    && (n.contains("github.event_name=='push'") || n.contains("'push'==github.event_name")))
        })
    }

    fn gated(
        &self,
        id: &str,
        seen: &mut BTreeSet<String>,
        guard: &dyn Fn(&Workflow, &str) -> bool,
    ) -> bool {
        if !seen.insert(id.to_string()) {
            return false;
        }
        let Some(job) = self.job(id) else {
            return false;
        };
        let cond = job.get("if").text().unwrap_or_default();
        if guard(self, &cond) {
            return true;
        }
        let n = normalize(&cond);
        if n.contains("always()") || n.contains("failure()") || n.contains("cancelled()") {
            return false;
        }
        self.needs(id)
            .iter()
            .any(|need| self.gated(need, &mut seen.clone(), guard))
    }

    /// `true` when an `if:` expression holds only for commits on `main`. After removing
    /// whitespace, `${{ }}` and turning `"` into `'`, it must contain
    /// `github.ref=='refs/heads/main'` or `github.ref_name=='main'` (either side first),
    /// or `github.event_name=='push'` when `push` is limited to `main`; and it must not
    /// contain `||`, which could make it true another way.
    pub fn is_main_guard(&self, condition: &str) -> bool {
        let n = normalize(condition);
        if n.contains("||") {
            return false;
        }
        let main_ref = [
            "github.ref=='refs/heads/main'",
            "'refs/heads/main'==github.ref",
            "github.ref_name=='main'",
            "'main'==github.ref_name",
        ]
        .iter()
        .any(|p| n.contains(p));
        let push_on_main = (n.contains("github.event_name=='push'")
            || n.contains("'push'==github.event_name"))
            && self.push_only_on_main();
        main_ref || push_on_main
    }
}

/// Removes whitespace and `${{ }}`, and turns `"` into `'`, so conditions compare by text.
pub fn normalize(condition: &str) -> String {
    condition
        .replace("${{", "")
        .replace("}}", "")
        .replace('"', "'")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// The steps of a job.
pub fn steps<'a>(job: &Node<'a>) -> Vec<Node<'a>> {
    job.get("steps").items()
}

/// What a job does, judged from its steps.
pub fn roles(job: &Node<'_>) -> Vec<Role> {
    let mut out = Vec::new();
    let steps = steps(job);
    let runs: Vec<String> = steps.iter().filter_map(|s| s.get("run").text()).collect();
    let uses: Vec<(String, Node<'_>)> = steps
        .iter()
        .filter_map(|s| s.get("uses").text().map(|u| (u, s.clone())))
        .collect();
    if runs.iter().any(|r| r.contains("cargo test")) {
        out.push(Role::Test);
    }
    let action_push = uses.iter().any(|(u, s)| {
        u.starts_with("docker/build-push-action@") && {
            let push = s.dig(&["with", "push"]);
            push.as_bool() == Some(true)
                || push.as_str().is_some_and(|p| p == "true" || p.contains("${{"))
        }
    });
    let script_push = runs.iter().any(|r| {
        r.contains("docker push")
            || (r.contains("docker buildx build") && r.contains("--push"))
            || (r.contains("docker build") && r.contains("--push"))
    });
    if action_push || script_push {
        out.push(Role::Build);
    }
    let deploys = runs.iter().any(|r| {
        r.contains("kubectl ") || r.contains("helm upgrade") || r.contains("helm install")
    }) || uses.iter().any(|(u, _)| u.starts_with("azure/k8s-deploy@"));
    if deploys {
        out.push(Role::Deploy);
    }
    out
}

/// Names of environment variables whose value comes from a secret
/// (`NAME: ${{ secrets.X }}`), declared in `env` of any of the given nodes (workflow,
/// job, step).
pub fn secret_env_names(scopes: &[Node<'_>]) -> Vec<String> {
    scopes
        .iter()
        .flat_map(|s| s.get("env").string_map())
        .filter(|(_, v)| v.contains("secrets."))
        .map(|(k, _)| k)
        .collect()
}

/// The expressions `${{ ... }}` in a text, without the braces and trimmed:
/// `"echo ${{ github.sha }}"` gives `["github.sha"]`.
pub fn expressions(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${{") {
        let after = &rest[start + 3..];
        match after.find("}}") {
            Some(end) => {
                out.push(after[..end].trim().to_string());
                rest = &after[end + 2..];
            }
            None => break,
        }
    }
    out
}
