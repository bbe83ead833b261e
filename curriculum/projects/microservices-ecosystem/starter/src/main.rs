//! `cargo run`: starts the whole ecosystem on your machine. **Provided.**
//!
//! ```text
//! gateway        http://127.0.0.1:8080   (the only one clients need)
//! auth           http://127.0.0.1:8081
//! processing     http://127.0.0.1:8082
//! notifications  http://127.0.0.1:8083   (Elixir, started with `mix run --no-halt`)
//! ```
//!
//! Set `GATEWAY_PORT` to move the gateway; the other three use the next three ports. Logs of
//! the Rust services go to the terminal (`RUST_LOG` is not needed); the Elixir service's
//! output is copied there too. Stop everything with Ctrl-C.

use std::net::SocketAddr;

use microservices_ecosystem::{auth, gateway, processing, ElixirNotifications};

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt().with_target(false).init();

    let base: u16 = std::env::var("GATEWAY_PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(8080);
    let at = |offset: u16| SocketAddr::from(([127, 0, 0, 1], base + offset));

    println!("starting the notification service (Elixir) ...");
    let notifications = ElixirNotifications::start_on(base + 3).await;

    // A development key. A real deployment reads it from a secret store.
    let key = std::env::var("AUTH_KEY").unwrap_or_else(|_| "dev-only-key-change-me-0123456789abcdef".to_owned());
    let auth = auth::start(at(1), auth::AuthConfig { key: key.into_bytes(), clock: auth::system_clock() })
        .await
        .expect("start auth");
    let processing = processing::start(at(2), processing::ProcessingConfig::new(auth.url(), notifications.url()))
        .await
        .expect("start processing");
    let gateway = gateway::start(at(0), gateway::GatewayConfig::new(auth.url(), processing.url(), notifications.url()))
        .await
        .expect("start gateway");

    let g = gateway.url();
    println!(
        "\nready: gateway {g}, auth {}, processing {}, notifications {}\n\ntry:\n  \
         TOKEN=$(curl -s -X POST {g}/v1/tokens -d '{{\"subject\":\"alice\"}}' | sed 's/.*\"token\":\"\\([^\"]*\\)\".*/\\1/')\n  \
         curl -i -X POST {g}/v1/jobs -H \"Authorization: Bearer $TOKEN\" -H 'X-Correlation-Id: demo-1' \
         -d '{{\"operation\":\"word_count\",\"text\":\"hello there world\"}}'\n  \
         curl -s {g}/v1/notifications\n\nCtrl-C stops everything.",
        auth.url(),
        processing.url(),
        notifications.url(),
    );

    // Copy the Elixir service's log lines to our terminal as they arrive.
    let mut printed = 0;
    loop {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        let output = notifications.output();
        if output.len() > printed {
            print!("{}", &output[printed..]);
            printed = output.len();
        }
    }
}
