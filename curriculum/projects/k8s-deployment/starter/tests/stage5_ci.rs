//! Stage 5: the CI/CD workflow. Run only these with `cargo test stage5`.
//!
//! Concept: a pipeline that tests, builds one traceable artefact, and deploys exactly
//! that artefact, only from main, with the fewest permissions and no leaked secrets.

use k8s_deployment::workflow::{self, Role, Workflow, WORKFLOW_FILE};
use k8s_deployment::Report;

const FILE: &str = WORKFLOW_FILE;

fn load(r: &mut Report) -> Option<Workflow> {
    match Workflow::load() {
        Ok(w) => Some(w),
        Err(v) => {
            r.extend([v]);
            None
        }
    }
}

/// Scopes a job may be given `write` access to.
const WRITABLE_SCOPES: [&str; 4] = ["packages", "id-token", "attestations", "deployments"];

#[test]
fn stage5_jobs_run_in_order() {
    let mut r = Report::new();
    if let Some(w) = load(&mut r) {
        let jobs = w.jobs();
        if jobs.is_empty() {
            r.missing(&w.root().get("jobs"), "define the jobs: test, build (and push) the image, deploy");
        }
        for (id, job) in &jobs {
            for need in w.needs(id) {
                if w.job(&need).is_none() {
                    r.at(&job.get("needs"), format!("names {need:?}, which is not a job"), "needs lists job ids from this workflow");
                }
            }
            if w.all_needs(id).contains(id) {
                r.at(&job.get("needs"), "leads back to this job", "the needs of a job must not form a cycle");
            }
        }
        let tests = w.jobs_with(Role::Test);
        let builds = w.jobs_with(Role::Build);
        let deploys = w.jobs_with(Role::Deploy);
        if tests.is_empty() {
            r.fail(FILE, "no job runs `cargo test`", "add a test job that runs cargo test (the service's tests and these policy checks)");
        }
        if builds.is_empty() {
            r.fail(
                FILE,
                "no job pushes an image",
                "add a build job that builds the Dockerfile and pushes the image: docker/build-push-action with push: true, or docker build plus docker push",
            );
        }
        if deploys.is_empty() {
            r.fail(FILE, "no job deploys", "add a deploy job that applies the manifests with kubectl (or helm) and waits with kubectl rollout status");
        }
        for b in &builds {
            let job = w.job(b).expect("listed job exists");
            if tests.contains(b) {
                r.at(&job, "both tests and pushes the image", "split testing and building into separate jobs, so the order is explicit in needs and a failed test can never be followed by a push");
            }
            for t in tests.iter().filter(|t| *t != b) {
                if !w.all_needs(b).contains(t) {
                    r.at(&job.get("needs"), format!("does not wait for job {t}"), format!("add needs: {t}: push an image only after the tests of the same commit passed"));
                }
            }
        }
        for d in &deploys {
            let job = w.job(d).expect("listed job exists");
            if builds.contains(d) || tests.contains(d) {
                r.at(&job, "deploys and also tests or builds", "give deployment its own job, which needs the build job");
            }
            let needs = w.all_needs(d);
            let other_builds: Vec<&String> = builds.iter().filter(|b| *b != d).collect();
            if !other_builds.is_empty() && !other_builds.iter().any(|b| needs.contains(*b)) {
                r.at(&job.get("needs"), "does not wait for the build job", format!("add needs: {}: deploy only an image that was built and pushed by this run", other_builds[0]));
            }
            for t in tests.iter().filter(|t| *t != d) {
                if !needs.contains(t) {
                    r.at(&job.get("needs"), format!("does not wait for job {t}"), "deploy only after the tests passed (directly, or through the build job's needs)");
                }
            }
        }
    }
    r.assert_ok();
}

#[test]
fn stage5_image_is_tagged_with_the_commit() {
    let mut r = Report::new();
    if let Some(w) = load(&mut r) {
        for (node, text) in w.root().all_strings() {
            if text.contains(":latest") {
                r.at(
                    &node,
                    "uses the tag latest",
                    "never build, push or deploy :latest: it is overwritten by every build, so you cannot tell which commit runs or roll back to the previous image; tag with the commit SHA",
                );
            }
        }
        let mentions = |id: &str, needles: &[String]| {
            w.job(id)
                .map(|j| j.all_strings().iter().any(|(_, s)| needles.iter().any(|n| s.contains(n.as_str()))))
                .unwrap_or(false)
        };
        let sha = vec!["github.sha".to_string(), "GITHUB_SHA".to_string()];
        let builds = w.jobs_with(Role::Build);
        for b in &builds {
            if !mentions(b, &sha) {
                r.at(
                    &w.job(b).expect("listed job exists"),
                    "does not tag the image with the commit SHA",
                    "tag the image ${{ github.sha }} (e.g. tags: ghcr.io/your-org/demo-service:${{ github.sha }}): any running image then leads back to the exact commit it was built from",
                );
            }
        }
        for d in w.jobs_with(Role::Deploy) {
            let mut needles = sha.clone();
            needles.extend(builds.iter().map(|b| format!("needs.{b}.outputs.")));
            if !mentions(&d, &needles) {
                r.at(
                    &w.job(&d).expect("listed job exists"),
                    "does not say which image to deploy",
                    "deploy the image this run pushed: its digest from the build job's outputs (${{ needs.build.outputs.digest }}) or the ${{ github.sha }} tag",
                );
            }
        }
    }
    r.assert_ok();
}

#[test]
fn stage5_deploys_only_from_main() {
    let mut r = Report::new();
    if let Some(w) = load(&mut r) {
        for d in w.jobs_with(Role::Deploy) {
            if !w.runs_only_on_main(&d) {
                let job = w.job(&d).expect("listed job exists");
                r.at(
                    &job.get("if"),
                    if job.get("if").exists() { "does not limit the job to main" } else { "is missing" },
                    "add if: github.ref == 'refs/heads/main' to the deploy job (or to a job it needs), without ||: otherwise a pull request or a feature branch can deploy to production",
                );
            }
        }
        for b in w.jobs_with(Role::Build) {
            if !w.never_runs_for_pull_requests(&b) {
                let job = w.job(&b).expect("listed job exists");
                r.at(
                    &job.get("if"),
                    if job.get("if").exists() { "lets the job push an image for a pull request" } else { "is missing" },
                    "pull requests should test, not publish: add if: github.event_name == 'push' (or the main-branch condition) to the build job",
                );
            }
        }
    }
    r.assert_ok();
}

#[test]
fn stage5_secrets_stay_secret() {
    let mut r = Report::new();
    if let Some(w) = load(&mut r) {
        if w.events().iter().any(|e| e == "pull_request_target") {
            r.at(
                &w.on().get("pull_request_target"),
                "is a trigger",
                "pull_request_target runs with the repository's secrets and write token in the context of untrusted pull requests; use pull_request",
            );
        }
        let root = w.root();
        for (_, job) in w.jobs() {
            for step in workflow::steps(&job) {
                let run = step.get("run");
                let Some(script) = run.as_str() else { continue };
                let exprs = workflow::expressions(script);
                if exprs.iter().any(|e| e.contains("secrets.")) {
                    r.at(
                        &run,
                        "interpolates a secret into the script",
                        "GitHub pastes ${{ }} into the script text before the shell runs, so the secret lands in the script file and can break or inject into the command; pass it through env: (NAME: ${{ secrets.X }}) and use \"$NAME\"",
                    );
                }
                if exprs.iter().any(|e| e.contains("github.event.") || e.contains("github.head_ref")) {
                    r.at(
                        &run,
                        "interpolates text a pull request author controls",
                        "a branch name or PR title pasted into a script is script injection; pass it through env: and quote the variable",
                    );
                }
                let secret_vars = workflow::secret_env_names(&[root.clone(), job.clone(), step.clone()]);
                if secret_vars.is_empty() {
                    continue;
                }
                if script.contains("set -x") || script.contains("set -o xtrace") {
                    r.at(&run, "traces commands while secrets are in its environment", "set -x prints every expanded command, secrets included; remove it");
                }
                for line in script.lines() {
                    let prints = line.contains("echo") || line.contains("printf");
                    let redirected = line.contains('>') || line.contains('|');
                    for var in &secret_vars {
                        let uses = line.contains(&format!("${var}")) || line.contains(&format!("${{{var}}}"));
                        if uses && prints && !redirected {
                            r.at(
                                &run,
                                format!("prints the secret {var} to the log"),
                                "write it to a file (printf '%s' \"$VAR\" > \"$RUNNER_TEMP/file\") or pipe it into the command that needs it (... | docker login --password-stdin); log masking is a safety net with holes (it misses encoded or split values), not a licence to print",
                            );
                        }
                    }
                }
            }
        }
    }
    r.assert_ok();
}

#[test]
fn stage5_permissions_are_least_privilege() {
    let mut r = Report::new();
    if let Some(w) = load(&mut r) {
        let top = w.root().get("permissions");
        if !top.exists() {
            r.missing(
                &top,
                "without a permissions block every job's GITHUB_TOKEN gets the repository's default, which can include writing code and packages; add permissions: contents: read at the top and grant more per job",
            );
        } else if top.as_str().is_some() {
            r.at(&top, format!("is {}", top.describe()), "list the scopes you need (contents: read) instead of read-all or write-all");
        } else {
            for (scope, level) in top.entries() {
                if level.as_str() == Some("write") {
                    r.at(&level, "is write at the workflow level", format!("give {scope}: write only to the job that needs it, in that job's permissions"));
                }
            }
        }
        let tests = w.jobs_with(Role::Test);
        for (id, job) in w.jobs() {
            let perms = job.get("permissions");
            if let Some(s) = perms.as_str() {
                if s.contains("write") {
                    r.at(&perms, format!("is {s:?}"), "list only the scopes this job needs, e.g. contents: read and packages: write");
                }
            }
            for (scope, level) in perms.entries() {
                if level.as_str() != Some("write") {
                    continue;
                }
                if tests.contains(&id) {
                    r.at(&level, "is write in a job that runs tests", "a test job runs code from every pull request and its dependencies; it needs no write access");
                } else if !WRITABLE_SCOPES.contains(&scope.as_str()) {
                    r.at(
                        &level,
                        "is write",
                        format!("this pipeline needs write access only to {}: packages to push the image, id-token for cloud login without stored keys", WRITABLE_SCOPES.join(", ")),
                    );
                }
            }
            let mut uses: Vec<_> = workflow::steps(&job).iter().map(|s| s.get("uses")).collect();
            uses.push(job.get("uses"));
            for u in uses {
                let Some(text) = u.as_str() else { continue };
                if text.starts_with("./") || text.starts_with("docker://") {
                    continue;
                }
                match text.rsplit_once('@') {
                    None => r.at(&u, format!("is {text:?} without a version"), "pin the action to a release tag (@v4) or, stronger, a full commit SHA"),
                    Some((_, reference)) if ["main", "master", "HEAD"].contains(&reference) => r.at(
                        &u,
                        format!("follows the branch {reference}"),
                        "pin the action to a release tag (@v4) or, stronger, a full commit SHA: a branch runs whatever its owner pushes next, with your token and secrets in reach",
                    ),
                    Some(_) => {}
                }
            }
        }
    }
    r.assert_ok();
}
