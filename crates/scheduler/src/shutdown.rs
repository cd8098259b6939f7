//! The shutdown signal shared by the scheduler's loops (SIGTERM, Ctrl-C, or a test).

use std::sync::Arc;

use tokio::sync::watch;

/// Fires the [`Shutdown`] signal.
#[derive(Debug)]
pub struct ShutdownTrigger(watch::Sender<bool>);

impl ShutdownTrigger {
    pub fn fire(&self) {
        self.0.send_replace(true);
    }
}

/// Whether shutdown was asked for; cheap to clone.
#[derive(Debug, Clone)]
pub struct Shutdown {
    rx: watch::Receiver<bool>,
    /// Keeps the channel open for [`Shutdown::never`].
    _sender: Option<Arc<watch::Sender<bool>>>,
}

/// A trigger and the signal it fires.
pub fn shutdown_pair() -> (ShutdownTrigger, Shutdown) {
    let (tx, rx) = watch::channel(false);
    (ShutdownTrigger(tx), Shutdown { rx, _sender: None })
}

impl Shutdown {
    /// A signal that never fires (one-off commands).
    pub fn never() -> Self {
        let (tx, rx) = watch::channel(false);
        Self { rx, _sender: Some(Arc::new(tx)) }
    }

    pub fn is_set(&self) -> bool {
        *self.rx.borrow()
    }

    /// Resolves once shutdown is asked for (never, if the trigger is dropped unfired).
    pub async fn wait(&self) {
        let mut rx = self.rx.clone();
        if rx.wait_for(|fired| *fired).await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn fires_once_for_every_clone() {
        let (trigger, shutdown) = shutdown_pair();
        let other = shutdown.clone();
        assert!(!shutdown.is_set());
        assert!(tokio::time::timeout(Duration::from_millis(20), other.wait()).await.is_err());
        trigger.fire();
        assert!(shutdown.is_set() && other.is_set());
        assert!(tokio::time::timeout(Duration::from_secs(1), other.wait()).await.is_ok());
        assert!(tokio::time::timeout(Duration::from_millis(20), Shutdown::never().wait()).await.is_err());
    }
}
