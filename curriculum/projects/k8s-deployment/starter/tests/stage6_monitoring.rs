//! Stage 6: monitoring and the runbook. Run only these with `cargo test stage6`.
//!
//! Concept: every pod is observed, every alert means something and says what to do, and
//! the runbook answers the page.

use k8s_deployment::k8s::Manifests;
use k8s_deployment::markdown::{self, Section};
use k8s_deployment::prometheus::{self, App, ALERTS_FILE, PROMETHEUS_FILE};
use k8s_deployment::{load_yaml, read_text, Doc, Report, METRICS_PATH, REQUEST_COUNTER, SERVICE_PORT};
use regex::Regex;

const RUNBOOK: &str = "RUNBOOK.md";
const SEVERITIES: [&str; 3] = ["critical", "warning", "info"];
const REQUIRED_SECTIONS: [(&str, &str); 5] = [
    ("Overview", "what the service does, what it depends on, where it runs, and the first commands to look at it"),
    ("Dashboards", "where to look: dashboard links or the PromQL queries for request rate, errors and latency"),
    ("Alerts", "one ### subsection per alert in monitoring/alerts.yml, named exactly like the alert: what it means and what to do"),
    ("Rollback", "the exact commands that return to the previous version, and how to confirm it worked"),
    ("Escalation", "who to call when the first steps do not help, and when"),
];

fn load(file: &str, r: &mut Report) -> Option<Doc> {
    match load_yaml(file) {
        Ok(d) => Some(d),
        Err(v) => {
            r.extend([v]);
            None
        }
    }
}

/// Alerting rules as `(name, rule node)`, in file order.
fn alert_rules(doc: &Doc) -> Vec<(String, k8s_deployment::Node<'_>)> {
    doc.root()
        .get("groups")
        .items()
        .into_iter()
        .flat_map(|g| g.get("rules").items())
        .filter_map(|rule| rule.get("alert").as_str().map(|n| (n.to_string(), rule.clone())))
        .collect()
}

/// `true` when (), [] and {} are balanced outside quoted strings.
fn balanced(expr: &str) -> bool {
    let mut stack = Vec::new();
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in expr.chars() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '\'' | '`' => quote = Some(c),
            '(' | '[' | '{' => stack.push(c),
            ')' | ']' | '}' => {
                let open = match c {
                    ')' => '(',
                    ']' => '[',
                    _ => '{',
                };
                if stack.pop() != Some(open) {
                    return false;
                }
            }
            _ => {}
        }
    }
    stack.is_empty() && quote.is_none()
}

#[test]
fn stage6_prometheus_scrapes_every_pod() {
    let m = Manifests::load();
    let mut r = m.report();
    let dep = m.exactly_one(&mut r, "Deployment", "apps/v1");
    let svc = m.exactly_one(&mut r, "Service", "v1");
    let Some(doc) = load(PROMETHEUS_FILE, &mut r) else {
        r.assert_ok();
        return;
    };
    let (Some(dep), Some(svc)) = (dep, svc) else {
        r.assert_ok();
        return;
    };
    let app = App::from_manifests(&dep, &svc);
    let unrelated = App::unrelated(&app.namespace);
    let jobs = doc.root().get("scrape_configs");
    if jobs.items().is_empty() {
        r.missing(&jobs, "add a scrape job for demo-service");
    }
    let mut found = false;
    let mut dropped_notes = Vec::new();
    for job in jobs.items() {
        let name = job.get("job_name").as_str().unwrap_or("").to_string();
        if name.is_empty() {
            r.missing(&job.get("job_name"), "every scrape job needs a job_name; it becomes the job label of every series");
        }
        for sc in job.get("static_configs").items() {
            for t in sc.get("targets").items() {
                let target = t.as_str().unwrap_or("");
                let host = target.rsplit_once(':').map_or(target, |(h, _)| h);
                if host == app.service || host.starts_with(&format!("{}.", app.service)) {
                    r.at(
                        &t,
                        format!("scrapes the Service address {target}"),
                        "a Service name leads to one pod picked per connection: each scrape reads a different pod's counters, so rates jump around and a pod that is never picked is invisible; discover the pods with kubernetes_sd_configs (role: endpoints or pod)",
                    );
                }
            }
        }
        if !job.get("kubernetes_sd_configs").exists() {
            continue;
        }
        match prometheus::simulate_job(&job, &app, &unrelated) {
            Err(e) => r.fail(PROMETHEUS_FILE, e, "fix this setting so the job's discovery and relabelling can be evaluated"),
            Ok(res) => {
                if res.uses_service_role {
                    r.at(
                        &job.get("kubernetes_sd_configs"),
                        "use role: service",
                        "role service targets the Service's virtual address (it is meant for blackbox probing): each scrape reaches a random pod; use role: endpoints (or pod) to scrape every pod",
                    );
                }
                if !res.unrelated_kept.is_empty() {
                    r.at(
                        &job.get("relabel_configs"),
                        format!("let job {name:?} also scrape the unrelated Service other-app"),
                        "a job must select its targets: add a keep rule on __meta_kubernetes_service_name (or on a pod label, or on an annotation your Service sets), so it does not scrape every service in the namespace",
                    );
                }
                let mut good = 0;
                // With role service the message above says it all.
                let kept = if res.uses_service_role { &[][..] } else { &res.kept[..] };
                for labels in kept {
                    let (host, port, path, scheme) = prometheus::scrape_url(labels);
                    if port == SERVICE_PORT && path == METRICS_PATH && scheme == "http" {
                        good += 1;
                    } else {
                        r.at(
                            &job,
                            format!("would scrape {scheme}://{host}:{port}{path} for a demo-service pod"),
                            format!("demo-service serves metrics at http://<pod IP>:{SERVICE_PORT}{METRICS_PATH}; every target the job keeps for it must point there (keep only the port named http, and leave metrics_path at /metrics)"),
                        );
                    }
                }
                if good > 0 {
                    found = true;
                }
                if res.discovered == 0 {
                    dropped_notes.push(format!("job {name:?} discovers no demo-service target at all (check its namespaces and selectors; your objects are in namespace {:?})", app.namespace));
                }
                for (_, why) in &res.dropped {
                    dropped_notes.push(format!("job {name:?}: {why} dropped a demo-service target"));
                }
            }
        }
    }
    if !found {
        let mut advice = format!(
            "add a job with kubernetes_sd_configs (role: endpoints) and a relabel_configs rule with action: keep on __meta_kubernetes_service_name matching {:?}",
            app.service
        );
        for note in dropped_notes {
            advice.push_str(&format!("; {note}"));
        }
        r.fail(
            PROMETHEUS_FILE,
            format!("no scrape job finds the pods of Service {:?} on port {SERVICE_PORT} at {METRICS_PATH}", app.service),
            advice,
        );
    }
    r.assert_ok();
}

#[test]
fn stage6_alert_rules_are_complete() {
    let mut r = Report::new();
    if let Some(prom) = load(PROMETHEUS_FILE, &mut r) {
        let files = prom.root().get("rule_files");
        let wanted = ALERTS_FILE.rsplit('/').next().unwrap_or(ALERTS_FILE);
        let listed = files.string_list().iter().any(|f| {
            let base = f.rsplit('/').next().unwrap_or(f);
            let pattern = format!("^{}$", regex::escape(base).replace(r"\*", ".*").replace(r"\?", "."));
            Regex::new(&pattern).is_ok_and(|re| re.is_match(wanted))
        });
        if !listed {
            r.at(
                &files,
                format!("does not list {wanted}"),
                format!("add {wanted} to rule_files (relative paths are resolved from the folder of prometheus.yml), or Prometheus never evaluates your alerts"),
            );
        }
    }
    if let Some(doc) = load(ALERTS_FILE, &mut r) {
        let groups = doc.root().get("groups");
        if groups.items().is_empty() {
            r.missing(&groups, "alerting rules live in groups: groups: [{name: demo-service, rules: [...]}]");
        }
        let name_re = Regex::new(r"^[A-Za-z][A-Za-z0-9_]*$").expect("valid regex");
        let counter_re = Regex::new(r"[A-Za-z_:][A-Za-z0-9_:]*_total\b").expect("valid regex");
        let mut watches_errors = false;
        for g in groups.items() {
            if g.get("name").as_str().map_or(true, str::is_empty) {
                r.missing(&g.get("name"), "every rule group needs a name");
            }
            let rules = g.get("rules");
            if rules.items().is_empty() {
                r.missing(&rules, "list the group's rules");
            }
            for rule in rules.items() {
                let expr_node = rule.get("expr");
                let expr = expr_node.text().unwrap_or_default();
                if expr.trim().is_empty() {
                    r.missing(&expr_node, "write the PromQL expression the rule evaluates");
                } else if !balanced(&expr) {
                    r.at(&expr_node, "has unbalanced brackets or quotes", "check the expression with promtool check rules");
                }
                let Some(name) = rule.get("alert").as_str() else {
                    continue; // a recording rule: only expr is checked
                };
                if !name_re.is_match(name) {
                    r.at(&rule.get("alert"), format!("is {name:?}"), "name alerts with letters and digits only, in CamelCase (DemoServiceHighErrorRate): the name is also the runbook section title");
                }
                if counter_re.is_match(&expr) && !expr.contains("rate(") && !expr.contains("increase(") {
                    r.at(
                        &expr_node,
                        "compares a counter without rate() or increase()",
                        "a counter (a metric ending in _total) only ever grows, and restarts at 0 with the process; alert on rate(...[5m]) or increase(...[5m]) of it",
                    );
                }
                let flat: String = expr.chars().filter(|c| !c.is_whitespace()).collect();
                if expr.contains(REQUEST_COUNTER) && (flat.contains("code=~\"5") || flat.contains("code=~'5")) {
                    watches_errors = true;
                }
                let f = rule.get("for");
                match f.as_str().map(|t| (t, prometheus::parse_duration(t))) {
                    None => r.at(
                        &f,
                        if f.exists() { format!("is {}", f.describe()) } else { "is missing".into() },
                        "give the alert a for: duration (e.g. 5m): without it a single bad evaluation, one slow scrape or a deploy blip, pages someone",
                    ),
                    Some((t, None)) => r.at(&f, format!("is {t:?}, not a Prometheus duration"), "write a duration such as 5m or 1h"),
                    Some((t, Some(secs))) if secs < 60.0 => r.at(&f, format!("is {t}, shorter than 1m"), "wait at least 1m, so a condition must persist across several scrapes before it pages"),
                    Some(_) => {}
                }
                let sev = rule.get("labels").get("severity");
                if !sev.as_str().is_some_and(|s| SEVERITIES.contains(&s)) {
                    r.at(
                        &sev,
                        if sev.exists() { format!("is {}", sev.describe()) } else { "is missing".into() },
                        "set labels.severity to critical (wake someone up), warning (look during working hours) or info; Alertmanager routes on it",
                    );
                }
                let ann = rule.get("annotations");
                let summary = ann.get("summary");
                if summary.as_str().map_or(true, |s| s.trim().is_empty()) {
                    r.missing(&summary, "write a one-line summary: it is the first thing the person paged reads");
                }
                let url = ann.get("runbook_url");
                match url.as_str() {
                    Some(u) if u.starts_with("https://") => {}
                    _ => r.at(
                        &url,
                        if url.exists() { format!("is {}, not an https:// link", url.describe()) } else { "is missing".into() },
                        "link every alert to its section of the runbook (https://github.com/<you>/<repo>/blob/main/RUNBOOK.md#<alert name in lower case>), so the person paged starts from instructions",
                    ),
                }
            }
        }
        if !watches_errors && !groups.items().is_empty() {
            r.fail(
                ALERTS_FILE,
                "no alert watches the error rate",
                format!("add an alert on the share of server errors: rate of {REQUEST_COUNTER}{{code=~\"5..\"}} divided by the rate of all requests, above a threshold for some minutes"),
            );
        }
    }
    r.assert_ok();
}

#[test]
fn stage6_runbook_has_the_required_sections() {
    let mut r = Report::new();
    let text = match read_text(RUNBOOK) {
        Ok(t) => t,
        Err(v) => {
            r.extend([v]);
            r.assert_ok();
            return;
        }
    };
    let sections = markdown::sections(&text);
    let find = |title: &str| -> Option<&Section> {
        sections
            .iter()
            .find(|s| s.heading.level == 2 && s.heading.text.eq_ignore_ascii_case(title))
    };
    for (title, what) in REQUIRED_SECTIONS {
        match find(title) {
            None => r.fail(RUNBOOK, format!("has no section \"## {title}\""), format!("add it: {what}")),
            Some(s) if !s.has_content() => r.fail(RUNBOOK, format!("section \"## {title}\" (line {}) is empty", s.heading.line), format!("write {what}")),
            Some(_) => {}
        }
    }
    let todo: Vec<String> = text
        .lines()
        .enumerate()
        .filter(|(_, line)| line.contains("TODO"))
        .map(|(n, _)| (n + 1).to_string())
        .collect();
    if !todo.is_empty() {
        r.fail(
            RUNBOOK,
            format!("still contains TODO (line {})", todo.join(", ")),
            "replace every TODO with the real content: the person reading this is under stress, maybe at 3 a.m.",
        );
    }
    if let Some(rollback) = find("Rollback") {
        if rollback.has_content() && !rollback.has_code_block() {
            r.fail(
                RUNBOOK,
                format!("section \"## Rollback\" (line {}) has no code block", rollback.heading.line),
                "put the exact commands in a fenced code block (```bash ... ```), e.g. kubectl rollout undo deployment/<name>; nobody should compose commands during an incident",
            );
        }
    }
    let mut alerts_doc_report = Report::new();
    if let (Some(alerts), Some(doc)) = (find("Alerts"), load(ALERTS_FILE, &mut alerts_doc_report)) {
        let first = alerts.lines.first().map_or(usize::MAX, |(n, _)| *n);
        let last = alerts.lines.last().map_or(0, |(n, _)| *n);
        for (name, _) in alert_rules(&doc) {
            let sub = sections
                .iter()
                .find(|s| s.heading.level == 3 && s.heading.text == name && (first..=last).contains(&s.heading.line));
            match sub {
                None => r.fail(
                    RUNBOOK,
                    format!("has no \"### {name}\" under \"## Alerts\""),
                    "add one subsection per alert, titled exactly like the alert, saying what it means and what to do first; the alert's runbook_url links to it",
                ),
                Some(s) if !s.has_content() => r.fail(RUNBOOK, format!("section \"### {name}\" (line {}) is empty", s.heading.line), "say what the alert means for users and the first steps to take"),
                Some(_) => {}
            }
        }
    }
    r.assert_ok();
}

#[test]
fn stage6_alerts_link_to_their_runbook_section() {
    let mut r = Report::new();
    let runbook = read_text(RUNBOOK).unwrap_or_default();
    let headings = markdown::headings(&runbook);
    if let Some(doc) = load(ALERTS_FILE, &mut r) {
        let rules = alert_rules(&doc);
        if rules.is_empty() {
            r.missing(&doc.root().get("groups"), "define at least one alerting rule (an entry with alert:)");
        }
        for (name, rule) in rules {
            let anchor = headings
                .iter()
                .find(|h| h.level == 3 && h.text == name)
                .map(|h| h.anchor.clone())
                .unwrap_or_else(|| markdown::slug(&name));
            let url = rule.get("annotations").get("runbook_url");
            let Some(u) = url.as_str() else {
                r.missing(&url, format!("link the alert to its runbook section: https://github.com/<you>/<repo>/blob/main/RUNBOOK.md#{anchor}"));
                continue;
            };
            let (page, fragment) = u.split_once('#').unwrap_or((u, ""));
            if !page.ends_with(RUNBOOK) {
                r.at(&url, format!("points to {page:?}, not to {RUNBOOK}"), format!("link to the runbook in your repository, e.g. https://github.com/<you>/<repo>/blob/main/RUNBOOK.md#{anchor}"));
            } else if fragment != anchor {
                r.at(
                    &url,
                    if fragment.is_empty() { "has no #section".to_string() } else { format!("points to #{fragment}") },
                    format!("end it with #{anchor}, the anchor of the \"### {name}\" heading, so the link opens the right section"),
                );
            }
        }
    }
    r.assert_ok();
}
