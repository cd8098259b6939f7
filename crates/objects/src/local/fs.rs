//! Small synchronous file-system steps: private modes, atomic replacement, containment.
//! Called from `spawn_blocking` only.

use std::fs::{self, DirBuilder, File, OpenOptions};
use std::io::{self, ErrorKind, Write};
#[cfg(unix)]
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use surgicase_ports::ObjectError;

/// Files are readable by the service user only.
pub(crate) const FILE_MODE: u32 = 0o600;
/// So are directories.
pub(crate) const DIR_MODE: u32 = 0o700;

/// Creates `dir` and its missing parents with [`DIR_MODE`].
pub(crate) fn create_dirs(dir: &Path) -> io::Result<()> {
    let mut builder = DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    builder.mode(DIR_MODE);
    builder.create(dir)
}

/// Sets [`DIR_MODE`] on a directory we own (the store's own top-level directories).
pub(crate) fn make_private(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    fs::set_permissions(dir, fs::Permissions::from_mode(DIR_MODE))?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Writes `bytes` to a new file `path` with [`FILE_MODE`] and flushes it to disk.
pub(crate) fn write_new_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    options.mode(FILE_MODE);
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Flushes a directory entry change (a rename or unlink) to disk.
pub(crate) fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

/// Renames `from` onto `to` (replacing a file there), creating `to`'s parents. A pruning of
/// empty directories by a concurrent delete may remove a parent between the two steps, so a
/// missing parent is recreated a few times.
pub(crate) fn rename_into(from: &Path, to: &Path) -> io::Result<()> {
    let parent = to.parent().ok_or_else(|| io::Error::new(ErrorKind::InvalidInput, "no parent"))?;
    let mut attempts = 0;
    loop {
        create_dirs(parent)?;
        match fs::rename(from, to) {
            Ok(()) => return sync_dir(parent),
            Err(e) if e.kind() == ErrorKind::NotFound && attempts < 3 && from.exists() => attempts += 1,
            Err(e) => return Err(e),
        }
    }
}

/// Removes `path` if it is there; returns whether it was.
pub(crate) fn remove_if_present(path: &Path) -> io::Result<bool> {
    match fs::remove_file(path) {
        Ok(()) => {
            if let Some(parent) = path.parent() {
                sync_dir(parent)?;
            }
            Ok(true)
        }
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

/// Removes the empty directories from `path`'s parent up to, not including, `top`
/// (best effort: a directory that is not empty, or is being filled, stops the walk).
pub(crate) fn prune_empty_parents(path: &Path, top: &Path) {
    let mut dir = path.parent();
    while let Some(d) = dir {
        if d == top || !d.starts_with(top) || fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

/// A regular file at `path` (not a directory, not a symlink), with its length.
pub(crate) fn regular_file_len(path: &Path) -> io::Result<Option<u64>> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_file() => Ok(Some(m.len())),
        Ok(_) => Ok(None),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Whether `path`, once its existing part is resolved (symlinks included), stays under the
/// canonical directory `top`. Keys cannot name `..`, so this only matters if someone planted
/// a symlink in the store: we then refuse rather than follow it.
pub(crate) fn stays_under(top: &Path, path: &Path) -> io::Result<bool> {
    let mut existing: PathBuf = path.to_path_buf();
    loop {
        match fs::symlink_metadata(&existing) {
            Ok(_) => return Ok(fs::canonicalize(&existing)?.starts_with(top)),
            Err(e) if e.kind() == ErrorKind::NotFound => match existing.parent() {
                Some(parent) => existing = parent.to_path_buf(),
                None => return Ok(false),
            },
            Err(e) => return Err(e),
        }
    }
}

/// Maps an I/O error to the port's error, without paths (file names may carry personal data).
pub(crate) fn io_error(op: &str, e: &io::Error) -> ObjectError {
    match e.kind() {
        ErrorKind::NotADirectory
        | ErrorKind::IsADirectory
        | ErrorKind::DirectoryNotEmpty
        | ErrorKind::AlreadyExists => {
            ObjectError::Backend(format!("{op}: the key conflicts with an existing object or key prefix"))
        }
        ErrorKind::StorageFull | ErrorKind::ReadOnlyFilesystem | ErrorKind::QuotaExceeded => {
            ObjectError::Unavailable(format!("{op}: {e}"))
        }
        _ => ObjectError::Backend(format!("{op}: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pruning_stops_at_the_top_and_at_non_empty_directories() {
        let dir = tempfile::tempdir().unwrap();
        let top = dir.path().join("objects");
        create_dirs(&top.join("a/b/c")).unwrap();
        create_dirs(&top.join("a/keep")).unwrap();
        prune_empty_parents(&top.join("a/b/c/file"), &top);
        assert!(!top.join("a/b").exists());
        assert!(top.join("a/keep").exists());
        prune_empty_parents(&top.join("a/keep/file"), &top);
        assert!(!top.join("a").exists());
        assert!(top.exists());
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_out_of_the_store_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let top = dir.path().join("objects");
        let outside = dir.path().join("outside");
        create_dirs(&top).unwrap();
        create_dirs(&outside).unwrap();
        std::os::unix::fs::symlink(&outside, top.join("link")).unwrap();
        let top = fs::canonicalize(&top).unwrap();
        let table = [("inside/new/file", true), ("link/file", false), ("link", false), ("plain", true)];
        for (rel, ok) in table {
            assert_eq!(stays_under(&top, &top.join(rel)).unwrap(), ok, "{rel}");
        }
    }
}
