//! Stage 3: configuration and secrets. Run only these with `cargo test stage3`.
//!
//! Concept: configuration lives outside the image and the workload; plain settings in a
//! ConfigMap in git, secrets in a Secret that never is.

use k8s_deployment::k8s::{self, EnvSource, Manifests};
use k8s_deployment::{Node, CONFIG_ENV, SECRET_ENV};

/// Every place in the pod template that names a ConfigMap or a Secret:
/// `(kind, reference node, name, key if the reference picks one key)`.
fn references<'a>(deployment: &Node<'a>) -> Vec<(&'static str, Node<'a>, String, Option<String>)> {
    let mut out = Vec::new();
    let pod = k8s::pod_spec(deployment);
    let all_containers = pod
        .get("containers")
        .items()
        .into_iter()
        .chain(pod.get("initContainers").items());
    for c in all_containers {
        for e in c.get("env").items() {
            for (kind, key) in [("ConfigMap", "configMapKeyRef"), ("Secret", "secretKeyRef")] {
                let at = e.get("valueFrom").get(key);
                if at.exists() {
                    let name = at.get("name").as_str().unwrap_or("").to_string();
                    let k = at.get("key").as_str().unwrap_or("").to_string();
                    out.push((kind, at, name, Some(k)));
                }
            }
        }
        for e in c.get("envFrom").items() {
            for (kind, key) in [("ConfigMap", "configMapRef"), ("Secret", "secretRef")] {
                let at = e.get(key);
                if at.exists() {
                    let name = at.get("name").as_str().unwrap_or("").to_string();
                    out.push((kind, at, name, None));
                }
            }
        }
    }
    for v in pod.get("volumes").items() {
        let cm = v.get("configMap");
        if cm.exists() {
            let name = cm.get("name").as_str().unwrap_or("").to_string();
            out.push(("ConfigMap", cm, name, None));
        }
        let sec = v.get("secret");
        if sec.exists() {
            let name = sec.get("secretName").as_str().unwrap_or("").to_string();
            out.push(("Secret", sec, name, None));
        }
    }
    out
}

const SECRET_ADVICE: &str = "a value in a ConfigMap, a Deployment or any file in git is readable by everyone with access to the repository, in every clone, forever (base64 in a Secret manifest is an encoding, not encryption); keep it in a Secret created outside git (kubectl create secret, your CI's secret store) or commit only an encrypted SealedSecret or an ExternalSecret";

#[test]
fn stage3_configuration_comes_from_a_configmap() {
    let m = Manifests::load();
    let mut r = m.report();
    let config_maps = m.of_kind("ConfigMap");
    if config_maps.is_empty() {
        r.fail(
            "deploy/",
            "contains no ConfigMap",
            "put demo-service's plain settings (GREETING, ...) in a ConfigMap, e.g. deploy/configmap.yaml",
        );
    }
    for cm in &config_maps {
        for (_, value) in cm.get("data").entries() {
            if value.as_str().is_none() {
                r.at(
                    &value,
                    format!("is {}, not a string", value.describe()),
                    format!("ConfigMap values must be strings: quote it (\"{}\"), or kubectl rejects the object", value.text().unwrap_or_default()),
                );
            }
        }
    }
    if let Some(dep) = m.exactly_one(&mut r, "Deployment", "apps/v1") {
        if let Some(c) = k8s::app_container(&dep) {
            for var in CONFIG_ENV {
                match k8s::env_source(&m, &c, var) {
                    EnvSource::ConfigMapKey { .. } | EnvSource::ConfigMapAll { .. } => {}
                    EnvSource::Literal(node) => r.at(
                        &node,
                        format!("sets {var} in the Deployment itself"),
                        "take it from the ConfigMap (valueFrom.configMapKeyRef, or envFrom.configMapRef): then a setting changes without editing the workload, and each environment differs by its ConfigMap alone",
                    ),
                    EnvSource::SecretKey { at, .. } | EnvSource::SecretAll { at, .. } => r.at(
                        &at,
                        format!("provides {var} from a Secret"),
                        format!("{var} is plain configuration: keep it in the ConfigMap, and Secrets for what must stay secret"),
                    ),
                    EnvSource::Other(node) => r.at(&node, format!("does not take {var} from a ConfigMap"), "use valueFrom.configMapKeyRef or envFrom.configMapRef"),
                    EnvSource::Unset => r.at(
                        &c.get("env"),
                        format!("does not set {var}"),
                        format!("demo-service reads {var}: give it from the ConfigMap with valueFrom.configMapKeyRef (or envFrom.configMapRef of a ConfigMap that has the key {var})"),
                    ),
                }
            }
        }
        for (_, at, name, key) in references(&dep).into_iter().filter(|(k, ..)| *k == "ConfigMap") {
            if name.is_empty() {
                r.missing(&at.get("name"), "name the ConfigMap to read");
                continue;
            }
            let optional = at.get("optional").as_bool() == Some(true);
            match m.named("ConfigMap", &name) {
                None if !optional => r.at(
                    &at,
                    format!("refers to ConfigMap {name:?}, which is not in deploy/"),
                    "use the metadata.name of your ConfigMap; a pod whose ConfigMap is missing stays in CreateContainerConfigError",
                ),
                None => {}
                Some(cm) => {
                    if let Some(k) = key {
                        if k.is_empty() {
                            r.missing(&at.get("key"), "name the key to read from the ConfigMap");
                        } else if !cm.get("data").get(&k).exists() && !optional {
                            r.at(&at.get("key"), format!("is {k:?}, which ConfigMap {name:?} does not have"), "use one of the keys under the ConfigMap's data");
                        }
                    }
                }
            }
        }
    }
    r.assert_ok();
}

#[test]
fn stage3_secrets_come_from_a_secret() {
    let m = Manifests::load();
    let mut r = m.report();
    if let Some(dep) = m.exactly_one(&mut r, "Deployment", "apps/v1") {
        if let Some(c) = k8s::app_container(&dep) {
            for var in SECRET_ENV {
                match k8s::env_source(&m, &c, var) {
                    EnvSource::SecretKey { .. } | EnvSource::SecretAll { .. } => {}
                    EnvSource::Literal(node) => r.at(
                        &node,
                        format!("writes the secret {var} into the Deployment"),
                        format!("take it from a Secret with valueFrom.secretKeyRef; {SECRET_ADVICE}"),
                    ),
                    EnvSource::ConfigMapKey { at, .. } | EnvSource::ConfigMapAll { at, .. } => r.at(
                        &at,
                        format!("provides the secret {var} from a ConfigMap"),
                        "ConfigMaps are not for secrets: anyone allowed to read ConfigMaps sees the value in plain text, and the manifest is in git; use valueFrom.secretKeyRef",
                    ),
                    EnvSource::Other(node) => r.at(&node, format!("does not take {var} from a Secret"), "use valueFrom.secretKeyRef"),
                    EnvSource::Unset => r.at(
                        &c.get("env"),
                        format!("does not set {var}"),
                        format!("demo-service reads {var} from its environment: take it from a Secret with valueFrom.secretKeyRef (for example name: demo-service-secrets, key: {var})"),
                    ),
                }
            }
        }
        for (_, at, name, key) in references(&dep).into_iter().filter(|(k, ..)| *k == "Secret") {
            if name.is_empty() {
                let field = if at.get("secretName").exists() || at.path().ends_with(".secret") { "secretName" } else { "name" };
                r.missing(&at.get(field), "name the Secret to read");
            }
            if let Some(k) = key {
                if k.is_empty() {
                    r.missing(&at.get("key"), "name the key to read from the Secret");
                }
            }
        }
    }
    r.assert_ok();
}

#[test]
fn stage3_no_secret_values_in_the_repository() {
    let m = Manifests::load();
    let mut r = m.report();
    for cm in m.of_kind("ConfigMap") {
        for field in ["data", "binaryData"] {
            for (key, value) in cm.get(field).entries() {
                if k8s::looks_like_secret_name(&key) {
                    r.at(&value, "looks like a secret", format!("move it out of the ConfigMap: {SECRET_ADVICE}"));
                } else if let Some(found) = value.as_str().and_then(k8s::secret_in_text) {
                    r.at(&value, found, format!("move the secret part out of the ConfigMap: {SECRET_ADVICE}"));
                }
            }
        }
    }
    for secret in m.of_kind("Secret") {
        for field in ["data", "stringData"] {
            let values = secret.get(field);
            if !values.entries().is_empty() {
                r.at(&values, "holds values", SECRET_ADVICE);
            }
        }
    }
    if let Some(dep) = m.exactly_one(&mut r, "Deployment", "apps/v1") {
        let pod = k8s::pod_spec(&dep);
        for c in pod.get("containers").items().into_iter().chain(pod.get("initContainers").items()) {
            for e in c.get("env").items() {
                let name = e.get("name").as_str().unwrap_or("");
                let value = e.get("value");
                let Some(text) = value.text() else { continue };
                if text.is_empty() {
                    continue;
                }
                if k8s::looks_like_secret_name(name) {
                    r.at(&value, format!("puts a value in {name}, which looks like a secret"), SECRET_ADVICE);
                } else if let Some(found) = k8s::secret_in_text(&text) {
                    r.at(&value, found, SECRET_ADVICE);
                }
            }
        }
    }
    r.assert_ok();
}
