//! Filesystem wrappers that put the path in every error.
//!
//! All reads and writes of the crate go through these few functions, so no
//! error ever reaches the user without saying which file it concerns.

use std::fs;
use std::path::Path;

use crate::error::{Error, Result};

/// Reads a UTF-8 text file.
pub fn read_to_string(path: &Path) -> Result<String> {
    fs::read_to_string(path).map_err(|e| Error::io("reading", path, e))
}

/// Writes a file, creating its parent directories.
pub fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent() {
        create_dir_all(parent)?;
    }
    write_file(path, bytes)
}

/// Writes a new file, creating its parent directories; fails, touching
/// nothing, if the file exists. A write that fails midway removes the part
/// written.
pub fn create_new(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    if let Some(parent) = path.parent() {
        create_dir_all(parent)?;
    }
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| Error::io("creating", path, e))?;
    file.write_all(bytes).map_err(|e| {
        let _ = fs::remove_file(path);
        Error::io("writing", path, e)
    })
}

/// Writes a file into a directory that exists.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    fs::write(path, bytes).map_err(|e| Error::io("writing", path, e))
}

/// Creates a directory and its parents.
pub fn create_dir_all(path: &Path) -> Result<()> {
    fs::create_dir_all(path).map_err(|e| Error::io("creating directory", path, e))
}

/// Copies a file into a directory that exists.
pub fn copy(from: &Path, to: &Path) -> Result<()> {
    fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| Error::io("copying", from, e))
}

/// Removes a directory tree (only ever one that Casebook created).
pub fn remove_dir_all(path: &Path) -> Result<()> {
    fs::remove_dir_all(path).map_err(|e| Error::io("removing", path, e))
}

/// Renames a file or directory.
pub fn rename(from: &Path, to: &Path) -> Result<()> {
    fs::rename(from, to).map_err(|e| Error::io("renaming", from, e))
}

/// Removes a file (only ever one that Casebook wrote).
pub fn remove_file(path: &Path) -> Result<()> {
    fs::remove_file(path).map_err(|e| Error::io("removing", path, e))
}

/// The names of the entries of a directory.
pub fn entry_names(dir: &Path) -> Result<Vec<String>> {
    let entries = fs::read_dir(dir).map_err(|e| Error::io("reading", dir, e))?;
    entries
        .map(|entry| {
            entry
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .map_err(|e| Error::io("reading", dir, e))
        })
        .collect()
}
