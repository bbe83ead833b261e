//! Policy checks for the delivery artefacts of `demo-service`.
//!
//! This crate is already complete: you do not write Rust in this project. Your work is the
//! files the checks read, and `cargo test` is the inspector that reads them:
//!
//! | stage | your files                                   | test file                    |
//! |-------|----------------------------------------------|------------------------------|
//! | 1     | `Dockerfile`                                 | `tests/stage1_dockerfile.rs` |
//! | 2     | `deploy/deployment.yaml`, `deploy/service.yaml` | `tests/stage2_workload.rs` |
//! | 3     | `deploy/configmap.yaml` (+ the Deployment)   | `tests/stage3_config.rs`     |
//! | 4     | `deploy/hpa.yaml`                            | `tests/stage4_autoscaling.rs`|
//! | 5     | `.github/workflows/ci.yml`                   | `tests/stage5_ci.rs`         |
//! | 6     | `monitoring/*.yml`, `RUNBOOK.md`             | `tests/stage6_monitoring.rs` |
//!
//! The rules themselves are written out in the test files, one test per concern, using the
//! small API below: [`yaml::Node`] walks a parsed file and remembers the path it took,
//! [`report::Report`] collects every violation and fails the test with the full list.
//! Reading a test is the quickest way to see exactly what it wants.
//!
//! Files are read relative to the project root (the folder with `Cargo.toml`). Set the
//! environment variable `K8S_DEPLOYMENT_ROOT` to check the artefacts of another folder.

pub mod dockerfile;
pub mod image;
pub mod k8s;
pub mod markdown;
pub mod prometheus;
pub mod report;
pub mod workflow;
pub mod yaml;

use std::path::PathBuf;

pub use report::{Report, Violation};
pub use yaml::{Doc, Node};

/// The port `demo-service` listens on (its `ADDR` defaults to `0.0.0.0:8080`).
pub const SERVICE_PORT: i64 = 8080;
/// Liveness endpoint: 200 as long as the process can answer at all.
pub const HEALTH_PATH: &str = "/health";
/// Readiness endpoint: 200 once warmed up, 503 while starting or draining.
pub const READY_PATH: &str = "/ready";
/// Where `demo-service` serves Prometheus metrics (on [`SERVICE_PORT`]).
pub const METRICS_PATH: &str = "/metrics";
/// The request counter `demo-service` exports, with labels `path` and `code`.
pub const REQUEST_COUNTER: &str = "http_requests_total";
/// Environment variables `demo-service` reads that are plain configuration.
pub const CONFIG_ENV: &[&str] = &["GREETING"];
/// Environment variables `demo-service` reads that are secrets.
pub const SECRET_ENV: &[&str] = &["API_TOKEN"];

/// The folder whose artefacts are checked: `$K8S_DEPLOYMENT_ROOT` if set, else the
/// package folder `cargo test` reports in `$CARGO_MANIFEST_DIR`, else the folder this
/// crate was compiled from.
pub fn project_root() -> PathBuf {
    ["K8S_DEPLOYMENT_ROOT", "CARGO_MANIFEST_DIR"]
        .iter()
        .filter_map(std::env::var_os)
        .find(|dir| !dir.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}

/// Reads a text file given relative to the project root (`"deploy/hpa.yaml"`).
pub fn read_text(relative: &str) -> Result<String, Violation> {
    let path = project_root().join(relative);
    std::fs::read_to_string(&path).map_err(|e| Violation {
        file: relative.to_string(),
        problem: if e.kind() == std::io::ErrorKind::NotFound {
            "does not exist".to_string()
        } else {
            format!("cannot be read ({e})")
        },
        advice: "create it at this path, relative to the folder that holds Cargo.toml".into(),
    })
}

/// `true` when `relative` names an existing file or folder under the project root.
pub fn exists(relative: &str) -> bool {
    project_root().join(relative).exists()
}

/// Reads and parses a YAML file that holds one document.
pub fn load_yaml(relative: &str) -> Result<Doc, Violation> {
    let text = read_text(relative)?;
    yaml::parse_single(relative, &text)
}
