//! Private files (0600, their new folders 0700), created only where nothing stood before.
//!
//! Every file settle writes beside something else (the database, a letter, a backup, an
//! export) goes through here. A new file is opened with `O_EXCL` (`create_new`): a file or
//! a symbolic link already at that name makes the open fail instead of being written
//! through. A file replaced whole is written under a random temporary name beside it
//! (`<name>.<16 hex digits>.part`, see [`temp_beside`]) and renamed over it, so it is never
//! half-written and nobody can plant a link at the temporary name in advance.

use std::fs::{self, File};
use std::hash::{BuildHasher, Hasher};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// How a temporary file's name ends.
pub const TEMP_SUFFIX: &str = ".part";

/// Creates `path` as a new empty file readable and writable by its owner only, and its
/// missing folders 0700. Fails if anything (a file, a link, a dangling link) is there.
pub fn create_private(path: &Path) -> io::Result<File> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty() && !d.exists()) {
        let mut builder = fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(dir)?;
    }
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// 64 bits no other process can guess: std's hasher keys come from the operating system's
/// random source, and each `RandomState` gets new keys.
fn random_hex() -> String {
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    if let Ok(t) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        h.write_u128(t.as_nanos());
    }
    format!("{:016x}", h.finish())
}

/// A new private temporary file beside `path`, named `<name>.<16 hex digits>.part`, and its
/// path. A name already taken is never opened; another random name is tried.
pub fn temp_beside(path: &Path) -> io::Result<(PathBuf, File)> {
    let name =
        path.file_name().ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?;
    let mut last = io::Error::new(io::ErrorKind::AlreadyExists, "no free temporary name");
    for _ in 0..8 {
        let mut temp = name.to_os_string();
        temp.push(format!(".{}{TEMP_SUFFIX}", random_hex()));
        let temp = path.with_file_name(temp);
        match create_private(&temp) {
            Ok(file) => return Ok((temp, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = e,
            Err(e) => return Err(e),
        }
    }
    Err(last)
}

/// The name of the file a temporary file named `candidate` was made for by [`temp_beside`]
/// (or the `<name>.part` older versions of settle used), if it is one.
pub fn temp_target(candidate: &str) -> Option<&str> {
    let rest = candidate.strip_suffix(TEMP_SUFFIX)?;
    let target = match rest.rsplit_once('.') {
        Some((target, hex)) if hex.len() == 16 && hex.bytes().all(|b| b.is_ascii_hexdigit()) => target,
        _ => rest,
    };
    Some(target).filter(|t| !t.is_empty())
}

/// Writes `path` whole as a private file (0600): `write` fills a new temporary file beside
/// it, which is synced and renamed over `path`. On any error the temporary file is removed
/// and `path` is as it was.
pub fn write_private_with(path: &Path, write: impl FnOnce(&mut File) -> io::Result<()>) -> io::Result<()> {
    let (temp, mut file) = temp_beside(path)?;
    let result = write(&mut file).and_then(|()| file.sync_all()).and_then(|()| {
        drop(file);
        fs::rename(&temp, path)
    });
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// Writes `text` to `path` as a private file (0600), replacing it whole.
pub fn write_private(path: &Path, text: &str) -> io::Result<()> {
    write_private_with(path, |f| f.write_all(text.as_bytes()))
}

/// Writes `text` into a new private file at `path`; an existing file is never overwritten.
pub fn write_new_private(path: &Path, text: &str) -> io::Result<()> {
    let mut file = create_private(path)?;
    let result = file.write_all(text.as_bytes()).and_then(|()| file.sync_all());
    if result.is_err() {
        let _ = fs::remove_file(path);
    }
    result
}

/// The largest file settle reads as input: 256 MiB. A bank statement of a busy year is a
/// few megabytes; a bigger file is almost surely the wrong one (a disk image, `/dev/zero`),
/// and reading it would only run the machine out of memory.
pub const MAX_INPUT_BYTES: u64 = 256 * 1024 * 1024;

/// Why an input file is not read.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{}: not a regular file (a pipe, a device or a folder): settle reads only files", .0.display())]
    NotAFile(PathBuf),
    #[error(
        "{}: larger than {} MiB, the most settle reads at once; split it into smaller files",
        .0.display(),
        MAX_INPUT_BYTES / 1024 / 1024
    )]
    TooLarge(PathBuf),
    #[error("cannot read {}: {}", .0.display(), .1)]
    Io(PathBuf, io::Error),
}

/// Reads a whole input file, refusing what is not a regular file (a pipe would block, a
/// device never ends) and anything larger than [`MAX_INPUT_BYTES`].
pub fn read_input(path: &Path) -> Result<Vec<u8>, InputError> {
    let file = open_input(path)?;
    let mut bytes = Vec::new();
    io::Read::read_to_end(&mut io::Read::take(file, MAX_INPUT_BYTES + 1), &mut bytes)
        .map_err(|e| InputError::Io(path.to_path_buf(), e))?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(InputError::TooLarge(path.to_path_buf()));
    }
    Ok(bytes)
}

/// Opens an input file to read it as it goes (its reader still stops at
/// [`MAX_INPUT_BYTES`]), refusing what [`read_input`] refuses.
pub fn open_input(path: &Path) -> Result<File, InputError> {
    let io = |e| InputError::Io(path.to_path_buf(), e);
    // Checked before opening: opening a pipe waits for a writer.
    let meta = fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(InputError::NotAFile(path.to_path_buf()));
    }
    if meta.len() > MAX_INPUT_BYTES {
        return Err(InputError::TooLarge(path.to_path_buf()));
    }
    let file = File::open(path).map_err(io)?;
    // And again on what was opened, in case the name was swapped meanwhile.
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(InputError::NotAFile(path.to_path_buf()));
    }
    if meta.len() > MAX_INPUT_BYTES {
        return Err(InputError::TooLarge(path.to_path_buf()));
    }
    Ok(file)
}

/// The largest PDF settle attaches to an email or keeps beside the book: 20 MiB (mail
/// servers commonly refuse messages above 25 MB, and base64 adds a third).
pub const MAX_PDF_BYTES: u64 = 20 * 1024 * 1024;

/// Why a file is not taken as a PDF (the caller names the field).
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("{}: no such file", .0.display())]
    Missing(PathBuf),
    #[error("{}: not a regular file (a pipe, a device or a folder)", .0.display())]
    NotAFile(PathBuf),
    #[error("{}: larger than {} MiB, the most settle attaches", .0.display(), MAX_PDF_BYTES / 1024 / 1024)]
    TooLarge(PathBuf),
    #[error("{}: not a PDF (it does not start with %PDF-)", .0.display())]
    NotPdf(PathBuf),
    #[error("cannot read {}: {}", .0.display(), .1)]
    Io(PathBuf, io::Error),
}

/// Whether `bytes` look like a PDF: they start with `%PDF-`.
pub fn is_pdf(bytes: &[u8]) -> bool {
    bytes.starts_with(b"%PDF-")
}

/// Reads a PDF: a regular file of at most [`MAX_PDF_BYTES`] that starts with `%PDF-`.
pub fn read_pdf(path: &Path) -> Result<Vec<u8>, PdfError> {
    // Refused before reading a huge file whole.
    if fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() > MAX_PDF_BYTES) {
        return Err(PdfError::TooLarge(path.to_path_buf()));
    }
    let bytes = read_input(path).map_err(|e| match e {
        InputError::NotAFile(p) => PdfError::NotAFile(p),
        InputError::TooLarge(p) => PdfError::TooLarge(p),
        InputError::Io(p, e) if e.kind() == io::ErrorKind::NotFound => PdfError::Missing(p),
        InputError::Io(p, e) => PdfError::Io(p, e),
    })?;
    if bytes.len() as u64 > MAX_PDF_BYTES {
        return Err(PdfError::TooLarge(path.to_path_buf()));
    }
    if !is_pdf(&bytes) {
        return Err(PdfError::NotPdf(path.to_path_buf()));
    }
    Ok(bytes)
}

/// A PDF to keep the path of: read as [`read_pdf`] does, and made absolute (so it is found
/// from any folder settle runs in).
pub fn checked_pdf(path: &Path) -> Result<PathBuf, PdfError> {
    read_pdf(path)?;
    fs::canonicalize(path).map_err(|e| PdfError::Io(path.to_path_buf(), e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    fn mode(p: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn a_pdf_is_a_bounded_regular_file_starting_with_its_magic() {
        let dir = tempfile::tempdir().unwrap();
        let ok = dir.path().join("ok.pdf");
        fs::write(&ok, b"%PDF-1.7\n%%EOF\n").unwrap();
        assert_eq!(read_pdf(&ok).unwrap(), b"%PDF-1.7\n%%EOF\n");
        assert!(checked_pdf(&ok).unwrap().is_absolute());
        let text = dir.path().join("x.pdf");
        fs::write(&text, b"hello").unwrap();
        assert!(matches!(read_pdf(&text), Err(PdfError::NotPdf(_))));
        assert!(matches!(read_pdf(&dir.path().join("gone.pdf")), Err(PdfError::Missing(_))));
        assert!(matches!(read_pdf(dir.path()), Err(PdfError::NotAFile(_))));
        let big = dir.path().join("big.pdf");
        let f = File::create(&big).unwrap();
        f.set_len(MAX_PDF_BYTES + 1).unwrap();
        assert!(matches!(read_pdf(&big), Err(PdfError::TooLarge(_))));
        assert!(read_pdf(&big).unwrap_err().to_string().contains("larger than 20 MiB"));
    }

    #[test]
    fn temporary_names_are_random_and_recognised() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("book.csv");
        let (a, _) = temp_beside(&target).unwrap();
        let (b, _) = temp_beside(&target).unwrap();
        assert_ne!(a, b);
        for t in [&a, &b] {
            let name = t.file_name().unwrap().to_str().unwrap();
            assert_eq!(temp_target(name), Some("book.csv"), "{name}");
        }
        assert_eq!(temp_target("book.csv.part"), Some("book.csv"));
        assert_eq!(temp_target("book.csv.x.part"), Some("book.csv.x"));
        assert_eq!(temp_target("book.csv"), None);
        assert_eq!(temp_target(".part"), None);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_planted_anywhere_is_never_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        fs::write(&victim, "keep").unwrap();
        let before = mode(&victim);
        std::os::unix::fs::symlink(&victim, dir.path().join("new.txt")).unwrap();
        assert!(write_new_private(&dir.path().join("new.txt"), "x").is_err());
        std::os::unix::fs::symlink(&victim, dir.path().join("out.txt.part")).unwrap();
        write_private(&dir.path().join("out.txt"), "fresh").unwrap();
        assert_eq!(fs::read_to_string(&victim).unwrap(), "keep");
        assert_eq!(fs::read_to_string(dir.path().join("out.txt")).unwrap(), "fresh");
        assert_eq!(mode(&dir.path().join("out.txt")), 0o600);
        assert_eq!(mode(&victim), before);
    }
}
