//! The blind-index key: from the configuration (every replica the same), or, for the embedded
//! default, a key file generated at first start and readable only by the service user.

use std::fs;
use std::io::Write;
use std::path::PathBuf;

use surgicase_config::Config;

use crate::RuntimeError;

fn key_error(why: impl ToString) -> RuntimeError {
    RuntimeError::Key { key: "phi.blind_index_key", why: why.to_string() }
}

fn decode(hex_text: &str) -> Result<[u8; 32], RuntimeError> {
    let bytes = hex::decode(hex_text.trim()).map_err(key_error)?;
    bytes.try_into().map_err(|_| key_error("must be 32 bytes (64 hex digits)"))
}

/// The 256-bit key of the patient-name blind index.
pub fn blind_index_key(config: &Config) -> Result<[u8; 32], RuntimeError> {
    if !config.phi.blind_index_key.is_empty() {
        return decode(config.phi.blind_index_key.expose());
    }
    let path: PathBuf = if config.phi.key_file.as_os_str().is_empty() {
        config.data_dir.join("keys").join("blind-index.key")
    } else {
        config.phi.key_file.clone()
    };
    match fs::read_to_string(&path) {
        Ok(text) => decode(&text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => generate(&path),
        Err(e) => Err(key_error(format!("cannot read {}: {e}", path.display()))),
    }
}

fn generate(path: &PathBuf) -> Result<[u8; 32], RuntimeError> {
    let key: [u8; 32] = rand::random();
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| key_error(format!("cannot create {}: {e}", dir.display())))?;
        restrict(dir, 0o700)?;
    }
    // create_new: two processes starting at once cannot both write a key.
    let mut file = match fs::OpenOptions::new().write(true).create_new(true).open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let text = fs::read_to_string(path).map_err(key_error)?;
            return decode(&text);
        }
        Err(e) => return Err(key_error(format!("cannot create {}: {e}", path.display()))),
    };
    restrict(path, 0o600)?;
    file.write_all(hex::encode(key).as_bytes()).and_then(|_| file.sync_all()).map_err(key_error)?;
    tracing::info!(path = %path.display(), "generated the blind-index key");
    Ok(key)
}

#[cfg(unix)]
fn restrict(path: &std::path::Path, mode: u32) -> Result<(), RuntimeError> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).map_err(key_error)
}

#[cfg(not(unix))]
fn restrict(_path: &std::path::Path, _mode: u32) -> Result<(), RuntimeError> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_once_then_reused_and_private() {
        let dir = tempfile::tempdir().unwrap();
        let mut config = Config { data_dir: dir.path().to_path_buf(), ..Config::default() };
        let first = blind_index_key(&config).unwrap();
        let second = blind_index_key(&config).unwrap();
        assert_eq!(first, second);
        let path = dir.path().join("keys/blind-index.key");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        config.phi.blind_index_key = "00".repeat(32).into();
        assert_eq!(blind_index_key(&config).unwrap(), [0u8; 32]);
        config.phi.blind_index_key = "zz".into();
        assert!(blind_index_key(&config).is_err());
    }
}
