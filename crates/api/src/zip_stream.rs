//! A ZIP archive written while it is sent (`POST /get_case_images`).
//!
//! The use case plans the archive ([`CaseBundle`]); this module only lays it out: one folder
//! per case, each document's bytes stored as they are (`Stored`, no re-compression), then
//! `download_errors.txt` when a document could not be read. The archive is produced as a
//! stream of chunks: a document is read from the object store only when its turn comes and is
//! sent in slices of [`CHUNK`] bytes, so memory holds at most one document and one slice, and
//! nothing touches the disk. A client that goes away stops the reads (the stream is dropped).
//!
//! The writer is the `zip` crate's streaming writer (no `Seek`: sizes and CRCs follow each
//! entry in a data descriptor), writing into a small buffer that the stream drains after
//! every step.

use std::io::{self, Write};
use std::mem;
use std::sync::{Arc, Mutex, PoisonError};

use actix_web::web::Bytes;
use chrono::{Datelike, Timelike};
use futures::Stream;
use surgicase_app::{BUNDLE_ERRORS_FILE, CaseBundle};
use surgicase_ports::Chain;
use zip::write::{SimpleFileOptions, StreamWriter};
use zip::{CompressionMethod, DateTime, ZipWriter};

/// The largest slice of a document written (and sent) at once.
pub const CHUNK: usize = 256 * 1024;

/// The bytes the writer produced since the last drain.
#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Buffer {
    fn take(&self) -> Vec<u8> {
        mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Where the archive stands.
enum Phase {
    /// The case folders come first.
    Folders,
    /// The next document to read (an index into the bundle's documents).
    Document(usize),
    /// Writing a document's bytes, slice by slice; then the document after it.
    Writing {
        data: Vec<u8>,
        offset: usize,
        next: usize,
    },
    /// The error file (when needed), then the central directory.
    Finish,
    Done,
}

struct Archive {
    bundle: CaseBundle,
    zip: Option<ZipWriter<StreamWriter<Buffer>>>,
    buffer: Buffer,
    options: SimpleFileOptions,
    phase: Phase,
    errors: Vec<String>,
}

fn zip_error(error: zip::result::ZipError) -> io::Error {
    io::Error::other(error)
}

/// The entries' modification time: the bundle's (UTC), or the ZIP epoch when out of range.
fn entry_time(bundle: &CaseBundle) -> DateTime {
    let t = bundle.created_at;
    let parts = (
        u16::try_from(t.year()).ok(),
        u8::try_from(t.month()).ok(),
        u8::try_from(t.day()).ok(),
        u8::try_from(t.hour()).ok(),
        u8::try_from(t.minute()).ok(),
        u8::try_from(t.second()).ok(),
    );
    match parts {
        (Some(y), Some(mo), Some(d), Some(h), Some(mi), Some(s)) => {
            DateTime::from_date_and_time(y, mo, d, h, mi, s).unwrap_or_default()
        }
        _ => DateTime::default(),
    }
}

impl Archive {
    fn new(bundle: CaseBundle) -> Self {
        let buffer = Buffer::default();
        let options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Stored)
            .last_modified_time(entry_time(&bundle))
            .unix_permissions(0o644);
        Self {
            zip: Some(ZipWriter::new_stream(buffer.clone())),
            bundle,
            buffer,
            options,
            phase: Phase::Folders,
            errors: Vec::new(),
        }
    }

    fn zip(&mut self) -> io::Result<&mut ZipWriter<StreamWriter<Buffer>>> {
        self.zip.as_mut().ok_or_else(|| io::Error::other("the archive is already finished"))
    }

    /// One step of the archive; `false` once it is complete.
    async fn step(&mut self) -> io::Result<bool> {
        match mem::replace(&mut self.phase, Phase::Done) {
            Phase::Folders => {
                let folders: Vec<String> =
                    self.bundle.cases.iter().map(|c| format!("{}/", c.folder)).collect();
                let options = self.options.unix_permissions(0o755);
                for folder in folders {
                    self.zip()?.add_directory(folder, options).map_err(zip_error)?;
                }
                self.phase = Phase::Document(0);
            }
            Phase::Document(index) => {
                let Some(doc) = self.bundle.documents.get(index).cloned() else {
                    self.phase = Phase::Finish;
                    return Ok(true);
                };
                match self.bundle.read(&doc).await {
                    Ok(data) => {
                        let options = self.options.large_file(data.len() as u64 >= u64::from(u32::MAX));
                        self.zip()?.start_file(doc.entry_name.as_str(), options).map_err(zip_error)?;
                        self.phase = Phase::Writing { data, offset: 0, next: index + 1 };
                    }
                    Err(failure) => {
                        self.errors.push(doc.error_line(failure));
                        self.phase = Phase::Document(index + 1);
                    }
                }
            }
            Phase::Writing { data, offset, next } => {
                let end = (offset + CHUNK).min(data.len());
                if let Some(slice) = data.get(offset..end) {
                    self.zip()?.write_all(slice)?;
                }
                self.phase = if end >= data.len() {
                    Phase::Document(next)
                } else {
                    Phase::Writing { data, offset: end, next }
                };
            }
            Phase::Finish => {
                if let Some(text) = CaseBundle::errors_text(&self.errors) {
                    let options = self.options;
                    let zip = self.zip()?;
                    zip.start_file(BUNDLE_ERRORS_FILE, options).map_err(zip_error)?;
                    zip.write_all(text.as_bytes())?;
                }
                if let Some(zip) = self.zip.take() {
                    zip.finish().map_err(zip_error)?;
                }
            }
            Phase::Done => return Ok(false),
        }
        Ok(true)
    }
}

/// The archive of `bundle` as a stream of chunks. A failure of the writer ends the stream with
/// an error (the client sees a truncated download); an unreadable document does not: it is
/// listed in `download_errors.txt`.
pub fn stream(bundle: CaseBundle) -> impl Stream<Item = Result<Bytes, io::Error>> + 'static {
    futures::stream::unfold(Some(Archive::new(bundle)), |state| async move {
        let mut archive = state?;
        loop {
            let produced = archive.buffer.take();
            if !produced.is_empty() {
                return Some((Ok(Bytes::from(produced)), Some(archive)));
            }
            match archive.step().await {
                Ok(true) => {}
                Ok(false) => return None,
                Err(error) => {
                    tracing::error!(error = %Chain(&error), "case images archive failed");
                    return Some((Err(error), None));
                }
            }
        }
    })
}
