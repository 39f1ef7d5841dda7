//! The one network connection Candor ever makes, and only when the user asks for it: a speech
//! model downloaded from the address pinned in `assets/models.toml`, checked against the SHA-1
//! pinned there (the checksum whisper.cpp publishes), then checked to load. The download goes to
//! a hidden `.part` file in the models folder, so an interrupted one resumes where it stopped
//! (an HTTP range request) and a half-written file is never taken for a model; a download that
//! fails its checksum, or a full disk, leaves nothing behind.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use serde::Deserialize;
use sha1::{Digest, Sha1};

use crate::error::{CoreError, Result};

/// The shipped list of models Candor offers to download.
const CATALOG: &str = include_str!("../../../assets/models.toml");

/// Bytes read from the network between two looks at the cancel flag and two progress reports.
const CHUNK: usize = 64 * 1024;

/// A model Candor offers to download.
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct Offered {
    /// The file name it is kept under ("ggml-base.bin").
    pub name: String,
    /// Its name as shown ("Base").
    pub title: String,
    /// The pinned address it is downloaded from.
    pub url: String,
    /// The SHA-1 whisper.cpp publishes for it, in hex (its full-precision files).
    #[serde(default)]
    pub sha1: Option<String>,
    /// Its SHA-256, in hex: for the files whisper.cpp publishes no SHA-1 for (the quantized
    /// ones), as its Hugging Face repository records it. One of the two is pinned.
    #[serde(default)]
    pub sha256: Option<String>,
    /// Its size, in MiB (as published; shown before the download).
    pub mib: u32,
    /// True for the one Candor recommends.
    #[serde(default)]
    pub default: bool,
    /// What sets it apart, in a sentence.
    pub about: String,
    /// How it did in Candor's own test (bench/transcribe.sh), when it was measured.
    #[serde(default)]
    pub tested: Option<Tested>,
}

/// How a model did on Candor's 3-minute espeak-ng answer with fillers (bench/transcribe.sh).
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct Tested {
    /// Fillers ("um", "uh") it kept in the transcript.
    pub fillers_kept: u32,
    /// Fillers said.
    pub fillers_said: u32,
    /// Its word error, in percent.
    pub word_error: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Catalog {
    model: Vec<Offered>,
}

/// Parses a catalog of models (`assets/models.toml`), refusing one a download could not trust.
pub fn parse_catalog(src: &str, name: &str) -> Result<Vec<Offered>> {
    let bad = |reason: String| CoreError::InvalidInput(format!("{name}: {reason}"));
    let catalog: Catalog = toml::from_str(src).map_err(|e| bad(e.to_string()))?;
    for m in &catalog.model {
        let plain =
            m.name.ends_with(".bin") && !m.name.starts_with('.') && !m.name.contains(['/', '\\']);
        if !plain {
            return Err(bad(format!("'{}' is not a plain model file name", m.name)));
        }
        if !m.url.starts_with("https://") {
            return Err(bad(format!(
                "{}: a model is only downloaded over https",
                m.name
            )));
        }
        let hex = |h: &str, n: usize| h.len() == n && h.bytes().all(|b| b.is_ascii_hexdigit());
        match (&m.sha1, &m.sha256) {
            (Some(h), None) if hex(h, 40) => {}
            (None, Some(h)) if hex(h, 64) => {}
            _ => {
                return Err(bad(format!(
                    "{}: pin one checksum, a sha1 of 40 hex digits or a sha256 of 64",
                    m.name
                )))
            }
        }
        if let Some(t) = &m.tested {
            if t.fillers_said == 0
                || t.fillers_kept > t.fillers_said
                || !(0.0..=100.0).contains(&t.word_error)
            {
                return Err(bad(format!(
                    "{}: tested needs fillers_kept <= fillers_said (at least 1) and a word_error \
                     from 0 to 100",
                    m.name
                )));
            }
        }
    }
    if catalog.model.iter().filter(|m| m.default).count() != 1 {
        return Err(bad("exactly one model must be the default".into()));
    }
    Ok(catalog.model)
}

/// The checksum a download must have.
#[derive(Debug, Clone, PartialEq)]
pub enum Pin {
    /// SHA-1, hex.
    Sha1(String),
    /// SHA-256, hex.
    Sha256(String),
}

impl Offered {
    /// The checksum pinned for it (a catalog that parsed has exactly one).
    pub fn pin(&self) -> Pin {
        match (&self.sha1, &self.sha256) {
            (Some(h), _) => Pin::Sha1(h.clone()),
            (None, h) => Pin::Sha256(h.clone().unwrap_or_default()),
        }
    }
}

/// The models Candor offers to download, as shipped.
pub fn catalog() -> Result<Vec<Offered>> {
    parse_catalog(CATALOG, "assets/models.toml")
}

/// How far a download is.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "ipc", derive(specta::Type))]
pub struct DownloadProgress {
    /// Bytes on disk so far (a resumed download starts where it stopped).
    #[cfg_attr(feature = "ipc", specta(type = f64))]
    pub done: u64,
    /// Bytes in all, when the server says.
    #[cfg_attr(feature = "ipc", specta(type = Option<f64>))]
    pub total: Option<u64>,
}

/// The hidden file a download of `file` is written to until it is checked.
pub fn part_path(dir: &Path, file: &str) -> PathBuf {
    dir.join(format!(".{file}.part"))
}

fn network(url: &str, e: impl std::fmt::Display) -> CoreError {
    CoreError::Network(format!(
        "{} could not be reached or stopped answering ({e}). Check the connection and try again; \
         what was downloaded is kept and the download goes on from there.",
        host_of(url)
    ))
}

/// The host part of an address, for messages.
fn host_of(url: &str) -> &str {
    url.split("://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or(url)
}

/// A write error on the partial file: a full disk is said as such (and nothing is kept).
fn write_failed(part: &Path, e: std::io::Error) -> CoreError {
    let _ = std::fs::remove_file(part);
    if e.raw_os_error() == Some(28) {
        CoreError::disk_full(
            "the model download",
            "Nothing of it was kept; free some space and download it again.",
        )
    } else {
        CoreError::io(format!("writing {}", part.display()), e)
    }
}

/// The checksum of a file (SHA-1 or SHA-256, as `D`), in hex.
fn hash_of<D: Digest>(path: &Path) -> Result<String> {
    let mut f = std::fs::File::open(path)
        .map_err(|e| CoreError::io(format!("reading {}", path.display()), e))?;
    let mut h = D::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f
            .read(&mut buf)
            .map_err(|e| CoreError::io(format!("reading {}", path.display()), e))?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

/// Downloads `url` into `dir/.FILE.part` (going on from what is there), checks its checksum
/// against `pin` and returns the checked partial file, for the caller to check it loads and
/// move it into place. `cancel` stops it between two chunks (what was downloaded is kept for
/// next time); `progress` hears how far it is.
pub fn fetch(
    url: &str,
    pin: &Pin,
    dir: &Path,
    file: &str,
    progress: &mut dyn FnMut(DownloadProgress),
    cancel: &AtomicBool,
) -> Result<PathBuf> {
    std::fs::create_dir_all(dir)
        .map_err(|e| CoreError::io(format!("creating {}", dir.display()), e))?;
    let part = part_path(dir, file);
    let mut have = std::fs::metadata(&part).map_or(0, |m| m.len());
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_connect(Some(Duration::from_secs(20)))
        .timeout_recv_body(Some(Duration::from_secs(60)))
        .http_status_as_error(false)
        .build()
        .into();
    let mut request = agent.get(url);
    if have > 0 {
        request = request.header("Range", format!("bytes={have}-"));
    }
    let mut response = request.call().map_err(|e| network(url, e))?;
    let status = response.status().as_u16();
    let length = response
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let resumed = match status {
        206 => true,
        200 => false,
        // Everything was there already.
        416 if have > 0 => return checked(&part, pin),
        other => {
            return Err(CoreError::Network(format!(
                "{} answered {other} for the model; try again later.",
                host_of(url)
            )))
        }
    };
    if !resumed {
        have = 0;
    }
    let total = length.map(|n| n + have);
    let mut out = std::fs::OpenOptions::new()
        .create(true)
        .write(true)
        .append(resumed)
        .truncate(!resumed)
        .open(&part)
        .map_err(|e| write_failed(&part, e))?;
    let mut body = response.body_mut().with_config().limit(u64::MAX).reader();
    let mut buf = vec![0u8; CHUNK];
    progress(DownloadProgress { done: have, total });
    loop {
        if cancel.load(Ordering::Acquire) {
            return Err(CoreError::Cancelled(
                "The download was stopped; what was downloaded is kept and it goes on from there next time.".into(),
            ));
        }
        let n = match body.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) => {
                let _ = out.flush();
                return Err(network(url, e));
            }
        };
        out.write_all(&buf[..n])
            .map_err(|e| write_failed(&part, e))?;
        have += n as u64;
        progress(DownloadProgress { done: have, total });
    }
    out.flush().map_err(|e| write_failed(&part, e))?;
    out.sync_all().map_err(|e| write_failed(&part, e))?;
    drop(out);
    if total.is_some_and(|t| have < t) {
        return Err(network(url, "the connection closed early"));
    }
    checked(&part, pin)
}

/// `part` if its checksum is the one pinned; otherwise it is deleted and the download refused.
fn checked(part: &Path, pin: &Pin) -> Result<PathBuf> {
    let (got, want, kind) = match pin {
        Pin::Sha1(h) => (hash_of::<Sha1>(part)?, h, "SHA-1"),
        Pin::Sha256(h) => (hash_of::<sha2::Sha256>(part)?, h, "SHA-256"),
    };
    if !got.eq_ignore_ascii_case(want) {
        log::warn!("a downloaded model has {kind} {got}, not the published {want}; deleted");
        let _ = std::fs::remove_file(part);
        return Err(CoreError::BadModel {
            file: part
                .file_name()
                .map(|n| {
                    n.to_string_lossy()
                        .trim_start_matches('.')
                        .trim_end_matches(".part")
                        .to_string()
                })
                .unwrap_or_default(),
            reason: "the downloaded file is not the published model (its checksum differs), \
                     so it was deleted. Try again later."
                .into(),
        });
    }
    Ok(part.to_path_buf())
}

/// A small HTTP server on 127.0.0.1 for the download tests: serves one body, honours range
/// requests, and can misbehave on purpose.
#[cfg(test)]
pub(crate) mod test_server {
    use std::io::{BufRead, BufReader, Write};
    use std::net::TcpListener;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    /// How the server answers.
    #[derive(Clone, Copy)]
    pub enum Mode {
        /// As a server should.
        Honest,
        /// The first answer stops after this many bytes (the connection drops).
        DropAfter(usize),
        /// Ignores range requests (always the whole body, status 200).
        NoRanges,
    }

    /// Serves `body` until the test ends; returns its address and a count of requests that
    /// asked for a range.
    pub fn serve(body: Vec<u8>, mode: Mode) -> (String, Arc<AtomicUsize>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/ggml-test.bin", listener.local_addr().unwrap());
        let ranges = Arc::new(AtomicUsize::new(0));
        let seen = ranges.clone();
        std::thread::spawn(move || {
            for (n, stream) in listener.incoming().enumerate() {
                let Ok(mut stream) = stream else { return };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut from = 0usize;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                    let lower = line.to_ascii_lowercase();
                    if let Some(r) = lower.strip_prefix("range: bytes=") {
                        if !matches!(mode, Mode::NoRanges) {
                            from = r.trim().trim_end_matches('-').parse().unwrap_or(0);
                            seen.fetch_add(1, Ordering::SeqCst);
                        }
                    }
                }
                let rest = &body[from.min(body.len())..];
                let head = if from > 0 {
                    format!(
                        "HTTP/1.1 206 Partial Content\r\nContent-Length: {}\r\nContent-Range: bytes {}-{}/{}\r\nConnection: close\r\n\r\n",
                        rest.len(),
                        from,
                        body.len() - 1,
                        body.len()
                    )
                } else {
                    format!(
                        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        rest.len()
                    )
                };
                let _ = stream.write_all(head.as_bytes());
                let cut = match mode {
                    Mode::DropAfter(k) if n == 0 => k.min(rest.len()),
                    _ => rest.len(),
                };
                let _ = stream.write_all(&rest[..cut]);
                let _ = stream.flush();
            }
        });
        (url, ranges)
    }
}

#[cfg(test)]
mod tests {
    use super::test_server::{serve, Mode};
    use super::*;

    fn body() -> Vec<u8> {
        let mut x = 0x2545_f491_4f6c_dd1du64;
        (0..700_000)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect()
    }

    fn sha1_pin(b: &[u8]) -> Pin {
        Pin::Sha1(Sha1::digest(b).iter().map(|b| format!("{b:02x}")).collect())
    }

    fn fetch_quietly(url: &str, pin: &Pin, dir: &Path) -> Result<PathBuf> {
        fetch(
            url,
            pin,
            dir,
            "ggml-test.bin",
            &mut |_| {},
            &AtomicBool::new(false),
        )
    }

    #[test]
    fn the_shipped_catalog_pins_https_addresses_and_one_checksum_each_with_one_default() {
        let offered = catalog().unwrap();
        assert!(offered.len() >= 2);
        assert_eq!(offered.iter().filter(|m| m.default).count(), 1);
        let entry = |url: &str, pins: &str| {
            format!("[[model]]\nname = \"ggml-x.bin\"\ntitle = \"X\"\nurl = \"{url}\"\n{pins}mib = 1\ndefault = true\nabout = \"x\"\n")
        };
        let sha1 = format!("sha1 = \"{}\"\n", "a".repeat(40));
        let sha256 = format!("sha256 = \"{}\"\n", "b".repeat(64));
        let refused = |src: String| parse_catalog(&src, "m.toml").unwrap_err().to_string();
        assert!(refused(entry("http://example.org/x", &sha1)).contains("https"));
        for pins in [
            String::new(),
            format!("{sha1}{sha256}"),
            "sha1 = \"00\"\n".into(),
        ] {
            assert!(refused(entry("https://example.org/x", &pins)).contains("pin one checksum"));
        }
        for pins in [sha1, sha256] {
            assert!(parse_catalog(&entry("https://example.org/x", &pins), "m.toml").is_ok());
        }
    }

    #[test]
    fn a_download_is_checked_and_an_interrupted_one_goes_on_where_it_stopped() {
        let body = body();
        let dir = tempfile::tempdir().unwrap();
        let (url, ranges) = serve(body.clone(), Mode::DropAfter(250_000));
        let e = fetch_quietly(&url, &sha1_pin(&body), dir.path()).unwrap_err();
        assert_eq!(e.code(), "Network", "{e}");
        let part = part_path(dir.path(), "ggml-test.bin");
        assert_eq!(
            std::fs::metadata(&part).unwrap().len(),
            250_000,
            "what came is kept"
        );
        let mut seen = Vec::new();
        let done = fetch(
            &url,
            &sha1_pin(&body),
            dir.path(),
            "ggml-test.bin",
            &mut |p| seen.push(p),
            &AtomicBool::new(false),
        )
        .unwrap();
        assert_eq!(
            ranges.load(std::sync::atomic::Ordering::SeqCst),
            1,
            "the second asked for the rest only"
        );
        assert_eq!(std::fs::read(&done).unwrap(), body);
        assert_eq!(seen.first().unwrap().done, 250_000);
        assert_eq!(seen.last().unwrap().done, body.len() as u64);
        assert_eq!(seen.last().unwrap().total, Some(body.len() as u64));
    }

    #[test]
    fn a_file_that_is_not_the_published_one_is_refused_and_deleted() {
        let dir = tempfile::tempdir().unwrap();
        let (url, _) = serve(body(), Mode::Honest);
        let e = fetch_quietly(&url, &Pin::Sha256("0".repeat(64)), dir.path()).unwrap_err();
        assert_eq!(e.code(), "BadModel");
        assert!(e.to_string().contains("not the published model"), "{e}");
        assert!(
            std::fs::read_dir(dir.path()).unwrap().next().is_none(),
            "nothing kept"
        );
        // The same file pinned by its SHA-256 is taken.
        let sha256 = sha2::Sha256::digest(body())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let (url, _) = serve(body(), Mode::Honest);
        assert!(fetch_quietly(&url, &Pin::Sha256(sha256), dir.path()).is_ok());
    }

    #[test]
    fn a_server_without_ranges_starts_over_and_a_cancel_keeps_what_came() {
        let body = body();
        let dir = tempfile::tempdir().unwrap();
        let part = part_path(dir.path(), "ggml-test.bin");
        std::fs::write(&part, &body[..1000]).unwrap();
        let (url, _) = serve(body.clone(), Mode::NoRanges);
        let cancel = AtomicBool::new(false);
        let e = fetch(
            &url,
            &sha1_pin(&body),
            dir.path(),
            "ggml-test.bin",
            &mut |p| {
                if p.done > 100_000 {
                    cancel.store(true, std::sync::atomic::Ordering::Release);
                }
            },
            &cancel,
        )
        .unwrap_err();
        assert_eq!(e.code(), "Cancelled");
        let kept = std::fs::read(&part).unwrap();
        assert!(
            kept.len() > 100_000 && body.starts_with(&kept),
            "started over, kept what came"
        );
        let done = fetch_quietly(&url, &sha1_pin(&body), dir.path()).unwrap();
        assert_eq!(std::fs::read(done).unwrap(), body);
    }

    /// Linux only: its `/dev/full` stands in for a full disk.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_full_disk_is_said_as_such_and_nothing_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let part = part_path(dir.path(), "ggml-test.bin");
        // Every write to /dev/full fails as a full disk does (ENOSPC).
        std::os::unix::fs::symlink("/dev/full", &part).unwrap();
        let (url, _) = serve(body(), Mode::NoRanges);
        let e = fetch_quietly(&url, &Pin::Sha1("0".repeat(40)), dir.path()).unwrap_err();
        assert_eq!(e.code(), "DiskFull", "{e}");
        assert!(
            !part.exists() && std::fs::symlink_metadata(&part).is_err(),
            "nothing kept"
        );
    }
}
