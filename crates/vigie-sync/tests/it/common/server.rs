//! A tiny HTTP/1.1 file server on 127.0.0.1 for the download tests: serves a folder with
//! `ETag` and `Last-Modified`, answers conditional requests with 304, and misbehaves on
//! demand (connection dropped half-way, truncated body, error status, redirect, stall).

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

/// How the server answers one URL path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// 200 with the file (or 304 to a matching conditional request; 404 when absent).
    Normal,
    /// Headers with the full `Content-Length`, half of the body, then the connection closes.
    DropHalfway,
    /// A complete 200 whose body is the first half of the file, with an honest
    /// `Content-Length`.
    TruncatedBody,
    /// This status, with a short text body.
    Status(u16),
    /// `302 Found` to this location.
    Redirect(String),
    /// Headers with the full `Content-Length`, 10 bytes, then silence for this long.
    Stall(Duration),
}

/// One request as the server saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logged {
    /// The URL path, as sent.
    pub path: String,
    /// The status answered.
    pub status: u16,
    /// Whether the request had `If-None-Match` or `If-Modified-Since`.
    pub conditional: bool,
}

struct State {
    root: PathBuf,
    routes: HashMap<String, String>,
    modes: HashMap<String, Mode>,
    log: Vec<Logged>,
}

/// The running server; stopped when dropped.
pub struct Server {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(|e| e.into_inner())
}

impl Server {
    /// Serves the files below `root`: URL path `/a/b` is the file `root/a/b`.
    pub fn start(root: &Path) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address");
        let state = Arc::new(Mutex::new(State {
            root: root.to_path_buf(),
            routes: HashMap::new(),
            modes: HashMap::new(),
            log: Vec::new(),
        }));
        let stop = Arc::new(AtomicBool::new(false));
        let (st, sp) = (state.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if sp.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let st = st.clone();
                std::thread::spawn(move || {
                    let _ = handle(stream, &st);
                });
            }
        });
        Server {
            addr,
            state,
            stop,
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Serves the file `file` (relative to the root) at URL path `path`.
    pub fn route(&self, path: &str, file: &str) {
        lock(&self.state)
            .routes
            .insert(path.to_string(), file.to_string());
    }

    /// Answers URL path `path` in `mode` from now on.
    pub fn set_mode(&self, path: &str, mode: Mode) {
        lock(&self.state).modes.insert(path.to_string(), mode);
    }

    /// Every path back to [`Mode::Normal`].
    pub fn clear_modes(&self) {
        lock(&self.state).modes.clear();
    }

    /// The requests seen since the last call.
    pub fn take_log(&self) -> Vec<Logged> {
        std::mem::take(&mut lock(&self.state).log)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// `%XX` sequences decoded (the client encodes spaces in ecosystem names).
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = s
            .get(i + 1..i + 3)
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b[i], hex) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// An HTTP date (IMF-fixdate) for a Unix time.
fn http_date(secs: i64) -> String {
    let ts = jiff::Timestamp::from_second(secs).expect("a valid time");
    ts.strftime("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

fn handle(mut stream: TcpStream, state: &Mutex<State>) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let path = line.split(' ').nth(1).unwrap_or("/").to_string();
    let mut headers = HashMap::new();
    for _ in 0..100 {
        line.clear();
        if reader.read_line(&mut line)? == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
    }
    let (file, mode) = {
        let st = lock(state);
        let rel = st
            .routes
            .get(&path)
            .cloned()
            .unwrap_or_else(|| percent_decode(path.trim_start_matches('/')));
        let safe = !rel.split('/').any(|s| s == ".." || s.is_empty());
        let file = safe.then(|| st.root.join(rel)).filter(|p| p.is_file());
        (file, st.modes.get(&path).cloned().unwrap_or(Mode::Normal))
    };
    let conditional =
        headers.contains_key("if-none-match") || headers.contains_key("if-modified-since");
    // Logged before the answer is written, so a client that has its answer finds it logged.
    let mut record = |status| {
        lock(state).log.push(Logged {
            path: path.clone(),
            status,
            conditional,
        })
    };
    respond(&mut stream, file.as_deref(), &mode, &headers, &mut record)
}

type Record<'a> = &'a mut dyn FnMut(u16);

fn simple(stream: &mut TcpStream, status: u16, extra: &str, record: Record) -> std::io::Result<()> {
    record(status);
    let body = format!("status {status}\n");
    write!(
        stream,
        "HTTP/1.1 {status} Whatever\r\nContent-Length: {}\r\n{extra}Connection: close\r\n\r\n{body}",
        body.len()
    )
}

fn respond(
    stream: &mut TcpStream,
    file: Option<&Path>,
    mode: &Mode,
    headers: &HashMap<String, String>,
    record: Record,
) -> std::io::Result<()> {
    match mode {
        Mode::Status(code) => return simple(stream, *code, "", record),
        Mode::Redirect(to) => {
            return simple(stream, 302, &format!("Location: {to}\r\n"), record);
        }
        _ => {}
    }
    let Some(file) = file else {
        return simple(stream, 404, "", record);
    };
    let meta = std::fs::metadata(file)?;
    let len = meta.len();
    let mtime = meta
        .modified()?
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let etag = format!("\"{len:x}-{mtime:x}\"");
    let last_modified = http_date(mtime as i64);
    let validators = format!("ETag: {etag}\r\nLast-Modified: {last_modified}\r\n");
    if *mode == Mode::Normal {
        let fresh = match headers.get("if-none-match") {
            Some(tag) => tag.split(',').any(|t| t.trim() == etag),
            None => headers.get("if-modified-since") == Some(&last_modified),
        };
        if fresh {
            record(304);
            return write!(
                stream,
                "HTTP/1.1 304 Not Modified\r\n{validators}Connection: close\r\n\r\n"
            );
        }
    }
    let mut bytes = Vec::new();
    File::open(file)?.read_to_end(&mut bytes)?;
    let half = bytes.len() / 2;
    let (announced, sent) = match mode {
        Mode::DropHalfway => (bytes.len(), &bytes[..half]),
        Mode::TruncatedBody => (half, &bytes[..half]),
        Mode::Stall(_) => (bytes.len(), &bytes[..bytes.len().min(10)]),
        _ => (bytes.len(), &bytes[..]),
    };
    record(200);
    write!(
        stream,
        "HTTP/1.1 200 OK\r\nContent-Length: {announced}\r\nContent-Type: application/octet-stream\r\n{validators}Connection: close\r\n\r\n"
    )?;
    stream.write_all(sent)?;
    stream.flush()?;
    if let Mode::Stall(d) = mode {
        std::thread::sleep(*d);
    }
    let _ = stream.shutdown(Shutdown::Both);
    Ok(())
}
