//! The outbox: one `.eml` file per message in a directory, written atomically (a temporary
//! file, then a rename) and readable by the service's user only.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use async_trait::async_trait;
use surgicase_ports::{MailError, MailMessage, Mailer};

use crate::message::build_message;

#[derive(Debug, Clone)]
pub struct OutboxMailer {
    dir: PathBuf,
}

impl OutboxMailer {
    /// Creates `dir` (mode 0700) when it does not exist.
    pub fn new(dir: impl Into<PathBuf>) -> Result<Self, MailError> {
        let dir = dir.into();
        create_private_dir(&dir).map_err(|e| MailError::Outbox(format!("{}: {e}", dir.display())))?;
        Ok(Self { dir })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    fs::create_dir_all(dir)
}

/// Writes `bytes` to `dir/name` through a hidden temporary file, so a reader never sees half a
/// message.
fn write_atomically(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = dir.join(format!(".{name}.tmp"));
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let result = (|| {
        let mut file = options.open(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&tmp, dir.join(name))
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

#[async_trait]
impl Mailer for OutboxMailer {
    /// Returns the `Message-ID`; the file is named after its local part (`<id>.eml`).
    async fn send(&self, message: &MailMessage) -> Result<String, MailError> {
        let (email, id) = build_message(message)?;
        let local = id.trim_start_matches('<').split('@').next().unwrap_or_default().to_owned();
        let name = format!("{local}.eml");
        let dir = self.dir.clone();
        let bytes = email.formatted();
        tokio::task::spawn_blocking(move || write_atomically(&dir, &name, &bytes))
            .await
            .map_err(|e| MailError::Outbox(e.to_string()))?
            .map_err(|e| MailError::Outbox(e.to_string()))?;
        Ok(id)
    }
}
