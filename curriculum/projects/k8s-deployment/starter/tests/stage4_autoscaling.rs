//! Stage 4: the HorizontalPodAutoscaler. Run only these with `cargo test stage4`.
//!
//! Concept: capacity that follows load within bounds you chose, measured against the
//! resource requests you declared.

use k8s_deployment::k8s::{self, Manifests};

/// The largest maxReplicas these checks accept.
const MAX_REPLICAS_CAP: i64 = 20;

#[test]
fn stage4_hpa_targets_the_deployment() {
    let m = Manifests::load();
    let mut r = m.report();
    let hpa = m.exactly_one(&mut r, "HorizontalPodAutoscaler", "autoscaling/v2");
    let dep = m.exactly_one(&mut r, "Deployment", "apps/v1");
    if let Some(hpa) = &hpa {
        let target = hpa.dig(&["spec", "scaleTargetRef"]);
        for (key, want) in [("apiVersion", "apps/v1"), ("kind", "Deployment")] {
            let node = target.get(key);
            if node.as_str() != Some(want) {
                r.at(&node, if node.exists() { format!("is {}", node.describe()) } else { "is missing".into() }, format!("the HPA scales a Deployment: set {key}: {want}"));
            }
        }
        if let Some(dep) = &dep {
            let name = target.get("name");
            if name.as_str() != Some(k8s::name(dep)) {
                r.at(
                    &name,
                    if name.exists() { format!("is {}", name.describe()) } else { "is missing".into() },
                    format!("use the Deployment's metadata.name, {:?}; an HPA whose target does not exist silently does nothing", k8s::name(dep)),
                );
            }
        }
    }
    r.assert_ok();
}

#[test]
fn stage4_replica_bounds_are_sane() {
    let m = Manifests::load();
    let mut r = m.report();
    if let Some(hpa) = m.exactly_one(&mut r, "HorizontalPodAutoscaler", "autoscaling/v2") {
        let min_node = hpa.dig(&["spec", "minReplicas"]);
        let max_node = hpa.dig(&["spec", "maxReplicas"]);
        let min = min_node.as_i64();
        let max = max_node.as_i64();
        match min {
            None => r.at(
                &min_node,
                if min_node.exists() { format!("is {}", min_node.describe()) } else { "is missing".into() },
                "set minReplicas to 2 or more: it defaults to 1, and at low load the autoscaler would shrink the service to a single pod, a single point of failure",
            ),
            Some(n) if n < 2 => r.at(&min_node, format!("is {n}"), "keep at least 2 pods even at night: one pod is a single point of failure during a node drain or a crash"),
            Some(_) => {}
        }
        match max {
            None => r.missing(&max_node, "set maxReplicas: the most pods you are prepared to pay for and your database can serve"),
            Some(n) if min.is_some_and(|lo| n <= lo) => r.at(
                &max_node,
                format!("is {n}, not more than minReplicas"),
                "maxReplicas must be larger than minReplicas, or the autoscaler has no room to scale",
            ),
            Some(n) if n > MAX_REPLICAS_CAP => r.at(
                &max_node,
                format!("is {n}"),
                format!("cap it at a number you have budgeted capacity for (at most {MAX_REPLICAS_CAP} here): a traffic flood or a bug that burns CPU should hit a ceiling, not scale the bill and the downstream database without limit"),
            ),
            Some(_) => {}
        }
        if let (Some(lo), Some(hi)) = (min, max) {
            if let Some(dep) = m.exactly_one(&mut r, "Deployment", "apps/v1") {
                let replicas = dep.dig(&["spec", "replicas"]);
                if let Some(n) = replicas.as_i64() {
                    if n < lo || n > hi {
                        r.at(
                            &replicas,
                            format!("is {n}, outside the autoscaler's range {lo}..{hi}"),
                            "every kubectl apply sets the Deployment back to this number and the autoscaler then corrects it; remove replicas from the Deployment, or at least keep it within minReplicas..maxReplicas",
                        );
                    }
                }
            }
        }
    }
    r.assert_ok();
}

#[test]
fn stage4_scales_on_cpu_utilisation_of_requests() {
    let m = Manifests::load();
    let mut r = m.report();
    if let Some(hpa) = m.exactly_one(&mut r, "HorizontalPodAutoscaler", "autoscaling/v2") {
        let metrics = hpa.dig(&["spec", "metrics"]);
        let cpu = metrics.items().into_iter().find(|x| {
            x.get("type").as_str() == Some("Resource") && x.dig(&["resource", "name"]).as_str() == Some("cpu")
        });
        match cpu {
            None => r.at(
                &metrics,
                if metrics.exists() { "has no CPU resource metric" } else { "is missing" },
                "add - type: Resource with resource.name: cpu and target type: Utilization, averageUtilization: 70",
            ),
            Some(cpu) => {
                let target = cpu.dig(&["resource", "target"]);
                let kind = target.get("type");
                if kind.as_str() != Some("Utilization") {
                    r.at(&kind, if kind.exists() { format!("is {}", kind.describe()) } else { "is missing".into() }, "use type: Utilization, a percentage of the pods' CPU requests");
                }
                let util = target.get("averageUtilization");
                match util.as_i64() {
                    Some(n) if (50..=90).contains(&n) => {}
                    Some(n) => r.at(
                        &util,
                        format!("is {n}"),
                        "choose 50 to 90: below 50% you pay for mostly idle pods; above 90% new pods arrive too late, because starting a pod and passing its readiness probe takes tens of seconds while load keeps rising",
                    ),
                    None => r.at(&util, if util.exists() { format!("is {}", util.describe()) } else { "is missing".into() }, "set averageUtilization to a whole-number percentage between 50 and 90"),
                }
            }
        }
    }
    if let Some(dep) = m.exactly_one(&mut r, "Deployment", "apps/v1") {
        for c in k8s::containers(&dep) {
            let req = c.dig(&["resources", "requests", "cpu"]);
            if k8s::quantity(&req).map_or(true, |v| v <= 0.0) {
                r.at(
                    &req,
                    if req.exists() { format!("is {}", req.describe()) } else { "is missing".into() },
                    "the autoscaler computes utilisation as CPU used divided by the CPU request; without a request on every container it cannot scale on CPU at all",
                );
            }
        }
    }
    r.assert_ok();
}
