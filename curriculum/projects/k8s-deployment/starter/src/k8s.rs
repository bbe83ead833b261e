//! Kubernetes manifests: loading `deploy/`, finding objects, and the small pieces of
//! Kubernetes semantics the checks need (ports, quantities, percentages, env sources).

use std::sync::OnceLock;

use regex::Regex;

use crate::report::{Report, Violation};
use crate::yaml::{parse_documents, Doc, Node};
use crate::{project_root, SERVICE_PORT};

/// The folder whose manifests are checked. Only its own `*.yaml` and `*.yml` files are
/// read, not subfolders, which is also what `kubectl apply -f deploy/` applies.
pub const DEPLOY_DIR: &str = "deploy";

/// Every object in `deploy/`, plus the problems found while reading them.
#[derive(Debug, Default)]
pub struct Manifests {
    /// Valid objects (a mapping with `apiVersion`, `kind` and `metadata.name`), in file
    /// order, files sorted by name.
    pub docs: Vec<Doc>,
    /// Files that do not parse, and documents that are not Kubernetes objects.
    pub problems: Vec<Violation>,
}

impl Manifests {
    /// Reads every `deploy/*.yaml` and `deploy/*.yml` file. A `kustomization.yaml` is
    /// skipped: it configures Kustomize and is not an object to apply.
    pub fn load() -> Self {
        let mut m = Manifests::default();
        let dir = project_root().join(DEPLOY_DIR);
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(_) => {
                m.problems.push(Violation {
                    file: format!("{DEPLOY_DIR}/"),
                    problem: "does not exist".into(),
                    advice: "put your Kubernetes manifests in a folder named deploy next to Cargo.toml".into(),
                });
                return m;
            }
        };
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_file())
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|n| n.ends_with(".yaml") || n.ends_with(".yml"))
            .filter(|n| n != "kustomization.yaml" && n != "kustomization.yml")
            .collect();
        names.sort();
        for name in names {
            let file = format!("{DEPLOY_DIR}/{name}");
            let text = match crate::read_text(&file) {
                Ok(t) => t,
                Err(v) => {
                    m.problems.push(v);
                    continue;
                }
            };
            match parse_documents(&file, &text) {
                Err(v) => m.problems.push(v),
                Ok(docs) => {
                    for doc in docs {
                        if let Some(v) = object_problem(&doc) {
                            m.problems.push(v);
                        } else {
                            m.docs.push(doc);
                        }
                    }
                }
            }
        }
        m
    }

    /// A report that already contains the loading problems, so every test shows a YAML
    /// syntax error instead of complaining about the objects it could not read.
    pub fn report(&self) -> Report {
        let mut r = Report::new();
        r.extend(self.problems.iter().cloned());
        r
    }

    /// All objects of a kind (`"Deployment"`), in file order.
    pub fn of_kind(&self, kind: &str) -> Vec<Node<'_>> {
        self.docs
            .iter()
            .map(Doc::root)
            .filter(|n| n.get("kind").as_str() == Some(kind))
            .collect()
    }

    /// The object of `kind` named `name`, if `deploy/` has one.
    pub fn named(&self, kind: &str, name: &str) -> Option<Node<'_>> {
        self.of_kind(kind)
            .into_iter()
            .find(|n| n.dig(&["metadata", "name"]).as_str() == Some(name))
    }

    /// The single object of `kind`. Records a violation when there is none or more than
    /// one, and when its `apiVersion` is not `api_version` (the object is still returned
    /// in that last case, so the other checks can run).
    pub fn exactly_one(&self, report: &mut Report, kind: &str, api_version: &str) -> Option<Node<'_>> {
        let all = self.of_kind(kind);
        match all.len() {
            0 => {
                report.fail(
                    &format!("{DEPLOY_DIR}/"),
                    format!("contains no {kind}"),
                    format!("add one object with `apiVersion: {api_version}` and `kind: {kind}`"),
                );
                None
            }
            1 => {
                let obj = all.into_iter().next()?;
                let v = obj.get("apiVersion");
                if v.as_str() != Some(api_version) {
                    report.at(
                        &v,
                        format!("is {}", v.describe()),
                        format!("a {kind} here must use `apiVersion: {api_version}`"),
                    );
                }
                Some(obj)
            }
            n => {
                let files: Vec<String> = all.iter().map(|o| o.file().to_string()).collect();
                report.fail(
                    &format!("{DEPLOY_DIR}/"),
                    format!("contains {n} objects of kind {kind} ({})", files.join(", ")),
                    format!("these checks expect exactly one {kind} for demo-service; keep other services' manifests in their own folder"),
                );
                None
            }
        }
    }
}

fn object_problem(doc: &Doc) -> Option<Violation> {
    let root = doc.root();
    let fail = |what: String| {
        Some(Violation {
            file: doc.file.clone(),
            problem: format!("document {} {what}", doc.index + 1),
            advice: "every document in deploy/ must be a Kubernetes object with apiVersion, kind and metadata.name".into(),
        })
    };
    if !root.is_mapping() {
        return fail("is not a mapping".into());
    }
    for field in ["apiVersion", "kind"] {
        if root.get(field).as_str().map_or(true, str::is_empty) {
            return fail(format!("has no {field}"));
        }
    }
    if root.dig(&["metadata", "name"]).as_str().map_or(true, str::is_empty) {
        return fail("has no metadata.name".into());
    }
    None
}

/// `metadata.namespace`, or `"default"` when it is not set.
pub fn namespace(obj: &Node<'_>) -> String {
    obj.dig(&["metadata", "namespace"])
        .as_str()
        .unwrap_or("default")
        .to_string()
}

/// `metadata.name` (empty when missing).
pub fn name<'a>(obj: &Node<'a>) -> &'a str {
    obj.dig(&["metadata", "name"]).as_str().unwrap_or("")
}

/// The pod spec of a Deployment: `spec.template.spec`.
pub fn pod_spec<'a>(deployment: &Node<'a>) -> Node<'a> {
    deployment.dig(&["spec", "template", "spec"])
}

/// The containers of a Deployment's pod template (not the init containers).
pub fn containers<'a>(deployment: &Node<'a>) -> Vec<Node<'a>> {
    pod_spec(deployment).get("containers").items()
}

/// The labels of the pod template: `spec.template.metadata.labels`.
pub fn template_labels(deployment: &Node<'_>) -> Vec<(String, String)> {
    deployment
        .dig(&["spec", "template", "metadata", "labels"])
        .string_map()
}

/// The container that serves demo-service: the first one that declares
/// `containerPort: 8080`, or else the first container.
pub fn app_container<'a>(deployment: &Node<'a>) -> Option<Node<'a>> {
    let all = containers(deployment);
    all.iter()
        .find(|c| declared_ports(c).iter().any(|(_, n)| *n == SERVICE_PORT))
        .or(all.first())
        .cloned()
}

/// The `(name, containerPort)` pairs a container declares (name empty when not given).
pub fn declared_ports(container: &Node<'_>) -> Vec<(String, i64)> {
    container
        .get("ports")
        .items()
        .iter()
        .filter_map(|p| {
            let number = p.get("containerPort").as_i64()?;
            let name = p.get("name").as_str().unwrap_or("").to_string();
            Some((name, number))
        })
        .collect()
}

/// Resolves a port reference the way Kubernetes does for probes and a Service's
/// `targetPort`: a number is used as it is; a name is looked up among the ports declared by
/// `containers`. `None` when the name is not declared (or the value is neither).
pub fn resolve_port(containers: &[Node<'_>], port: &Node<'_>) -> Option<i64> {
    if let Some(n) = port.as_i64() {
        return Some(n);
    }
    let name = port.as_str()?;
    if let Ok(n) = name.parse::<i64>() {
        return Some(n);
    }
    containers
        .iter()
        .flat_map(declared_ports)
        .find(|(n, _)| n == name)
        .map(|(_, number)| number)
}

/// `true` when every `key: value` pair of `selector` is among `labels`. An empty selector
/// gives `false`: it would select nothing (Deployment) or everything (a bare Service).
pub fn selects(selector: &[(String, String)], labels: &[(String, String)]) -> bool {
    !selector.is_empty() && selector.iter().all(|pair| labels.contains(pair))
}

/// Parses a Kubernetes resource quantity (`250m`, `0.5`, `128Mi`, `1G`, `1e3`) into base
/// units: cores for CPU, bytes for memory. `None` when it is not a quantity.
pub fn parse_quantity(text: &str) -> Option<f64> {
    let text = text.trim();
    let suffixes: [(&str, f64); 15] = [
        ("Ki", 1024f64),
        ("Mi", 1024f64.powi(2)),
        ("Gi", 1024f64.powi(3)),
        ("Ti", 1024f64.powi(4)),
        ("Pi", 1024f64.powi(5)),
        ("Ei", 1024f64.powi(6)),
        ("n", 1e-9),
        ("u", 1e-6),
        ("m", 1e-3),
        ("k", 1e3),
        ("M", 1e6),
        ("G", 1e9),
        ("T", 1e12),
        ("P", 1e15),
        ("E", 1e18),
    ];
    let (number, factor) = suffixes
        .iter()
        .find_map(|(s, f)| text.strip_suffix(s).map(|n| (n, *f)))
        .unwrap_or((text, 1.0));
    let plain = number.strip_prefix('+').unwrap_or(number);
    let (mantissa, exponent) = match plain.split_once(['e', 'E']) {
        Some((m, e)) if factor == 1.0 => (m, e.parse::<i32>().ok()?),
        Some(_) => return None,
        None => (plain, 0),
    };
    let digits_ok = !mantissa.is_empty()
        && mantissa.chars().all(|c| c.is_ascii_digit() || c == '.')
        && mantissa.chars().filter(|c| *c == '.').count() <= 1
        && mantissa != ".";
    if !digits_ok {
        return None;
    }
    let value: f64 = mantissa.parse().ok()?;
    Some(value * 10f64.powi(exponent) * factor)
}

/// A quantity from a YAML node that may be a string (`"250m"`) or a number (`1`, `0.5`).
pub fn quantity(node: &Node<'_>) -> Option<f64> {
    match node.as_f64() {
        Some(n) => Some(n),
        None => node.as_str().and_then(parse_quantity),
    }
}

/// `maxSurge`/`maxUnavailable`: an absolute number of pods or a percentage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntOrPercent {
    /// A number of pods.
    Int(i64),
    /// A percentage of the desired replica count, 0 to 100.
    Percent(i64),
}

impl IntOrPercent {
    /// Reads `3` or `"25%"`; anything else (negative, over 100%, `"3"`) is an error text.
    pub fn from_node(node: &Node<'_>) -> Result<Self, String> {
        if let Some(n) = node.as_i64() {
            return if n >= 0 {
                Ok(IntOrPercent::Int(n))
            } else {
                Err("is negative".into())
            };
        }
        let text = node.as_str().ok_or("must be a whole number or a percentage like \"25%\"")?;
        let p = text
            .strip_suffix('%')
            .and_then(|d| d.parse::<i64>().ok())
            .ok_or("must be a whole number or a percentage like \"25%\"")?;
        if (0..=100).contains(&p) {
            Ok(IntOrPercent::Percent(p))
        } else {
            Err("must be a percentage between 0% and 100%".into())
        }
    }

    /// The number of pods this stands for with `replicas` desired pods. Kubernetes rounds
    /// `maxSurge` percentages up and `maxUnavailable` percentages down.
    pub fn resolve(self, replicas: i64, round_up: bool) -> i64 {
        match self {
            IntOrPercent::Int(n) => n,
            IntOrPercent::Percent(p) => {
                let scaled = p * replicas;
                if round_up {
                    (scaled + 99) / 100
                } else {
                    scaled / 100
                }
            }
        }
    }
}

/// `true` when a key or variable name looks like it holds a secret: after lower-casing and
/// removing everything but letters and digits, it contains `password`, `passwd`,
/// `secret`, `token`, `apikey`, `privatekey`, `credential` or `accesskey`.
pub fn looks_like_secret_name(name: &str) -> bool {
    let n: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    [
        "password",
        "passwd",
        "secret",
        "token",
        "apikey",
        "privatekey",
        "credential",
        "accesskey",
    ]
    .iter()
    .any(|w| n.contains(w))
}

/// Looks inside a text value (a whole config file, say) for a secret: a PEM private key,
/// a URL with `user:password@`, or a line `key = value` / `key: value` whose key looks like
/// a secret and whose value is not empty. Returns what was found.
pub fn secret_in_text(text: &str) -> Option<String> {
    static URL: OnceLock<Regex> = OnceLock::new();
    static LINE: OnceLock<Regex> = OnceLock::new();
    let url = URL.get_or_init(|| {
        Regex::new(r"[A-Za-z][A-Za-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@").expect("valid regex")
    });
    let line_re = LINE.get_or_init(|| {
        Regex::new(r"^\s*(?:export\s+)?([A-Za-z0-9_.-]+)\s*[=:]\s*(\S.*)$").expect("valid regex")
    });
    if text.contains("-----BEGIN") && text.contains("PRIVATE KEY") {
        return Some("contains a PEM private key".into());
    }
    if url.is_match(text) {
        return Some("contains a URL with a user name and password".into());
    }
    for line in text.lines() {
        if let Some(c) = line_re.captures(line) {
            if looks_like_secret_name(&c[1]) {
                return Some(format!("sets {} in its text", &c[1]));
            }
        }
    }
    None
}

/// Where a container's environment variable gets its value from, after Kubernetes'
/// precedence rules: an `env` entry beats `envFrom`, a later `env` entry beats an earlier
/// one, a later `envFrom` source beats an earlier one.
#[derive(Debug, Clone)]
pub enum EnvSource<'a> {
    /// Not set at all.
    Unset,
    /// `env: [{name, value}]`: written into the Deployment.
    Literal(Node<'a>),
    /// `valueFrom.configMapKeyRef`.
    ConfigMapKey { name: String, key: String, at: Node<'a> },
    /// `valueFrom.secretKeyRef`.
    SecretKey { name: String, key: String, at: Node<'a> },
    /// `envFrom[].configMapRef` of a ConfigMap in deploy/ that has the key.
    ConfigMapAll { name: String, at: Node<'a> },
    /// `envFrom[].secretRef`. Its keys are not in the repository, so it is assumed to
    /// provide a variable only when no ConfigMap in deploy/ does.
    SecretAll { name: String, at: Node<'a> },
    /// `valueFrom.fieldRef` or `resourceFieldRef`.
    Other(Node<'a>),
}

/// Finds where `var` comes from in `container`. ConfigMaps are looked up in `manifests`:
/// an `envFrom` ConfigMap provides `var` only if it is in deploy/ and has that key (after
/// removing `prefix`); an `envFrom` Secret only if no such ConfigMap does.
pub fn env_source<'a>(manifests: &'a Manifests, container: &Node<'a>, var: &str) -> EnvSource<'a> {
    let from_env = container
        .get("env")
        .items()
        .into_iter()
        .rev()
        .find(|e| e.get("name").as_str() == Some(var));
    if let Some(e) = from_env {
        let vf = e.get("valueFrom");
        let cm = vf.get("configMapKeyRef");
        let sk = vf.get("secretKeyRef");
        return if cm.exists() {
            EnvSource::ConfigMapKey {
                name: cm.get("name").as_str().unwrap_or("").to_string(),
                key: cm.get("key").as_str().unwrap_or("").to_string(),
                at: cm,
            }
        } else if sk.exists() {
            EnvSource::SecretKey {
                name: sk.get("name").as_str().unwrap_or("").to_string(),
                key: sk.get("key").as_str().unwrap_or("").to_string(),
                at: sk,
            }
        } else if vf.exists() {
            EnvSource::Other(vf)
        } else {
            EnvSource::Literal(e.get("value"))
        };
    }
    let mut found = EnvSource::Unset;
    for source in container.get("envFrom").items() {
        let prefix = source.get("prefix").as_str().unwrap_or("");
        let Some(key) = var.strip_prefix(prefix) else {
            continue;
        };
        let cm = source.get("configMapRef");
        let sr = source.get("secretRef");
        if let Some(name) = cm.get("name").as_str() {
            let has_key = manifests
                .named("ConfigMap", name)
                .is_some_and(|c| c.get("data").get(key).exists());
            if has_key {
                found = EnvSource::ConfigMapAll {
                    name: name.to_string(),
                    at: cm,
                };
            }
        } else if let Some(name) = sr.get("name").as_str() {
            if matches!(found, EnvSource::Unset) {
                found = EnvSource::SecretAll {
                    name: name.to_string(),
                    at: sr,
                };
            }
        }
    }
    found
}
