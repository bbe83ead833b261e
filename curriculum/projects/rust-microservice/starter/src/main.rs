//! The binary: `cargo run` serves the API on 127.0.0.1:8080 (or `$ADDR`)
//! until Ctrl-C (or SIGTERM on Unix), then shuts down gracefully.
//!
//! Try it once stage 1 passes:
//!   curl -i http://127.0.0.1:8080/health

use rust_microservice::{serve, AppState};
use tokio::net::TcpListener;

// Rust note: `#[tokio::main]` turns `async fn main` into a plain `main` that
// starts tokio's multi-threaded runtime and runs the future on it. Nothing
// inside an `async fn` runs until something `.await`s it (or spawns it).
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Log lines go to stdout: `INFO request{request_id=req-1 ...}: ...`.
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::INFO)
        .init();

    let addr = std::env::var("ADDR").unwrap_or_else(|_| "127.0.0.1:8080".to_string());
    let listener = TcpListener::bind(&addr).await?;
    tracing::info!(addr = %listener.local_addr()?, "listening");

    serve(listener, AppState::in_memory(), shutdown_signal()).await?;
    tracing::info!("shut down cleanly");
    Ok(())
}

/// Completes on Ctrl-C, or on SIGTERM (what `docker stop` and Kubernetes send).
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut sigterm) => {
                sigterm.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();

    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutdown signal received; finishing in-flight requests");
}
