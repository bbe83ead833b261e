//! Stage 2: the Deployment and the Service. Run only these with `cargo test stage2`.
//!
//! Concept: a workload Kubernetes can run safely: it finds its pods, knows when they are
//! alive and ready, can schedule them, replaces them without downtime, and runs them with
//! the fewest privileges.

use std::collections::BTreeSet;

use k8s_deployment::image;
use k8s_deployment::k8s::{self, IntOrPercent, Manifests};
use k8s_deployment::{Node, HEALTH_PATH, READY_PATH, SERVICE_PORT};

/// `minReplicas` of an HPA in deploy/ that targets the Deployment, if there is one.
fn hpa_min_replicas(m: &Manifests, deployment: &Node<'_>) -> Option<i64> {
    m.of_kind("HorizontalPodAutoscaler")
        .into_iter()
        .find(|h| {
            let target = h.dig(&["spec", "scaleTargetRef"]);
            target.get("kind").as_str() == Some("Deployment")
                && target.get("name").as_str() == Some(k8s::name(deployment))
        })
        .and_then(|h| h.dig(&["spec", "minReplicas"]).as_i64())
}

#[test]
fn stage2_service_routes_to_the_pods() {
    let m = Manifests::load();
    let mut r = m.report();
    let dep = m.exactly_one(&mut r, "Deployment", "apps/v1");
    let svc = m.exactly_one(&mut r, "Service", "v1");

    let namespaces: BTreeSet<String> = m.docs.iter().map(|d| k8s::namespace(&d.root())).collect();
    if namespaces.len() > 1 {
        r.fail(
            "deploy/",
            format!("mixes namespaces ({})", namespaces.into_iter().collect::<Vec<_>>().join(", ")),
            "a Service only selects pods and a pod only reads ConfigMaps and Secrets of its own namespace; keep every object of demo-service in one (or set none and choose it with kubectl -n)",
        );
    }

    let mut labels = Vec::new();
    let mut containers = Vec::new();
    if let Some(dep) = &dep {
        labels = k8s::template_labels(dep);
        containers = k8s::containers(dep);
        let template_labels = dep.dig(&["spec", "template", "metadata", "labels"]);
        if labels.is_empty() {
            r.missing(
                &template_labels,
                "give the pods a label such as app.kubernetes.io/name: demo-service; the Deployment's selector and the Service find pods by their labels",
            );
        }
        let selector = dep.dig(&["spec", "selector"]);
        if selector.get("matchExpressions").exists() {
            r.at(
                &selector.get("matchExpressions"),
                "is set",
                "these checks understand matchLabels only; select the pods with matchLabels",
            );
        }
        let match_labels = selector.get("matchLabels");
        let pairs = match_labels.string_map();
        if pairs.is_empty() {
            r.missing(
                &match_labels,
                "a Deployment selects its pods by label: repeat the pod template's identifying label here",
            );
        }
        for (k, v) in &pairs {
            if !labels.contains(&(k.clone(), v.clone())) {
                r.at(
                    &match_labels.get(k),
                    format!("is {v:?}, but the pod template's labels do not include {k}: {v}"),
                    "every matchLabels pair must also be in spec.template.metadata.labels, or Kubernetes rejects the Deployment",
                );
            }
        }
        let declares_port = containers
            .iter()
            .any(|c| k8s::declared_ports(c).iter().any(|(_, n)| *n == SERVICE_PORT));
        if !declares_port {
            r.at(
                &k8s::pod_spec(dep).get("containers"),
                format!("declare no containerPort {SERVICE_PORT}"),
                "demo-service listens on 8080: declare it under the container's ports, with a name such as http that the Service and the probes can refer to",
            );
        }
    }

    if let Some(svc) = &svc {
        let kind = svc.dig(&["spec", "type"]);
        if kind.exists() && kind.as_str() != Some("ClusterIP") {
            r.at(
                &kind,
                format!("is {}", kind.describe()),
                "keep the Service internal with type ClusterIP (the default): reach it with kubectl port-forward now, and through an Ingress or gateway later, instead of opening a port on every node (NodePort) or paying for a cloud load balancer per service (LoadBalancer)",
            );
        }
        let selector = svc.dig(&["spec", "selector"]);
        let pairs = selector.string_map();
        if pairs.is_empty() {
            r.missing(
                &selector,
                "without a selector the Service routes to no pod: use the pod template's identifying label",
            );
        }
        if dep.is_some() {
            for (k, v) in &pairs {
                if !labels.contains(&(k.clone(), v.clone())) {
                    r.at(
                        &selector.get(k),
                        format!("is {v:?}, but the Deployment's pods do not carry {k}: {v}"),
                        "a Service sends traffic to every ready pod whose labels include all of its selector's pairs: copy them from spec.template.metadata.labels",
                    );
                }
            }
        }
        let ports = svc.dig(&["spec", "ports"]);
        if ports.items().is_empty() {
            r.missing(&ports, "list the port the Service offers, e.g. name: http, port: 80, targetPort: http");
        }
        let mut reaches_service_port = false;
        for p in ports.items() {
            let target = if p.get("targetPort").exists() { p.get("targetPort") } else { p.get("port") };
            match k8s::resolve_port(&containers, &target) {
                Some(n) if n == SERVICE_PORT => reaches_service_port = true,
                Some(_) => {}
                None if dep.is_some() => r.at(
                    &target,
                    format!("is {}, which no container port is named", target.describe()),
                    "a named targetPort must match the name of a containerPort in the pod template",
                ),
                None => {}
            }
        }
        if dep.is_some() && !ports.items().is_empty() && !reaches_service_port {
            r.at(
                &ports,
                format!("do not lead to container port {SERVICE_PORT}"),
                "set targetPort to 8080 or, better, to the name of the container port (e.g. http)",
            );
        }
    }
    r.assert_ok();
}

#[test]
fn stage2_replicas_and_rolling_update_keep_the_service_up() {
    let m = Manifests::load();
    let mut r = m.report();
    if let Some(dep) = m.exactly_one(&mut r, "Deployment", "apps/v1") {
        let replicas = dep.dig(&["spec", "replicas"]);
        let hpa_min = hpa_min_replicas(&m, &dep);
        let mut floor = 2;
        if replicas.exists() {
            match replicas.as_i64() {
                Some(n) if n >= 2 => floor = n,
                Some(n) => r.at(
                    &replicas,
                    format!("is {n}"),
                    "with one pod, every rollout, node drain or crash is an outage: run at least 2 replicas",
                ),
                None => r.at(&replicas, format!("is {}", replicas.describe()), "replicas must be a whole number, at least 2"),
            }
        } else {
            match hpa_min {
                Some(n) if n >= 2 => floor = n,
                _ => r.missing(
                    &replicas,
                    "run at least 2 replicas so one pod can fail or be rescheduled without an outage (once an HPA with minReplicas of 2 or more targets this Deployment, you may leave replicas out and let it decide)",
                ),
            }
        }

        let strategy = dep.dig(&["spec", "strategy"]);
        let kind = strategy.get("type");
        match kind.as_str() {
            Some("RollingUpdate") => {}
            Some("Recreate") => r.at(
                &kind,
                "is \"Recreate\"",
                "Recreate stops every old pod before starting new ones, an outage on every deploy; use RollingUpdate",
            ),
            _ => r.at(
                &kind,
                if kind.exists() { format!("is {}", kind.describe()) } else { "is missing".into() },
                "write strategy.type: RollingUpdate explicitly, together with its rollingUpdate settings, so the rollout behaviour is visible in review",
            ),
        }
        let rolling = strategy.get("rollingUpdate");
        let mut parsed = Vec::new();
        for key in ["maxUnavailable", "maxSurge"] {
            let node = rolling.get(key);
            if !node.exists() {
                r.missing(
                    &node,
                    "set it explicitly (the default is 25%, which rounds differently for 2 and for 10 pods): decide how many pods may be missing and how many extra may start during a rollout",
                );
                continue;
            }
            match IntOrPercent::from_node(&node) {
                Ok(v) => parsed.push((key, v, node)),
                Err(e) => r.at(&node, e, "use a whole number of pods (0, 1) or a percentage string (\"25%\")"),
            }
        }
        if let [(_, unavailable, un_node), (_, surge, _)] = parsed.as_slice() {
            let unavailable_pods = unavailable.resolve(floor, false);
            let surge_pods = surge.resolve(floor, true);
            if unavailable_pods == 0 && surge_pods == 0 {
                r.at(
                    &rolling,
                    "allows neither a missing nor an extra pod",
                    "with maxUnavailable 0 and maxSurge 0 a rollout can never make progress (Kubernetes rejects it); maxUnavailable: 0 with maxSurge: 1 keeps full capacity",
                );
            }
            if unavailable_pods >= floor {
                r.at(
                    un_node,
                    format!("lets all {floor} pods be unavailable at once"),
                    "a rolling update must keep at least one pod serving: use 0 or 1",
                );
            }
        }
    }
    r.assert_ok();
}

#[test]
fn stage2_probes_check_liveness_and_readiness() {
    let m = Manifests::load();
    let mut r = m.report();
    if let Some(dep) = m.exactly_one(&mut r, "Deployment", "apps/v1") {
        let containers = k8s::containers(&dep);
        match k8s::app_container(&dep) {
            None => r.missing(&k8s::pod_spec(&dep).get("containers"), "add the demo-service container"),
            Some(c) => {
                let probes = [
                    (
                        "readinessProbe",
                        READY_PATH,
                        "readiness asks \"may this pod receive traffic now?\": /ready answers 503 while the service warms up and while it drains on shutdown, so the Service stops sending it requests without restarting anything",
                    ),
                    (
                        "livenessProbe",
                        HEALTH_PATH,
                        "liveness asks \"is this process stuck and worth restarting?\": /health answers as long as the server works; pointing liveness at /ready would restart pods that are merely starting or draining",
                    ),
                ];
                for (key, path, why) in probes {
                    let probe = c.get(key);
                    if !probe.exists() {
                        r.missing(&probe, why);
                        continue;
                    }
                    let http = probe.get("httpGet");
                    if !http.exists() {
                        r.at(&probe, "does not use httpGet", format!("probe {path} with httpGet, which exercises the HTTP server itself; {why}"));
                        continue;
                    }
                    let p = http.get("path");
                    if p.as_str() != Some(path) {
                        r.at(&p, if p.exists() { format!("is {}", p.describe()) } else { "is missing".into() }, format!("use {path}: {why}"));
                    }
                    let port = http.get("port");
                    if k8s::resolve_port(&containers, &port) != Some(SERVICE_PORT) {
                        r.at(
                            &port,
                            if port.exists() { format!("is {}, which does not lead to port {SERVICE_PORT}", port.describe()) } else { "is missing".into() },
                            "probe the port demo-service listens on: 8080, or the name you gave that container port (http)",
                        );
                    }
                }
            }
        }
    }
    r.assert_ok();
}

#[test]
fn stage2_resources_are_requested_and_limited() {
    let m = Manifests::load();
    let mut r = m.report();
    if let Some(dep) = m.exactly_one(&mut r, "Deployment", "apps/v1") {
        for c in k8s::containers(&dep) {
            let res = c.get("resources");
            let required = [
                (["requests", "cpu"], "set a CPU request: the scheduler places pods by requests, and the autoscaler measures utilisation against it"),
                (["requests", "memory"], "set a memory request: the scheduler only puts the pod on a node with this much memory unreserved"),
                (["limits", "memory"], "set a memory limit so one pod cannot starve a node; a pod that exceeds it is OOM-killed and restarted instead of pushing its neighbours out"),
            ];
            let mut values = Vec::new();
            for (path, why) in required {
                let node = res.dig(&path);
                if !node.exists() {
                    r.missing(&node, why);
                    continue;
                }
                match k8s::quantity(&node) {
                    None => r.at(&node, format!("is {}, which is not a Kubernetes quantity", node.describe()), "write CPU as 100m or 0.1 and memory as 64Mi"),
                    Some(v) => values.push((path, v, node)),
                }
            }
            let limit_cpu = res.dig(&["limits", "cpu"]);
            if limit_cpu.exists() {
                match k8s::quantity(&limit_cpu) {
                    None => r.at(&limit_cpu, format!("is {}, which is not a Kubernetes quantity", limit_cpu.describe()), "write CPU as 500m or 0.5"),
                    Some(v) => values.push((["limits", "cpu"], v, limit_cpu.clone())),
                }
            }
            let get = |a: &str, b: &str| values.iter().find(|(p, _, _)| p == &[a, b]).map(|(_, v, n)| (*v, n.clone()));
            for (_, v, node) in values.iter().filter(|(p, _, _)| p[1] == "memory") {
                if *v < 1024.0 * 1024.0 {
                    r.at(
                        node,
                        format!("is {} = {v} bytes", node.describe()),
                        "memory is counted in bytes: 64m means 0.064 bytes and 64 means 64 bytes; write 64Mi",
                    );
                }
            }
            if let Some((v, node)) = get("requests", "cpu") {
                if v <= 0.0 {
                    r.at(&node, "is 0", "request some CPU, e.g. 100m");
                }
            }
            for kind in ["memory", "cpu"] {
                if let (Some((req, node)), Some((lim, _))) = (get("requests", kind), get("limits", kind)) {
                    if req > lim {
                        r.at(&node, format!("is more than limits.{kind}"), "Kubernetes rejects a request above the limit");
                    }
                }
            }
        }
    }
    r.assert_ok();
}

#[test]
fn stage2_pods_run_with_least_privilege() {
    let m = Manifests::load();
    let mut r = m.report();
    if let Some(dep) = m.exactly_one(&mut r, "Deployment", "apps/v1") {
        let pod = k8s::pod_spec(&dep);
        let pod_sc = pod.get("securityContext");
        for key in ["hostNetwork", "hostPID", "hostIPC"] {
            if pod.get(key).as_bool() == Some(true) {
                r.at(&pod.get(key), "is true", "sharing the node's network or process namespaces lets a compromised pod see and reach everything on the node");
            }
        }
        for c in k8s::containers(&dep) {
            let sc = c.get("securityContext");
            // A container setting wins over the pod-level one.
            let effective = |key: &str| if sc.get(key).exists() { sc.get(key) } else { pod_sc.get(key) };

            if effective("runAsNonRoot").as_bool() != Some(true) {
                r.at(
                    &sc.get("runAsNonRoot"),
                    "is not true (here or in spec.template.spec.securityContext)",
                    "runAsNonRoot: true makes the kubelet refuse to start the container as UID 0, whatever the image says",
                );
            }
            if effective("runAsUser").as_i64() == Some(0) {
                r.at(&sc.get("runAsUser"), "is 0 (root)", "run as an unprivileged UID such as 65532");
            }
            if sc.get("readOnlyRootFilesystem").as_bool() != Some(true) {
                r.at(
                    &sc.get("readOnlyRootFilesystem"),
                    if sc.get("readOnlyRootFilesystem").exists() { "is not true" } else { "is missing" },
                    "a read-only root filesystem stops an attacker, or a bug, from changing the binary or adding tools; mount an emptyDir for any directory the service must write",
                );
            }
            if sc.get("allowPrivilegeEscalation").as_bool() != Some(false) {
                r.at(
                    &sc.get("allowPrivilegeEscalation"),
                    if sc.get("allowPrivilegeEscalation").exists() { "is not false" } else { "is missing" },
                    "set it to false: otherwise a setuid binary can give a process more privileges than it started with",
                );
            }
            let caps = sc.get("capabilities");
            let drops_all = caps.get("drop").string_list().iter().any(|d| d.eq_ignore_ascii_case("ALL"));
            if !drops_all {
                r.at(
                    &caps.get("drop"),
                    "does not contain ALL",
                    "drop every Linux capability with drop: [\"ALL\"]; demo-service binds port 8080 and needs none",
                );
            }
            for cap in caps.get("add").string_list() {
                if cap != "NET_BIND_SERVICE" {
                    r.at(&caps.get("add"), format!("adds {cap}"), "add no capabilities (NET_BIND_SERVICE is the only one the restricted Pod Security Standard allows)");
                }
            }
            if sc.get("privileged").as_bool() == Some(true) {
                r.at(&sc.get("privileged"), "is true", "a privileged container has full access to the host's devices and kernel");
            }
            let seccomp = effective("seccompProfile").get("type");
            if !matches!(seccomp.as_str(), Some("RuntimeDefault" | "Localhost")) {
                r.at(
                    &sc.get("seccompProfile").get("type"),
                    "is not RuntimeDefault (here or in spec.template.spec.securityContext)",
                    "seccompProfile type RuntimeDefault applies the container runtime's system-call filter; the restricted Pod Security Standard requires it",
                );
            }
        }
    }
    r.assert_ok();
}

#[test]
fn stage2_images_are_pinned() {
    let m = Manifests::load();
    let mut r = m.report();
    if let Some(dep) = m.exactly_one(&mut r, "Deployment", "apps/v1") {
        for c in k8s::containers(&dep) {
            let img = c.get("image");
            match img.as_str() {
                None => r.missing(&img, "name the image to run, e.g. demo-service:0.1.0"),
                Some(s) => {
                    if let Some(problem) = image::parse(s).pinning_problem() {
                        r.at(
                            &img,
                            format!("{s:?} {problem}"),
                            "use the version tag you built (demo-service:0.1.0) or a digest: a pod restarted tomorrow must run the same bytes as today's pods; also, :latest makes Kubernetes default to imagePullPolicy: Always, which fails for an image you loaded into kind or minikube",
                        );
                    }
                }
            }
        }
    }
    r.assert_ok();
}
