//! A replica's listener: keeps the served state up to date with writes made on other servers.
//!
//! Inputs: the store's connection settings and a callback that brings the served map up to
//! the store's change log. Outputs: calls of that callback whenever the store's newest change
//! number is above the one the served map was last known to be at. A dedicated connection
//! `LISTEN`s on [`CHANNEL`]; a notification only says "look now". The change log is the truth:
//! its newest number is read after every notification, every 2 s in any case, and first thing
//! after every (re)connection, so a replica that missed notifications (its connection dropped,
//! the database restarted) still catches up. The listener also keeps `/health` current: it marks
//! the store unavailable while it cannot reach the database.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use tokio_postgres::AsyncMessage;

use super::{CHANNEL, Shared};

/// How often the sequence is read without a notification.
const POLL: Duration = Duration::from_secs(2);

/// How long to wait before connecting again after a failure.
const RECONNECT: Duration = Duration::from_secs(1);

/// Listens, checks and reloads until the store's runtime stops.
pub(super) async fn run(
    shared: Arc<Shared>,
    on_change: Arc<dyn Fn() -> Option<u64> + Send + Sync>,
) {
    loop {
        if let Err(reason) = listen(&shared, &on_change).await {
            tracing::warn!(
                "{}: change listener: {reason}; reconnecting",
                shared.label.display()
            );
            shared.set_down(Some(reason));
        }
        tokio::time::sleep(RECONNECT).await;
    }
}

/// One connection's life: LISTEN, catch up, then wait for hints and polls until it breaks.
async fn listen(
    shared: &Arc<Shared>,
    on_change: &Arc<dyn Fn() -> Option<u64> + Send + Sync>,
) -> Result<(), String> {
    let (client, mut connection) = shared
        .config
        .connect(shared.tls.clone())
        .await
        .map_err(|e| e.to_string())?;
    let (hint_tx, mut hints) = tokio::sync::mpsc::unbounded_channel::<()>();
    // The connection object delivers notifications; it ends when the connection does, and
    // dropping `hint_tx` then tells the loop below.
    tokio::spawn(async move {
        while let Some(message) = std::future::poll_fn(|cx| connection.poll_message(cx)).await {
            match message {
                Ok(AsyncMessage::Notification(_)) => {
                    if hint_tx.send(()).is_err() {
                        break;
                    }
                }
                Ok(_) => {}
                Err(_) => break,
            }
        }
    });
    client
        .batch_execute(&format!("LISTEN {CHANNEL}"))
        .await
        .map_err(|e| e.to_string())?;
    shared.set_down(None);
    loop {
        let seq: i64 = client
            .query_one("SELECT COALESCE(max(number), 0) FROM changes", &[])
            .await
            .map_err(|e| e.to_string())?
            .get(0);
        let seq = u64::try_from(seq).unwrap_or(0);
        if seq > shared.served_change.load(Ordering::SeqCst) {
            let follow = Arc::clone(on_change);
            // Applying reads the store and changes the atlas: blocking work, off the runtime's
            // workers. One at a time, as this loop waits for it.
            match tokio::task::spawn_blocking(move || follow()).await {
                Ok(Some(served)) => {
                    shared.served_change.fetch_max(served, Ordering::SeqCst);
                }
                Ok(None) => {}
                Err(_) => tracing::error!(
                    "{}: following change {seq} panicked",
                    shared.label.display()
                ),
            }
        }
        tokio::select! {
            hint = hints.recv() => {
                if hint.is_none() {
                    return Err("the listening connection closed".to_owned());
                }
                // Several notifications in a burst need one catch-up.
                while hints.try_recv().is_ok() {}
            }
            () = tokio::time::sleep(POLL) => {}
        }
    }
}
