//! Prometheus: which targets a scrape job would find in the cluster, and what its
//! `relabel_configs` do to them.
//!
//! Nothing here talks to a cluster. From your Deployment and Service the checks build the
//! labels Prometheus' Kubernetes service discovery would attach to your pods
//! (`__meta_kubernetes_service_name`, `__meta_kubernetes_pod_label_app`, ...), plus those
//! of an unrelated service in the same namespace, run each job's relabelling rules over
//! them exactly as Prometheus does, and look at what survives.

use std::collections::BTreeMap;

use regex::Regex;

use crate::k8s;
use crate::yaml::Node;

/// The Prometheus configuration file the checks read.
pub const PROMETHEUS_FILE: &str = "monitoring/prometheus.yml";
/// The alerting rules file the checks read.
pub const ALERTS_FILE: &str = "monitoring/alerts.yml";

/// A label set: name → value. An empty value is the same as no label.
pub type Labels = BTreeMap<String, String>;

/// A container as discovery sees it: `(name, image, [(port name, port number)])`.
pub type Container = (String, String, Vec<(String, i64)>);

/// What Kubernetes service discovery needs to know about one application.
#[derive(Debug, Clone, Default)]
pub struct App {
    /// Namespace of the Service and the pods.
    pub namespace: String,
    /// Service name.
    pub service: String,
    /// Service labels and annotations.
    pub service_labels: Vec<(String, String)>,
    pub service_annotations: Vec<(String, String)>,
    /// Service ports: `(name, port, target port number)`.
    pub service_ports: Vec<(String, i64, i64)>,
    /// Name of the Deployment (for the pod and ReplicaSet names).
    pub deployment: String,
    /// Pod labels and annotations (from the pod template).
    pub pod_labels: Vec<(String, String)>,
    pub pod_annotations: Vec<(String, String)>,
    /// The pod's containers.
    pub containers: Vec<Container>,
    /// The pod's IP address in the simulation.
    pub pod_ip: String,
}

impl App {
    /// The application described by your Deployment and Service.
    pub fn from_manifests(deployment: &Node<'_>, service: &Node<'_>) -> App {
        let containers = k8s::containers(deployment);
        let service_ports = service
            .dig(&["spec", "ports"])
            .items()
            .iter()
            .filter_map(|p| {
                let port = p.get("port").as_i64()?;
                let target = p.get("targetPort");
                let target = if target.exists() {
                    k8s::resolve_port(&containers, &target)?
                } else {
                    port
                };
                Some((p.get("name").as_str().unwrap_or("").to_string(), port, target))
            })
            .collect();
        App {
            namespace: k8s::namespace(service),
            service: k8s::name(service).to_string(),
            service_labels: service.dig(&["metadata", "labels"]).string_map(),
            service_annotations: service.dig(&["metadata", "annotations"]).string_map(),
            service_ports,
            deployment: k8s::name(deployment).to_string(),
            pod_labels: k8s::template_labels(deployment),
            pod_annotations: deployment
                .dig(&["spec", "template", "metadata", "annotations"])
                .string_map(),
            containers: containers
                .iter()
                .map(|c| {
                    (
                        c.get("name").as_str().unwrap_or("").to_string(),
                        c.get("image").as_str().unwrap_or("").to_string(),
                        k8s::declared_ports(c),
                    )
                })
                .collect(),
            pod_ip: "10.244.1.17".into(),
        }
    }

    /// Another application in the same namespace that nobody asked to scrape: Service
    /// `other-app` (label `app: other-app`, port `http` 80 → 8080, no annotations) and its
    /// pod. A scrape job must leave it alone.
    pub fn unrelated(namespace: &str) -> App {
        App {
            namespace: namespace.to_string(),
            service: "other-app".into(),
            service_labels: vec![("app".into(), "other-app".into())],
            service_annotations: vec![],
            service_ports: vec![("http".into(), 80, 8080)],
            deployment: "other-app".into(),
            pod_labels: vec![("app".into(), "other-app".into())],
            pod_annotations: vec![],
            containers: vec![(
                "other-app".into(),
                "other-app:1.0.0".into(),
                vec![("http".into(), 8080)],
            )],
            pod_ip: "10.244.2.31".into(),
        }
    }

    fn pod_name(&self) -> String {
        format!("{}-7c9f8d6b5-x2k4q", self.deployment)
    }
}

/// Turns a Kubernetes label or annotation name into a Prometheus label name suffix:
/// every character other than a letter, digit or `_` becomes `_`
/// (`app.kubernetes.io/name` → `app_kubernetes_io_name`).
pub fn sanitize(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' })
        .collect()
}

fn put_map(labels: &mut Labels, prefix: &str, kind: &str, map: &[(String, String)]) {
    for (k, v) in map {
        let k = sanitize(k);
        labels.insert(format!("{prefix}_{kind}_{k}"), v.clone());
        labels.insert(format!("{prefix}_{kind}present_{k}"), "true".into());
    }
}

fn service_meta(app: &App, labels: &mut Labels) {
    let p = "__meta_kubernetes_service";
    labels.insert(format!("{p}_name"), app.service.clone());
    labels.insert(format!("{p}_type"), "ClusterIP".into());
    labels.insert(format!("{p}_cluster_ip"), "10.96.41.7".into());
    put_map(labels, p, "label", &app.service_labels);
    put_map(labels, p, "annotation", &app.service_annotations);
}

fn pod_meta(app: &App, labels: &mut Labels) {
    let p = "__meta_kubernetes_pod";
    labels.insert(format!("{p}_name"), app.pod_name());
    labels.insert(format!("{p}_ip"), app.pod_ip.clone());
    labels.insert(format!("{p}_ready"), "true".into());
    labels.insert(format!("{p}_phase"), "Running".into());
    labels.insert(format!("{p}_node_name"), "kind-worker".into());
    labels.insert(format!("{p}_host_ip"), "172.18.0.3".into());
    labels.insert(format!("{p}_uid"), "5b0e3c1e-8a1f-4f57-9d4b-2f0c6a7e9b11".into());
    labels.insert(format!("{p}_controller_kind"), "ReplicaSet".into());
    labels.insert(format!("{p}_controller_name"), format!("{}-7c9f8d6b5", app.deployment));
    let mut pod_labels = app.pod_labels.clone();
    pod_labels.push(("pod-template-hash".into(), "7c9f8d6b5".into()));
    put_map(labels, p, "label", &pod_labels);
    put_map(labels, p, "annotation", &app.pod_annotations);
}

fn container_meta(labels: &mut Labels, name: &str, image: &str, port: Option<&(String, i64)>) {
    let p = "__meta_kubernetes_pod_container";
    labels.insert(format!("{p}_name"), name.into());
    labels.insert(format!("{p}_image"), image.into());
    labels.insert(format!("{p}_init"), "false".into());
    if let Some((pname, number)) = port {
        if !pname.is_empty() {
            labels.insert(format!("{p}_port_name"), pname.clone());
        }
        labels.insert(format!("{p}_port_number"), number.to_string());
        labels.insert(format!("{p}_port_protocol"), "TCP".into());
    }
}

/// The targets one `kubernetes_sd_configs` entry would discover for `app`, before
/// relabelling. `Err` explains a setting these checks cannot simulate.
pub fn discover(sd: &Node<'_>, app: &App) -> Result<Vec<Labels>, String> {
    let role = sd.get("role").as_str().unwrap_or("");
    // Namespaces: `names` limits discovery; `own_namespace` is taken to be yours.
    let ns = sd.get("namespaces");
    let names = ns.get("names").string_list();
    let own = ns.get("own_namespace").as_bool() == Some(true);
    if !names.is_empty() && !own && !names.contains(&app.namespace) {
        return Ok(Vec::new());
    }
    for sel in sd.get("selectors").items() {
        if !selector_matches(&sel, app)? {
            return Ok(Vec::new());
        }
    }
    let mut out = Vec::new();
    let mut base = Labels::new();
    base.insert("__meta_kubernetes_namespace".into(), app.namespace.clone());
    match role {
        "endpoints" | "endpointslice" => {
            let slice = role == "endpointslice";
            let mut covered = Vec::new();
            for (pname, _port, target) in &app.service_ports {
                let mut l = base.clone();
                service_meta(app, &mut l);
                pod_meta(app, &mut l);
                l.insert("__address__".into(), format!("{}:{target}", app.pod_ip));
                if slice {
                    let p = "__meta_kubernetes_endpointslice";
                    l.insert(format!("{p}_name"), format!("{}-abcde", app.service));
                    l.insert(
                        format!("{p}_label_kubernetes_io_service_name"),
                        app.service.clone(),
                    );
                    l.insert(
                        format!("{p}_labelpresent_kubernetes_io_service_name"),
                        "true".into(),
                    );
                    l.insert(format!("{p}_address_type"), "IPv4".into());
                    l.insert(format!("{p}_address_target_kind"), "Pod".into());
                    l.insert(format!("{p}_address_target_name"), app.pod_name());
                    l.insert(format!("{p}_endpoint_conditions_ready"), "true".into());
                    l.insert(format!("{p}_port"), target.to_string());
                    l.insert(format!("{p}_port_protocol"), "TCP".into());
                    if !pname.is_empty() {
                        l.insert(format!("{p}_port_name"), pname.clone());
                    }
                } else {
                    let p = "__meta_kubernetes_endpoint";
                    l.insert("__meta_kubernetes_endpoints_name".into(), app.service.clone());
                    put_map(&mut l, "__meta_kubernetes_endpoints", "label", &app.service_labels);
                    l.insert(format!("{p}_ready"), "true".into());
                    l.insert(format!("{p}_node_name"), "kind-worker".into());
                    l.insert(format!("{p}_address_target_kind"), "Pod".into());
                    l.insert(format!("{p}_address_target_name"), app.pod_name());
                    l.insert(format!("{p}_port_protocol"), "TCP".into());
                    if !pname.is_empty() {
                        l.insert(format!("{p}_port_name"), pname.clone());
                    }
                }
                if let Some((cname, image, ports)) = app
                    .containers
                    .iter()
                    .find(|(_, _, ports)| ports.iter().any(|(_, n)| n == target))
                {
                    let port = ports.iter().find(|(_, n)| n == target);
                    container_meta(&mut l, cname, image, port);
                }
                covered.push(*target);
                out.push(l);
            }
            // Container ports that no Service port points at are discovered as well.
            if !app.service_ports.is_empty() {
                for (cname, image, ports) in &app.containers {
                    for port in ports.iter().filter(|(_, n)| !covered.contains(n)) {
                        let mut l = base.clone();
                        service_meta(app, &mut l);
                        pod_meta(app, &mut l);
                        container_meta(&mut l, cname, image, Some(port));
                        l.insert("__address__".into(), format!("{}:{}", app.pod_ip, port.1));
                        out.push(l);
                    }
                }
            }
        }
        "pod" => {
            for (cname, image, ports) in &app.containers {
                if ports.is_empty() {
                    let mut l = base.clone();
                    pod_meta(app, &mut l);
                    container_meta(&mut l, cname, image, None);
                    l.insert("__address__".into(), app.pod_ip.clone());
                    out.push(l);
                }
                for port in ports {
                    let mut l = base.clone();
                    pod_meta(app, &mut l);
                    container_meta(&mut l, cname, image, Some(port));
                    l.insert("__address__".into(), format!("{}:{}", app.pod_ip, port.1));
                    out.push(l);
                }
            }
        }
        "service" => {
            for (pname, port, _) in &app.service_ports {
                let mut l = base.clone();
                service_meta(app, &mut l);
                l.insert("__meta_kubernetes_service_port_name".into(), pname.clone());
                l.insert("__meta_kubernetes_service_port_number".into(), port.to_string());
                l.insert(
                    "__address__".into(),
                    format!("{}.{}.svc:{port}", app.service, app.namespace),
                );
                out.push(l);
            }
        }
        "node" | "ingress" => {}
        other => return Err(format!("role {other:?} is not a Kubernetes discovery role")),
    }
    Ok(out)
}

/// Applies one `selectors` entry (label and field selectors on the API request).
fn selector_matches(sel: &Node<'_>, app: &App) -> Result<bool, String> {
    let role = sel.get("role").as_str().unwrap_or("");
    let (labels, name) = if role == "pod" {
        (app.pod_labels.clone(), app.pod_name())
    } else {
        (app.service_labels.clone(), app.service.clone())
    };
    if let Some(expr) = sel.get("label").as_str() {
        for term in expr.split(',').map(str::trim).filter(|t| !t.is_empty()) {
            let value_of = |k: &str| labels.iter().find(|(lk, _)| lk == k.trim()).map(|(_, v)| v.clone());
            let ok = if let Some((k, v)) = term.split_once("!=") {
                value_of(k).as_deref() != Some(v.trim())
            } else if let Some((k, v)) = term.split_once("==").or_else(|| term.split_once('=')) {
                value_of(k).as_deref() == Some(v.trim())
            } else if let Some(k) = term.strip_prefix('!') {
                value_of(k).is_none()
            } else if term.chars().all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c)) {
                value_of(term).is_some()
            } else {
                return Err(format!(
                    "{}: label selector {term:?} is not supported by these checks (use k=v, k!=v, k or !k, or a keep rule in relabel_configs)",
                    sel.path()
                ));
            };
            if !ok {
                return Ok(false);
            }
        }
    }
    if let Some(expr) = sel.get("field").as_str() {
        for term in expr.split(',').map(str::trim).filter(|t| !t.is_empty()) {
            let (field, negate, value) = if let Some((f, v)) = term.split_once("!=") {
                (f, true, v)
            } else if let Some((f, v)) = term.split_once("==").or_else(|| term.split_once('=')) {
                (f, false, v)
            } else {
                return Err(format!("{}: field selector {term:?} is not valid", sel.path()));
            };
            let actual = match field.trim() {
                "metadata.name" => name.clone(),
                "metadata.namespace" => app.namespace.clone(),
                other => {
                    return Err(format!(
                        "{}: field selector on {other:?} is not supported by these checks (use metadata.name or metadata.namespace, or a keep rule in relabel_configs)",
                        sel.path()
                    ))
                }
            };
            if (actual == value.trim()) == negate {
                return Ok(false);
            }
        }
    }
    Ok(true)
}

/// One compiled relabelling rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Index in `relabel_configs`.
    pub index: usize,
    /// `replace` (the default), `keep`, `drop`, `keepequal`, `dropequal`, `labelmap`,
    /// `labeldrop`, `labelkeep`, `lowercase`, `uppercase`, `hashmod`.
    pub action: String,
    pub source_labels: Vec<String>,
    pub separator: String,
    /// The regex as written (default `(.*)`).
    pub regex_text: String,
    /// The regex anchored at both ends, as Prometheus does.
    pub regex: Regex,
    pub target_label: String,
    pub replacement: String,
    pub modulus: u64,
}

impl Rule {
    /// A short description for messages: `relabel_configs[1] (keep on [__meta_kubernetes_service_name] regex "demo")`.
    pub fn describe(&self) -> String {
        format!(
            "relabel_configs[{}] ({} on [{}] regex {:?})",
            self.index,
            self.action,
            self.source_labels.join(", "),
            self.regex_text
        )
    }
}

/// Compiles a `relabel_configs` list. `Err` names the rule and the problem.
pub fn compile_rules(list: &Node<'_>) -> Result<Vec<Rule>, String> {
    let mut out = Vec::new();
    for (index, r) in list.items().iter().enumerate() {
        let action = r.get("action").as_str().unwrap_or("replace").to_ascii_lowercase();
        let known = [
            "replace", "keep", "drop", "keepequal", "dropequal", "labelmap", "labeldrop",
            "labelkeep", "lowercase", "uppercase", "hashmod",
        ];
        if !known.contains(&action.as_str()) {
            return Err(format!("{}: unknown action {action:?}", r.path()));
        }
        let regex_text = r.get("regex").text().unwrap_or_else(|| "(.*)".into());
        let regex = Regex::new(&format!("^(?s:{regex_text})$"))
            .map_err(|e| {
                let detail = e.to_string().lines().map(str::trim).collect::<Vec<_>>().join(" ");
                format!("{}: regex {regex_text:?} does not compile ({detail})", r.path())
            })?;
        let needs_target = matches!(
            action.as_str(),
            "replace" | "keepequal" | "dropequal" | "lowercase" | "uppercase" | "hashmod"
        );
        let target_label = r.get("target_label").as_str().unwrap_or("").to_string();
        if needs_target && target_label.is_empty() {
            return Err(format!("{}: action {action} needs a target_label", r.path()));
        }
        out.push(Rule {
            index,
            action,
            source_labels: r.get("source_labels").string_list(),
            separator: r.get("separator").as_str().unwrap_or(";").to_string(),
            regex_text,
            regex,
            target_label,
            replacement: r.get("replacement").text().unwrap_or_else(|| "$1".into()),
            modulus: r.get("modulus").as_i64().unwrap_or(0).max(0) as u64,
        });
    }
    Ok(out)
}

/// The result of relabelling one target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The target survives with these labels.
    Kept(Labels),
    /// The rule with this index dropped it (or, with `None`, it lost its `__address__`).
    Dropped(Option<usize>),
}

/// Runs the rules over a target's labels, the way Prometheus does.
pub fn relabel(rules: &[Rule], mut labels: Labels) -> Outcome {
    for rule in rules {
        let value = rule
            .source_labels
            .iter()
            .map(|l| labels.get(l).cloned().unwrap_or_default())
            .collect::<Vec<_>>()
            .join(&rule.separator);
        match rule.action.as_str() {
            "keep" if !rule.regex.is_match(&value) => return Outcome::Dropped(Some(rule.index)),
            "drop" if rule.regex.is_match(&value) => return Outcome::Dropped(Some(rule.index)),
            "keepequal" | "dropequal" => {
                let target = labels.get(&rule.target_label).cloned().unwrap_or_default();
                if (value == target) != (rule.action == "keepequal") {
                    return Outcome::Dropped(Some(rule.index));
                }
            }
            "replace" => {
                if let Some(caps) = rule.regex.captures(&value) {
                    let mut target = String::new();
                    caps.expand(&rule.target_label, &mut target);
                    let mut result = String::new();
                    caps.expand(&rule.replacement, &mut result);
                    if result.is_empty() {
                        labels.remove(&target);
                    } else if !target.is_empty() {
                        labels.insert(target, result);
                    }
                }
            }
            "lowercase" => {
                labels.insert(rule.target_label.clone(), value.to_lowercase());
            }
            "uppercase" => {
                labels.insert(rule.target_label.clone(), value.to_uppercase());
            }
            "hashmod" => {
                // Which shard a target lands on does not decide whether it is scraped at
                // all; store a stable value so later rules can still read the label.
                let m = rule.modulus.max(1);
                let sum: u64 = value.bytes().map(u64::from).sum();
                labels.insert(rule.target_label.clone(), (sum % m).to_string());
            }
            "labelmap" => {
                let additions: Vec<(String, String)> = labels
                    .iter()
                    .filter_map(|(k, v)| {
                        let caps = rule.regex.captures(k)?;
                        let mut name = String::new();
                        caps.expand(&rule.replacement, &mut name);
                        Some((name, v.clone()))
                    })
                    .collect();
                labels.extend(additions);
            }
            "labeldrop" => labels.retain(|k, _| !rule.regex.is_match(k)),
            "labelkeep" => labels.retain(|k, _| rule.regex.is_match(k)),
            _ => {}
        }
    }
    if labels.get("__address__").map_or(true, String::is_empty) {
        return Outcome::Dropped(None);
    }
    Outcome::Kept(labels)
}

/// Where a kept target would be scraped: `(host, port, path, scheme)`. The port defaults to
/// 80 for http and 443 for https, as in Prometheus.
pub fn scrape_url(labels: &Labels) -> (String, i64, String, String) {
    let scheme = labels.get("__scheme__").cloned().unwrap_or_else(|| "http".into());
    let address = labels.get("__address__").cloned().unwrap_or_default();
    let (host, port) = match address.rsplit_once(':') {
        Some((h, p)) if p.parse::<i64>().is_ok() => (h.to_string(), p.parse().unwrap_or(0)),
        _ => (address.clone(), if scheme == "https" { 443 } else { 80 }),
    };
    let path = labels
        .get("__metrics_path__")
        .cloned()
        .unwrap_or_else(|| "/metrics".into());
    (host, port, path, scheme)
}

/// What one scrape job does with the simulated cluster.
#[derive(Debug, Clone, Default)]
pub struct JobResult {
    /// `job_name`.
    pub name: String,
    /// Your pods' targets that survive relabelling.
    pub kept: Vec<Labels>,
    /// Your pods' targets that were dropped, with the rule that dropped them.
    pub dropped: Vec<(Labels, String)>,
    /// Targets of the unrelated service that survive (should be none).
    pub unrelated_kept: Vec<Labels>,
    /// The job discovers Services (`role: service`) rather than pods.
    pub uses_service_role: bool,
    /// How many of your pods' targets discovery found before relabelling (0 when
    /// `namespaces` or `selectors` exclude them).
    pub discovered: usize,
}

/// Simulates one entry of `scrape_configs` against your app and the unrelated one.
/// Only `kubernetes_sd_configs` are simulated; `static_configs` are checked separately.
pub fn simulate_job(job: &Node<'_>, app: &App, unrelated: &App) -> Result<JobResult, String> {
    let name = job.get("job_name").as_str().unwrap_or("").to_string();
    let rules = compile_rules(&job.get("relabel_configs"))?;
    let mut result = JobResult {
        name: name.clone(),
        ..JobResult::default()
    };
    let mut base = Labels::new();
    base.insert("job".into(), name);
    base.insert(
        "__metrics_path__".into(),
        job.get("metrics_path").as_str().unwrap_or("/metrics").to_string(),
    );
    base.insert(
        "__scheme__".into(),
        job.get("scheme").as_str().unwrap_or("http").to_string(),
    );
    for sd in job.get("kubernetes_sd_configs").items() {
        if sd.get("role").as_str() == Some("service") {
            result.uses_service_role = true;
        }
        for (who, target_app) in [(true, app), (false, unrelated)] {
            for discovered in discover(&sd, target_app)? {
                if who {
                    result.discovered += 1;
                }
                let mut labels = base.clone();
                labels.extend(discovered);
                match relabel(&rules, labels.clone()) {
                    Outcome::Kept(l) if who => result.kept.push(l),
                    Outcome::Kept(l) => result.unrelated_kept.push(l),
                    Outcome::Dropped(by) if who => {
                        let why = match by {
                            Some(i) => rules[i].describe(),
                            None => "relabelling left it without an __address__".into(),
                        };
                        result.dropped.push((labels, why));
                    }
                    Outcome::Dropped(_) => {}
                }
            }
        }
    }
    Ok(result)
}

/// Parses a Prometheus duration (`30s`, `5m`, `1h30m`, `1d`) into seconds.
pub fn parse_duration(text: &str) -> Option<f64> {
    let re = Regex::new(
        r"^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$",
    )
    .expect("valid regex");
    if text.is_empty() {
        return None;
    }
    let caps = re.captures(text)?;
    let units = [
        365.0 * 86400.0,
        7.0 * 86400.0,
        86400.0,
        3600.0,
        60.0,
        1.0,
        0.001,
    ];
    let mut total = 0.0;
    for (i, unit) in units.iter().enumerate() {
        if let Some(m) = caps.get(i + 1) {
            total += m.as_str().parse::<f64>().ok()? * unit;
        }
    }
    Some(total)
}
