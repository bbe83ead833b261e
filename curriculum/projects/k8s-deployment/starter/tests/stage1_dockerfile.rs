//! Stage 1: the Dockerfile. Run only these with `cargo test stage1`.
//!
//! Concept: a multi-stage build that ships one pinned, non-root, single-binary image.

use k8s_deployment::dockerfile::{Dockerfile, Instruction};
use k8s_deployment::image::{self, PIN_ADVICE};
use k8s_deployment::{exists, read_text, Report, SERVICE_PORT};

const FILE: &str = "Dockerfile";

/// Reads and parses the Dockerfile, or records why it cannot.
fn load(r: &mut Report) -> Option<Dockerfile> {
    let text = match read_text(FILE) {
        Ok(t) => t,
        Err(v) => {
            r.extend([v]);
            return None;
        }
    };
    match Dockerfile::parse(&text) {
        Ok(d) => Some(d),
        Err(e) => {
            r.fail(FILE, format!("cannot be parsed ({e})"), "fix the syntax first; docker build would reject it too");
            None
        }
    }
}

/// The text of a RUN instruction including a heredoc body.
fn script(i: &Instruction) -> String {
    let mut s = i.args.clone();
    for line in &i.heredoc {
        s.push('\n');
        s.push_str(line);
    }
    s
}

#[test]
fn stage1_build_happens_in_its_own_stage() {
    let mut r = Report::new();
    if let Some(d) = load(&mut r) {
        let last = d.final_stage();
        if d.stages.len() < 2 {
            r.fail(
                FILE,
                "has only one stage (one FROM)",
                "use a multi-stage build: compile in a first stage FROM a Rust image, then start a second FROM with a small runtime base; only what you copy into the last stage ships, so the compiler, the sources and the build cache (over 1 GB) stay behind",
            );
        } else {
            let compiles = d.stages[..last.index]
                .iter()
                .flat_map(|s| s.all("RUN"))
                .map(script)
                .any(|s| s.contains("cargo build") && (s.contains("--release") || s.contains(" -r")));
            if !compiles {
                r.fail(
                    FILE,
                    "no stage before the last one runs `cargo build --release`",
                    "compile the service in the build stage, in release mode: a debug build is many times slower and larger",
                );
            }
            if let Some(parent) = d.earlier_stage(&last.base, last.index) {
                r.fail(
                    FILE,
                    format!("{} starts the final stage from {}", last.from.quote(), parent.label()),
                    "start the final stage from a small runtime base image (distroless, debian slim, scratch); built on the build stage it would inherit the whole toolchain",
                );
            }
        }
        // Sources copied from the build context must exist (paths are relative to the
        // folder given to `docker build`, here the project root).
        for stage in &d.stages {
            for ins in stage.all("COPY").into_iter().chain(stage.all("ADD")) {
                if ins.flag("from").is_some() || !ins.heredoc.is_empty() {
                    continue;
                }
                let words = ins.words();
                if words.len() < 2 {
                    r.fail(FILE, format!("{} needs a source and a destination", ins.quote()), "write COPY <source>... <destination>");
                    continue;
                }
                for src in &words[..words.len() - 1] {
                    let special = src.contains(['*', '?', '[', '$']) || src.contains("://");
                    if !special && !exists(src.trim_start_matches("./")) {
                        r.fail(
                            FILE,
                            format!("{} copies {src}, which does not exist", ins.quote()),
                            "COPY paths are relative to the build context, the folder you pass to docker build (here the project root); the service's sources are in service/",
                        );
                    }
                }
            }
        }
    }
    r.assert_ok();
}

#[test]
fn stage1_base_images_are_pinned() {
    let mut r = Report::new();
    if let Some(d) = load(&mut r) {
        for stage in &d.stages {
            let is_stage = d.earlier_stage(&stage.base, stage.index).is_some();
            if is_stage || stage.base.eq_ignore_ascii_case("scratch") {
                continue;
            }
            if let Some(problem) = image::parse(&stage.base).pinning_problem() {
                // Show the image after ARG substitution when it differs from the text.
                let shown = if stage.from.args.contains(&stage.base) {
                    String::new()
                } else {
                    format!(" (= {})", stage.base)
                };
                r.fail(FILE, format!("{}{shown} {problem}", stage.from.quote()), PIN_ADVICE);
            }
        }
        // `COPY --from=<image>` pulls an image too.
        for stage in &d.stages {
            for ins in stage.all("COPY") {
                if let Some(from) = ins.flag("from") {
                    if d.earlier_stage(from, stage.index).is_none() {
                        if let Some(problem) = image::parse(from).pinning_problem() {
                            r.fail(FILE, format!("{} copies from the image {from}, which {problem}", ins.quote()), PIN_ADVICE);
                        }
                    }
                }
            }
        }
    }
    r.assert_ok();
}

#[test]
fn stage1_final_image_runs_as_a_numeric_non_root_user() {
    let mut r = Report::new();
    if let Some(d) = load(&mut r) {
        let last = d.final_stage();
        match last.last("USER") {
            None => r.fail(
                FILE,
                format!("the final stage ({}) has no USER instruction", last.label()),
                "without USER the container runs as root (UID 0), so a bug in the service is a bug with root's rights inside the container; add e.g. USER 65532:65532 (the nonroot user of distroless images)",
            ),
            Some(ins) => {
                let spec = ins.args.trim();
                let (user, group) = match spec.split_once(':') {
                    Some((u, g)) => (u, Some(g)),
                    None => (spec, None),
                };
                if user == "0" || user.eq_ignore_ascii_case("root") {
                    r.fail(FILE, format!("{} runs the image as root", ins.quote()), "switch to an unprivileged user, e.g. USER 65532:65532");
                } else if user.is_empty() || !user.chars().all(|c| c.is_ascii_digit()) {
                    r.fail(
                        FILE,
                        format!("{} names the user instead of giving a numeric UID", ins.quote()),
                        "use a number, e.g. USER 65532:65532: Kubernetes' runAsNonRoot can only verify numeric UIDs and refuses to start a container whose image user is a name (unless the pod sets runAsUser)",
                    );
                }
                if let Some(g) = group {
                    if g.is_empty() || !g.chars().all(|c| c.is_ascii_digit()) {
                        r.fail(FILE, format!("{} gives a group that is not a number", ins.quote()), "write the group as a numeric GID too, e.g. USER 65532:65532");
                    }
                }
            }
        }
    }
    r.assert_ok();
}

#[test]
fn stage1_final_image_holds_only_the_binary() {
    let mut r = Report::new();
    if let Some(d) = load(&mut r) {
        let last = d.final_stage();
        for ins in last.all("ADD") {
            r.fail(
                FILE,
                format!("{} uses ADD in the final stage", ins.quote()),
                "ADD can download URLs and unpack archives into the image; copy the one binary with COPY --from=<build stage>",
            );
        }
        let copies = last.all("COPY");
        let mut binary: Option<String> = None;
        if copies.len() != 1 {
            r.fail(
                FILE,
                format!("the final stage has {} COPY instructions", copies.len()),
                "copy exactly one thing into the runtime image, the compiled binary: COPY --from=<build stage> <path of the binary> <destination>",
            );
        } else {
            let ins = copies[0];
            let words = ins.words();
            match ins.flag("from") {
                None => r.fail(
                    FILE,
                    format!("{} copies from the build context", ins.quote()),
                    "copy the compiled binary from the build stage with --from=<stage name>; sources and build files do not belong in the runtime image",
                ),
                Some(from) if d.earlier_stage(from, last.index).is_none() => r.fail(
                    FILE,
                    format!("{} copies from {from}, which is not an earlier stage", ins.quote()),
                    "name the build stage (FROM ... AS build, then COPY --from=build ...)",
                ),
                Some(_) => {}
            }
            if words.len() != 2 {
                r.fail(FILE, format!("{} does not copy exactly one source", ins.quote()), "copy the binary alone: one source, one destination");
            } else {
                let (src, dest) = (&words[0], &words[1]);
                let is_dir_or_pattern = src.contains(['*', '?', '['])
                    || src == "."
                    || src == "/"
                    || src.ends_with('/')
                    || src.ends_with("/.");
                if is_dir_or_pattern {
                    r.fail(
                        FILE,
                        format!("{} copies {src}, a directory or a pattern", ins.quote()),
                        "name the binary itself, e.g. /usr/local/bin/demo-service or /src/target/release/demo-service",
                    );
                }
                let name = src.rsplit('/').next().unwrap_or(src);
                let mut target = if dest.ends_with('/') {
                    format!("{dest}{name}")
                } else {
                    dest.clone()
                };
                if !target.starts_with('/') {
                    let workdir = last
                        .instructions
                        .iter()
                        .take_while(|i| i.line < ins.line)
                        .filter(|i| i.keyword == "WORKDIR")
                        .last()
                        .map(|i| i.args.trim().trim_end_matches('/').to_string())
                        .unwrap_or_default();
                    target = format!("{workdir}/{}", target.trim_start_matches("./"));
                }
                if !is_dir_or_pattern {
                    binary = Some(target);
                }
            }
        }
        let start = last.last("ENTRYPOINT").or_else(|| last.last("CMD"));
        match start {
            None => r.fail(
                FILE,
                "the final stage has no ENTRYPOINT or CMD",
                "start the binary you copied, in exec form: ENTRYPOINT [\"/usr/local/bin/demo-service\"]",
            ),
            Some(ins) => match ins.exec_form() {
                None => r.fail(
                    FILE,
                    format!("{} uses the shell form", ins.quote()),
                    "use the exec form, a JSON array: ENTRYPOINT [\"/usr/local/bin/demo-service\"]; the shell form runs /bin/sh -c, which a minimal image does not have, and makes the shell PID 1, so SIGTERM never reaches your service and Kubernetes kills it after the grace period",
                ),
                Some(argv) => {
                    let program = argv.first().cloned().unwrap_or_default();
                    if let Some(b) = &binary {
                        if &program != b {
                            r.fail(
                                FILE,
                                format!("{} starts {program:?}, not the copied binary {b:?}", ins.quote()),
                                "the first element must be the absolute path the COPY put the binary at",
                            );
                        }
                    }
                }
            },
        }
    }
    r.assert_ok();
}

#[test]
fn stage1_final_image_exposes_the_service_port() {
    let mut r = Report::new();
    if let Some(d) = load(&mut r) {
        let last = d.final_stage();
        let port = SERVICE_PORT.to_string();
        let exposed = last
            .all("EXPOSE")
            .iter()
            .flat_map(|i| i.words())
            .any(|w| w == port || w.eq_ignore_ascii_case(&format!("{port}/tcp")));
        if !exposed {
            r.fail(
                FILE,
                format!("the final stage does not EXPOSE {port}"),
                "document the port demo-service listens on with EXPOSE 8080: it opens nothing by itself, but readers, docker run -P and other tools rely on it",
            );
        }
    }
    r.assert_ok();
}
